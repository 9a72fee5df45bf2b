/**
 * Parsed pastes into one scenario (shared/spec/scenario.md, version 1). The order of trust:
 * RAM addresses from /proc/iomem (exact, with firmware holes), else from the memory blocks of
 * lsmem or sysfs (whole blocks), else from zoneinfo zone spans, else from numactl sizes; nodes
 * from the blocks, else zoneinfo, else numactl. Memory hot-added after boot (hotplug.ts) becomes
 * add and online events; the rest is boot RAM. Every inference is a note, every contradiction a
 * problem, and the scenario returned has passed validateScenario.
 */
import { ARCHES, blockSizeProblem } from '../engine/arch.ts';
import type { ScenarioInput } from '../engine/scenario/schema.ts';
import { formatValidationError } from '../engine/scenario/types.ts';
import { validateScenario } from '../engine/scenario/validate.ts';
import { MiB, formatBytes } from '../engine/units.ts';
import { inferArch } from './arch-infer.ts';
import { zoneOf } from './blocks.ts';
import {
  type Evidence,
  type ParsedPart,
  adjacentLmbs,
  archEvidence,
  gatherEvidence,
} from './evidence.ts';
import { type HotplugPlan, planHotplug } from './hotplug.ts';
import {
  bootUsed,
  holeNames,
  holeNotes,
  ownersFromNumaSizes,
  ramFromNumaSizes,
  ramFromZones,
  zoneRange,
} from './layout.ts';
import { kmemSelfHosted, pmemEvents } from './devices.ts';
import {
  type Owned,
  type Range,
  addressText,
  assignOwners,
  mergeRanges,
  pageAlign,
  sizeOf,
  sizeText,
  subtractRanges,
} from './ranges.ts';
import { FORMAT_LABELS, type ImportProblem } from './types.ts';

export type { ParsedPart } from './evidence.ts';

export interface ImportOptions {
  /** Memory at or above this address was hot-added (overrides the inference). */
  bootEnd?: number;
}

export interface CombineResult {
  scenario: ScenarioInput | null;
  notes: string[];
  problems: ImportProblem[];
}

type EventInput = NonNullable<ScenarioInput['events']>[number];

/** Boot RAM as owned ranges (owner: node, or null when no source says). */
function bootRam(
  evidence: Evidence,
  plan: HotplugPlan,
  { pageSize, blockSize, x86 }: { pageSize: number; blockSize: number; x86: boolean },
  notes: string[],
) {
  const hot: Range[] = [
    ...evidence.drivers,
    ...(plan.bootEnd === null ? [] : [{ start: plan.bootEnd, end: Number.MAX_SAFE_INTEGER }]),
  ];
  if (evidence.ram.length) {
    const ram = mergeRanges(
      evidence.ram.map((r) => pageAlign(r, pageSize)).filter((r): r is Range => r !== null),
    );
    return { ram: subtractRanges(ram, hot), owned: null, from: '/proc/iomem' };
  }
  if (evidence.spans.length) {
    notes.push(
      'RAM is whole memory blocks: firmware holes inside them are not visible without /proc/iomem',
    );
    return {
      ram: subtractRanges(mergeRanges(evidence.spans), hot),
      owned: null,
      from: 'the memory blocks',
    };
  }
  const zoneRam = ramFromZones(evidence.zones, pageSize, hot, x86, notes);
  if (zoneRam.length)
    return { ram: mergeRanges(zoneRam), owned: zoneRam, from: 'the zone spans of /proc/zoneinfo' };
  const numaRam = ramFromNumaSizes(evidence.numa?.nodes ?? [], blockSize, notes);
  return { ram: mergeRanges(numaRam), owned: numaRam, from: 'the numactl node sizes' };
}

