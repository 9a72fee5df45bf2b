/**
 * The scenario's machine as QEMU's `pc` machine (QEMU 7.2, as the recordings used).
 *
 * QEMU decides the guest's physical map itself, so this module goes the other way: it checks that
 * the scenario's boot RAM is a layout QEMU produces and finds the options that produce it.
 * - RAM fills [0, below-4G limit) and continues at 4 GiB. The limit is `max-ram-below-4g`, capped
 *   at 3 GiB once RAM continues above 4 GiB (the default limit is 3.5 GiB).
 * - With `-numa node,memdev=` each node takes the next slice of that RAM, in node id order.
 * - Device memory (pc-dimm, nvdimm, virtio-mem) lives in one window from the first 1 GiB boundary
 *   above RAM, (maxmem - RAM) + 1 GiB per slot long, and the ACPI SRAT marks the whole window
 *   hot-pluggable for the last node. That is how the recordings' `-m 2G,slots=8,maxmem=24G` made
 *   the scenario's `hotpluggable: 4G + 30G on node 1`.
 */
import type { Scenario } from '../engine/scenario/types.ts';
import { alignUp, formatBytes, GiB, hex, MiB } from '../engine/units.ts';

/** QEMU's default below-4G limit for `pc`, and the cap once RAM continues above 4 GiB. */
const PC_LOWMEM_DEFAULT = 0xe0000000;
const PC_LOWMEM_GIGABYTE_CAP = 3 * GiB;
const FOUR_GIB = 4 * GiB;
/** QEMU's MAX_NODES and the ACPI memory hotplug slot limit. */
const QEMU_MAX_NODES = 128;
const QEMU_MAX_SLOTS = 256;
/**
 * Under TCG the guest CPU has 40 physical address bits, and QEMU keeps device memory below the
 * AMD HyperTransport hole at 0xfd00000000 (it would move the whole window above 1 TiB).
 */
export const DEVICE_WINDOW_LIMIT = 0xfd00000000;

export interface Range {
  start: number;
  size: number;
}

export interface QemuNode {
  id: number;
  ramBytes: number;
  /** The vCPUs sit on the first node with memory. */
  cpus: boolean;
}

export interface RamLayout {
  totalBytes: number;
  /** `max-ram-below-4g`, when the layout needs it. */
  maxRamBelow4g: number | null;
  aboveBytes: number;
  nodes: QemuNode[];
  /** First address of QEMU's device-memory window. */
  windowStart: number;
  distances: Array<{ src: number; dst: number; value: number }>;
}

export interface DeviceNeeds {
  /** Highest end of any device range. */
  endBytes: number;
  /** Device memory that may be plugged at once (QEMU checks it against maxmem - RAM). */
  peakBytes: number;
  /** pc-dimm and nvdimm devices (virtio-mem needs no slot). */
  dimmSlots: number;
}

export interface DeviceWindow {
  slots: number;
  maxmemBytes: number;
  windowStart: number;
  windowSize: number;
  /** The SRAT's hot-pluggable node: QEMU's last node. */
  node: number;
  /** Whether the window is the scenario's one hot-pluggable range. */
  matchesScenario: boolean;
}

function merged(ranges: Range[]): Range[] {
  const sorted = ranges.filter((range) => range.size > 0).sort((a, b) => a.start - b.start);
  const out: Range[] = [];
  for (const range of sorted) {
    const last = out[out.length - 1];
    if (last && last.start + last.size === range.start) last.size += range.size;
    else out.push({ ...range });
  }
  return out;
}

const rangesText = (ranges: Range[]) =>
  ranges.length === 0
    ? 'none'
    : ranges.map((r) => `${hex(r.start)}-${hex(r.start + r.size - 1)}`).join(', ');

/** Where QEMU puts `size` bytes of RAM that start `offset` bytes into its RAM. */
function ramSpaceRanges(offset: number, size: number, lowBytes: number): Range[] {
  const ranges: Range[] = [];
  const lowPart = Math.max(0, Math.min(offset + size, lowBytes) - offset);
  if (lowPart > 0) ranges.push({ start: offset, size: lowPart });
  if (size > lowPart)
    ranges.push({ start: FOUR_GIB + Math.max(0, offset - lowBytes), size: size - lowPart });
  return merged(ranges);
}

function distancesOf(scenario: Scenario): RamLayout['distances'] {
  const nodes = scenario.machine.nodes;
  if (!nodes.some((node) => node.distance)) return [];
  const given = (from: number, to: number) =>
    nodes.find((node) => node.id === from)?.distance?.[String(to)];
  const out: RamLayout['distances'] = [];
  for (const a of nodes)
    for (const b of nodes)
      if (a.id !== b.id)
        out.push({ src: a.id, dst: b.id, value: given(a.id, b.id) ?? given(b.id, a.id) ?? 20 });
  return out;
}

