/**
 * Each event as what the host or the guest does to perform it.
 *
 * - `add` via acpi: a pc-dimm hot-plugged over QMP (object-add of a memory-backend-ram, then
 *   device_add with the event's address and node).
 * - `add` via virtio-mem: one virtio-mem-pci device per run of adds that continue each other on
 *   one node, present from boot with requested-size 0; each add raises requested-size (the Linux
 *   driver plugs from the bottom of its region up, so the next add lands right after the last).
 * - `pmem`: an NVDIMM present from boot (label-less, so one namespace spans it); the event turns
 *   that namespace into fsdax through sysfs, as `ndctl create-namespace -m fsdax` would.
 * - `remove`: device_del of the pc-dimms that make up the range.
 * - `online`/`offline`: writes to memoryN/state; `hugetlb`: a write to nr_hugepages.
 * Addresses the scenario leaves out are resolved as the engine does (ops/add.ts).
 */
import type { Result } from '../engine/result.ts';
import type { Scenario, ScenarioEvent } from '../engine/scenario/types.ts';
import { alignUp, formatBytes, GiB, hex } from '../engine/units.ts';
import type { DeviceNeeds, Range } from './machine.ts';
import { rangeText } from './shell.ts';

export type StateWrite = 'online' | 'online_kernel' | 'online_movable' | 'offline';

export type Action =
  | { kind: 'dimm-add'; id: string; start: number; size: number; node: number }
  | { kind: 'dimm-del'; ids: string[] }
  | { kind: 'vmem-resize'; id: string; requestedBytes: number }
  | { kind: 'state'; firstBlock: number | null; endBlock: number | null; write: StateWrite }
  | { kind: 'hugetlb'; pageKiB: number; node: number | null; count: number }
  | { kind: 'fsdax'; start: number; mode: 'pmem' | 'ram'; alignBytes: number };

export interface PlannedEvent {
  index: number;
  /** What the event does, in the script's words. */
  summary: string;
  action: Action;
}

/** Devices on QEMU's command line from boot. */
export interface ColdDevice {
  kind: 'nvdimm' | 'virtio-mem';
  id: string;
  start: number;
  size: number;
  node: number;
}

export interface DevicePlan {
  events: PlannedEvent[];
  cold: ColdDevice[];
  needs: DeviceNeeds;
  reasons: string[];
}

/** Linux's virtio-mem stops plugging once this much of its memory is offline. */
const VIRTIO_MEM_OFFLINE_THRESHOLD = GiB;

interface Dimm extends Range {
  id: string;
  live: boolean;
}

interface VmemGroup extends ColdDevice {
  offlineBytes: number;
}

const overlaps = (a: Range, b: Range) => a.start < b.start + b.size && b.start < a.start + a.size;