function owners(
  evidence: Evidence,
  ram: Range[],
  owned: Owned<number>[] | null,
  { pageSize, blockSize }: { pageSize: number; blockSize: number },
  notes: string[],
) {
  if (owned) return owned;
  const fromBlocks = evidence.spans
    .filter((s) => s.node !== null)
    .map((s) => ({ ...s, owner: s.node! }));
  if (fromBlocks.length) return fromBlocks;
  const fromZones = evidence.zones.flatMap((z) => {
    const range = zoneRange(z, pageSize);
    return range && z.zone !== 'Device' ? [{ ...range, owner: z.node }] : [];
  });
  if (fromZones.length) return fromZones;
  return ownersFromNumaSizes(ram, evidence.numa?.nodes ?? [], blockSize, notes);
}

function nodeIds(evidence: Evidence, pieces: { owner: number | null }[]): number[] {
  const ids = new Set<number>();
  for (const id of evidence.numa?.listed ?? []) ids.add(id);
  for (const node of evidence.numa?.nodes ?? []) ids.add(node.id);
  for (const zone of evidence.zones) ids.add(zone.node);
  for (const span of evidence.spans) if (span.node !== null) ids.add(span.node);
  for (const piece of pieces) if (piece.owner !== null) ids.add(piece.owner);
  return [...ids].sort((a, b) => a - b);
}

function distancesOf(evidence: Evidence, id: number, ids: number[]) {
  const row = evidence.numa?.distances?.[id];
  if (!row) return undefined;
  const distance: Record<string, number> = {};
  for (const other of ids) {
    const value = row[other];
    if (other !== id && value !== undefined && value !== 20 && value >= 10 && value <= 254)
      distance[String(other)] = value;
  }
  return Object.keys(distance).length ? distance : undefined;
}

function hotplugEvents(
  plan: HotplugPlan,
  notes: string[],
  kmemSwitch: (add: HotplugPlan['adds'][number]) => boolean | undefined,
): EventInput[] {
  const events: EventInput[] = [];
  for (const add of plan.adds) {
    if (add.node === null)
      notes.push(
        `the node of the memory added at ${addressText(add.start)} is not shown (a block listing with nodes would tell): the add goes to node 0, the scenario's default`,
      );
    const selfHosted = add.via === 'kmem' ? kmemSwitch(add) : undefined;
    events.push({
      op: 'add',
      start: sizeText(add.start),
      size: sizeText(add.end - add.start),
      ...(add.node === null ? {} : { node: add.node }),
      ...(add.via === null ? {} : { via: add.via }),
      ...(selfHosted === undefined ? {} : { memmapOnMemory: selfHosted }),
    });
    // Each add onlines its own part of the online runs (a run can cross devices).
    for (const online of plan.onlines) {
      const start = Math.max(online.start, add.start);
      const end = Math.min(online.end, add.end);
      if (end > start)
        events.push({
          op: 'online',
          start: sizeText(start),
          size: sizeText(end - start),
          as: online.as,
        });
    }
  }
  for (const range of plan.offlined)
    events.push({
      op: 'offline',
      start: sizeText(range.start),
      size: sizeText(range.end - range.start),
    });
  return events;
}