/** The boot RAM as QEMU options, or the reasons QEMU cannot lay it out so. */
export function ramLayout(scenario: Scenario): { layout: RamLayout | null; reasons: string[] } {
  const reasons: string[] = [];
  const nodes = [...scenario.machine.nodes].sort((a, b) => a.id - b.id);
  if (nodes.some((node, index) => node.id !== index))
    reasons.push(
      `NUMA node ids ${nodes.map((n) => n.id).join(', ')}: QEMU numbers nodes 0 to n-1 without gaps`,
    );
  if (nodes.length > QEMU_MAX_NODES) reasons.push(`${nodes.length} nodes: QEMU has at most 128`);
  const all = merged(nodes.flatMap((node) => node.ram));
  const totalBytes = all.reduce((sum, range) => sum + range.size, 0);
  let lowBytes = totalBytes;
  let maxRamBelow4g: number | null = null;
  const [first, second] = all;
  const shapeProblem = (() => {
    if (!first || first.start !== 0) return 'it must start at address 0';
    if (all.length === 1) {
      return first.size < PC_LOWMEM_DEFAULT
        ? null
        : `${formatBytes(first.size)} in one range from 0: QEMU splits RAM at 3 GiB once it passes 3.5 GiB`;
    }
    if (all.length > 2 || second!.start !== FOUR_GIB)
      return 'QEMU has RAM below 4 GiB and from 4 GiB on, with no other holes';
    if (first.size > PC_LOWMEM_GIGABYTE_CAP)
      return `${formatBytes(first.size)} below 4 GiB: QEMU keeps at most 3 GiB there once RAM continues above 4 GiB`;
    lowBytes = first.size;
    maxRamBelow4g = first.size;
    return null;
  })();
  if (shapeProblem)
    reasons.push(
      `boot RAM ${rangesText(all)} is not a layout of QEMU's pc machine: ${shapeProblem}`,
    );
  const aboveBytes = totalBytes - lowBytes;

  let offset = 0;
  const cpuNode = nodes.find((node) => node.ram.some((range) => range.size > 0))?.id ?? 0;
  const qemuNodes: QemuNode[] = nodes.map((node) => {
    const ramBytes = node.ram.reduce((sum, range) => sum + range.size, 0);
    const qemu = ramSpaceRanges(offset, ramBytes, lowBytes);
    const own = merged(node.ram);
    offset += ramBytes;
    if (!shapeProblem && rangesText(qemu) !== rangesText(own)) {
      reasons.push(
        `node ${node.id} boot RAM ${rangesText(own)}: QEMU would give it ${rangesText(qemu)} (it hands out RAM to nodes in id order, below 4 GiB first)`,
      );
    }
    if (ramBytes % (2 * MiB) !== 0)
      reasons.push(`node ${node.id} boot RAM is not a multiple of 2 MiB`);
    return { id: node.id, ramBytes, cpus: node.id === cpuNode };
  });
  if (totalBytes === 0) reasons.push('the machine has no boot RAM');
  if (reasons.length) return { layout: null, reasons };
  return {
    layout: {
      totalBytes,
      maxRamBelow4g,
      aboveBytes,
      nodes: qemuNodes,
      windowStart: alignUp(FOUR_GIB + aboveBytes, GiB),
      distances: distancesOf(scenario),
    },
    reasons,
  };
}

/**
 * Slots and maxmem: the scenario's hot-pluggable range when it is QEMU's window (one range, at
 * the window's start, on the last node), else the smallest window that holds every device.
 */
export function deviceWindow(
  scenario: Scenario,
  layout: RamLayout,
  needs: DeviceNeeds,
): { window: DeviceWindow | null; reasons: string[] } {
  const lastNode = layout.nodes.length - 1;
  const minSlots = Math.max(1, needs.dimmSlots);
  const base = layout.windowStart;
  const candidates: number[] = [];
  for (let slots = Math.max(8, minSlots); slots >= minSlots; slots--) candidates.push(slots);
  let window: DeviceWindow | null = null;
  const [only, ...more] = scenario.machine.hotpluggable;
  if (only && more.length === 0 && only.start === base && only.node === lastNode) {
    for (const slots of candidates) {
      const deviceSpace = only.size - slots * GiB;
      if (deviceSpace >= Math.max(needs.peakBytes, GiB) && base + only.size >= needs.endBytes) {
        window = {
          slots,
          maxmemBytes: layout.totalBytes + deviceSpace,
          windowStart: base,
          windowSize: only.size,
          node: lastNode,
          matchesScenario: true,
        };
        break;
      }
    }
  }
  if (!window) {
    const slots = candidates[0]!;
    const deviceSpace = alignUp(
      Math.max(needs.peakBytes, needs.endBytes - base - slots * GiB, GiB),
      GiB,
    );
    window = {
      slots,
      maxmemBytes: layout.totalBytes + deviceSpace,
      windowStart: base,
      windowSize: deviceSpace + slots * GiB,
      node: lastNode,
      matchesScenario: false,
    };
  }
  const reasons: string[] = [];
  if (window.slots > QEMU_MAX_SLOTS)
    reasons.push(`${window.slots} DIMMs: QEMU has at most ${QEMU_MAX_SLOTS} memory slots`);
  if (window.windowStart + window.windowSize > DEVICE_WINDOW_LIMIT)
    reasons.push(
      `device memory up to ${hex(window.windowStart + window.windowSize)}: QEMU under TCG keeps it below ${hex(DEVICE_WINDOW_LIMIT)} (40 physical address bits, and the HyperTransport hole)`,
    );
  return { window: reasons.length ? null : window, reasons };
}