export function planDevices(scenario: Scenario, result: Result, windowStart: number): DevicePlan {
  const blockBytes = result.resolved.blockSize;
  const reasons: string[] = [];
  const events: PlannedEvent[] = [];
  const cold: ColdDevice[] = [];
  const dimms: Dimm[] = [];
  const groups: VmemGroup[] = [];
  // What the engine counts as present, for the default address of an add (ops/add.ts).
  const present: Range[] = scenario.machine.nodes.flatMap((node) => node.ram);
  let livePeak = 0;
  let endBytes = windowStart;

  const occupied = (range: Range) =>
    [...cold, ...groups, ...dimms.filter((dimm) => dimm.live)].find((device) =>
      overlaps(device, range),
    );
  const inWindow = (index: number, what: string, range: Range) => {
    endBytes = Math.max(endBytes, range.start + range.size);
    if (range.start < windowStart) {
      reasons.push(
        `events[${index}] (${what} ${rangeText(range.start, range.size)}): below QEMU's device-memory window, which starts at ${hex(windowStart)} above the boot RAM`,
      );
      return false;
    }
    const clash = occupied(range);
    if (clash) {
      reasons.push(
        `events[${index}] (${what} ${rangeText(range.start, range.size)}): overlaps ${clash.id}, which QEMU would refuse`,
      );
      return false;
    }
    return true;
  };
  const defaultStart = () => {
    const end = present.reduce((max, range) => Math.max(max, range.start + range.size), 4 * GiB);
    return alignUp(end, blockBytes);
  };
  const nodeFor = (start: number) =>
    scenario.machine.hotpluggable.find(
      (range) => start >= range.start && start < range.start + range.size,
    )?.node ?? 0;

  const plan = (event: ScenarioEvent, index: number, ok: boolean): PlannedEvent | null => {
    switch (event.op) {
      case 'add': {
        if (event.via !== 'acpi' && event.via !== 'virtio-mem') return null; // support.ts says why
        const start = event.start ?? defaultStart();
        const node = event.node ?? nodeFor(start);
        const range = { start, size: event.size };
        if (ok) present.push(range);
        if (event.via === 'virtio-mem') {
          const onlineNow = scenario.kernel.autoOnline !== 'offline';
          let device = groups.find((g) => g.node === node && g.start + g.size === start);
          if (device) {
            const clash = occupied(range);
            if (clash) {
              reasons.push(
                `events[${index}] (virtio-mem add ${rangeText(start, event.size)}): overlaps ${clash.id}, which QEMU would refuse`,
              );
              return null;
            }
            device.size += event.size;
            endBytes = Math.max(endBytes, device.start + device.size);
          } else if (inWindow(index, 'virtio-mem add', range)) {
            device = {
              kind: 'virtio-mem',
              id: `vmem${groups.length}`,
              ...range,
              node,
              offlineBytes: 0,
            };
            groups.push(device);
          } else return null;
          device.offlineBytes += onlineNow ? 0 : event.size;
          if (device.offlineBytes > VIRTIO_MEM_OFFLINE_THRESHOLD)
            reasons.push(
              `events[${index}] (virtio-mem add): with memhp_default_state=offline the Linux driver stops plugging once 1 GiB of its memory is offline`,
            );
          return {
            index,
            summary: `add ${rangeText(start, event.size)} to node ${node}: virtio-mem ${device.id} requested-size ${formatBytes(device.size)}`,
            action: { kind: 'vmem-resize', id: device.id, requestedBytes: device.size },
          };
        }
        if (!inWindow(index, 'add', range)) return null;
        const id = `dimm${index}`;
        dimms.push({ id, ...range, live: true });
        livePeak = Math.max(
          livePeak,
          dimms.filter((d) => d.live).reduce((sum, d) => sum + d.size, 0),
        );
        return {
          index,
          summary: `add ${rangeText(start, event.size)} to node ${node}: pc-dimm ${id}`,
          action: { kind: 'dimm-add', id, start, size: event.size, node },
        };
      }
      case 'remove': {
        const range = { start: event.start, size: event.size };
        const group = groups.find((g) => overlaps(g, range));
        if (group) {
          reasons.push(
            `events[${index}] (remove ${rangeText(range.start, range.size)}): virtio-mem's driver picks which blocks to unplug (and offlines online ones itself), which a remove event cannot say`,
          );
          return null;
        }
        const inside = dimms.filter((d) => d.live && overlaps(d, range));
        const whole = inside.every(
          (d) => d.start >= range.start && d.start + d.size <= range.start + range.size,
        );
        const covered = inside.reduce((sum, d) => sum + d.size, 0);
        if (inside.length === 0 || !whole || covered !== range.size) {
          reasons.push(
            `events[${index}] (remove ${rangeText(range.start, range.size)}): QEMU unplugs whole pc-dimms, and this range is not made of whole hot-added DIMMs`,
          );
          return null;
        }
        if (ok) {
          for (const dimm of inside) dimm.live = false;
          const left = present.filter((p) => !overlaps(p, range));
          present.splice(0, present.length, ...left);
        }
        return {
          index,
          summary: `remove ${rangeText(range.start, range.size)}: device_del ${inside.map((d) => d.id).join(', ')}`,
          action: { kind: 'dimm-del', ids: inside.map((d) => d.id) },
        };
      }
      case 'pmem': {
        const range = { start: event.start, size: event.size };
        if (!inWindow(index, 'pmem', range)) return null;
        const id = `nvdimm${cold.filter((d) => d.kind === 'nvdimm').length}`;
        cold.push({ kind: 'nvdimm', id, ...range, node: event.node });
        if (ok) present.push(range);
        const mode = event.map === 'dev' ? 'pmem' : 'ram';
        return {
          index,
          summary: `pmem ${rangeText(range.start, range.size)} on node ${event.node}: ${id}'s namespace as fsdax, memmap on the ${event.map === 'dev' ? 'device' : 'RAM'} (pfn mode ${mode})`,
          action: { kind: 'fsdax', start: range.start, mode, alignBytes: event.align },
        };
      }
      case 'online':
      case 'offline': {
        const firstBlock = event.start === undefined ? null : Math.floor(event.start / blockBytes);
        const endBlock =
          event.start === undefined || firstBlock === null
            ? null
            : event.size === undefined
              ? firstBlock + 1
              : Math.ceil((event.start + event.size) / blockBytes);
        const write = event.op === 'offline' ? 'offline' : event.as;
        if (event.op === 'online') for (const g of groups) g.offlineBytes = 0;
        const where =
          firstBlock === null
            ? 'every memory block'
            : `memory${firstBlock}..memory${endBlock! - 1}`;
        return {
          index,
          summary: `echo ${write} > state of ${where}`,
          action: { kind: 'state', firstBlock, endBlock, write },
        };
      }
      case 'hugetlb': {
        const pageKiB = event.pageSize / 1024;
        const node = event.node ?? null;
        return {
          index,
          summary: `nr_hugepages of ${pageKiB} kB pages ${node === null ? 'globally' : `on node ${node}`} = ${event.count}`,
          action: { kind: 'hugetlb', pageKiB, node, count: event.count },
        };
      }
      default:
        return null; // refused in support.ts
    }
  };

  scenario.events.forEach((event, index) => {
    const planned = plan(event, index, result.steps[index + 1]?.ok ?? false);
    if (planned) events.push(planned);
  });
  cold.push(...groups.map(({ offlineBytes: _offline, ...device }) => device));
  const coldBytes = cold.reduce((sum, device) => sum + device.size, 0);
  return {
    events,
    cold,
    reasons,
    needs: {
      endBytes,
      peakBytes: coldBytes + livePeak,
      dimmSlots: dimms.length + cold.filter((d) => d.kind === 'nvdimm').length,
    },
  };
}