export function combine(parts: ParsedPart[], options: ImportOptions = {}): CombineResult {
  const problems: ImportProblem[] = [];
  const notes: string[] = [];
  const evidence = gatherEvidence(parts, problems, notes);
  const choice = inferArch(archEvidence(evidence));
  notes.unshift(...choice.notes);
  const { arch, pageSize } = choice;
  const spec = ARCHES[arch];
  const x86 = arch.startsWith('x86');
  // Where the listing does not give the block size, the smallest the kernel would pick.
  const blockSize =
    evidence.blockSize ?? (typeof spec.defaultBlock === 'number' ? spec.defaultBlock : 128 * MiB);
  const lowZones = [
    ...evidence.spans.filter((s) => zoneOf(s) === 'DMA' || zoneOf(s) === 'DMA32'),
    ...evidence.zones
      .filter((z) => z.zone === 'DMA' || z.zone === 'DMA32')
      .map((z) => zoneRange(z, pageSize))
      .filter((r): r is Range => r !== null),
  ];
  const plan = planHotplug({
    spans: evidence.spans,
    drivers: evidence.drivers,
    adjacent: adjacentLmbs(evidence),
    ram: evidence.ram,
    movableZones: evidence.zones.flatMap((z) => {
      const range = z.zone === 'Movable' && z.presentPages ? zoneRange(z, pageSize) : null;
      return range ? [{ ...range, node: z.node }] : [];
    }),
    lowZonesEnd: Math.max(0, ...lowZones.map((r) => r.end)),
    blockSize,
    defaultVia: spec.caller === 'dlpar' ? 'dlpar' : null,
    bootEnd: options.bootEnd,
  });
  notes.push(...plan.notes);

  const boot = bootRam(evidence, plan, { pageSize, blockSize, x86 }, notes);
  if (!boot.ram.length) {
    problems.push({
      message:
        'no boot RAM found in the pastes: nothing gives the addresses of the memory present at boot',
    });
    return { scenario: null, notes, problems };
  }
  const pieces = assignOwners(
    boot.ram,
    owners(evidence, boot.ram, boot.owned, { pageSize, blockSize }, notes),
  );
  const ids = nodeIds(evidence, pieces);
  const fallbackNode =
    ids.find((id) => evidence.numa?.nodes.find((n) => n.id === id)?.sizeBytes !== 0) ?? 0;
  const ramByNode = new Map<number, Range[]>((ids.length ? ids : [0]).map((id) => [id, []]));
  for (const piece of pieces) {
    const id = piece.owner ?? fallbackNode;
    if (!ramByNode.has(id)) ramByNode.set(id, []);
    ramByNode.get(id)!.push({ start: piece.start, end: piece.end });
  }
  for (const [id, ranges] of ramByNode) ramByNode.set(id, mergeRanges(ranges));
  const nodeIdsAll = [...ramByNode.keys()].sort((a, b) => a - b);
  const nodeRam = (id: number) => sizeOf(ramByNode.get(id)!);
  notes.push(
    `boot RAM from ${boot.from}: ${nodeIdsAll.map((id) => `node ${id} ${nodeRam(id) ? formatBytes(nodeRam(id)) : 'none (memoryless at boot)'}`).join(', ')}`,
  );
  notes.push(...holeNotes(ramByNode, (hole) => holeNames(evidence, hole)));

  const events = [
    ...hotplugEvents(plan, notes, (add) => kmemSelfHosted(evidence, add, pageSize, notes)),
    ...pmemEvents(evidence, notes),
  ];
  let blockSizeField: string | number = 'auto';
  if (evidence.blockSize !== null) {
    const problem = blockSizeProblem(spec, evidence.blockSize);
    if (problem)
      problems.push({
        message: `block size ${formatBytes(evidence.blockSize)} ${problem} on ${arch}; the kernel's rule is used instead`,
      });
    else blockSizeField = sizeText(evidence.blockSize);
  } else notes.push(`the block size is not shown: the kernel's rule for ${arch} decides ("auto")`);
  notes.push('era U3 (Linux 6.8+) assumed: the pastes do not show the kernel version');

  const used = events.length ? {} : bootUsed(evidence, pageSize, ramByNode, notes);
  if (events.length && evidence.zones.length)
    notes.push(
      'kernel.bootUsed left unset: zoneinfo was read after hotplug, and its used memory holds memmap the events allocate again',
    );
  const scenario: ScenarioInput = {
    version: 1,
    title: `Imported machine (${evidence.formats.map((f) => FORMAT_LABELS[f]).join(', ')})`,
    arch,
    machine: {
      blockSize: blockSizeField,
      nodes: nodeIdsAll.map((id) => {
        const distance = distancesOf(evidence, id, nodeIdsAll);
        const ram = ramByNode
          .get(id)!
          .map((r) => ({ start: sizeText(r.start), size: sizeText(r.end - r.start) }));
        return distance ? { id, ram, distance } : { id, ram };
      }),
    },
    kernel: {
      ...evidence.kernel,
      ...(Object.keys(used).length ? { bootUsed: used } : {}),
    },
    events,
  };
  const validation = validateScenario(scenario);
  if (!validation.ok) {
    for (const error of validation.errors)
      problems.push({
        message: `the imported scenario is not valid: ${formatValidationError(error)}`,
      });
    return { scenario: null, notes, problems };
  }
  return { scenario, notes, problems };
}
