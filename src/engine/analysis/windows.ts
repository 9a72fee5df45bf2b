/**
 * Gigantic-page windows: every naturally aligned window of the largest huge page size, and why it
 * can or cannot hold a gigantic page now (reference §8). Windows are reported as runs, and runs
 * repeat: between two places where anything starts or ends, what is there is either the same
 * everywhere or periodic (a memmap at every block start), so the windows are classified for one
 * period and the answer repeats. The cost follows the number of such places, not memory.
 */
import type { ZoneName } from '../arch.ts';
import type { Machine } from '../model/machine.ts';
import type { Zone } from '../model/zone.ts';
import { RangeSet, type Range, type Run } from '../rangeset.ts';
import type { GiganticZone, WindowRun, WindowStatus } from '../result.ts';
import { formatBytes, alignUp, alignDown } from '../units.ts';
import { periodsOf } from './segments.ts';

/** Boot RAM of a node whose boot allocations are spread over it, widened to whole windows. */
function bootBlocked(machine: Machine, node: number, windowPages: number): Range[] {
  if (machine.bootUsedBytes(node) <= 0) return [];
  return (machine.bootRam.get(node)?.toArray() ?? []).map((range) => ({
    start: alignDown(range.start, windowPages),
    end: alignUp(range.end, windowPages),
  }));
}

/** Free memory of a kernel zone where a gigantic page could be carved out right now. */
export function giganticEligible(machine: Machine, zone: Zone, windowPages: number): RangeSet {
  if (zone.name === 'Movable' || zone.name === 'Device') return new RangeSet();
  const eligible = zone.free.clone();
  eligible.removeMany(bootBlocked(machine, zone.node, windowPages));
  return eligible;
}

export interface Context {
  windowPages: number;
  memmapHosts: RangeSet;
  selfMemmap: RangeSet;
  kernelAllocs: RangeSet;
  hugeSmall: RangeSet;
  gigantic: RangeSet;
  eligible: Map<Zone, RangeSet>;
  bootBlocked: Map<number, Range[]>;
}

export function buildContext(machine: Machine, windowPages: number): Context {
  const memmapHosts = new RangeSet();
  const selfMemmap = new RangeSet();
  for (const record of machine.memmap) {
    const run = {
      start: record.hostStartPfn,
      len: record.hostPages,
      stride: record.hostStridePfn,
      reps: record.reps,
    };
    if (record.host === 'ram') memmapHosts.addRun(run);
    else if (record.host === 'self') selfMemmap.addRun(run);
  }
  const kernelAllocs = new RangeSet();
  for (const a of machine.allocations)
    kernelAllocs.addRun({ start: a.startPfn, len: a.pages, stride: a.stridePfn, reps: a.reps });
  const hugeSmall = new RangeSet();
  const gigantic = new RangeSet();
  for (const pool of machine.pools.values()) {
    const hugePages = pool.pageSize / machine.pageSize;
    for (const run of pool.runs) {
      (hugePages === windowPages ? gigantic : hugeSmall).addRun({
        start: run.startPfn,
        len: run.count * hugePages,
        stride: run.stridePfn,
        reps: run.reps,
      });
    }
  }
  // Free runs shorter than a window can never hold one; dropping them leaves fewer places
  // where anything changes.
  const eligible = new Map<Zone, RangeSet>();
  for (const zone of machine.zones()) {
    if (zone.name === 'Device') continue;
    const set = giganticEligible(machine, zone, windowPages);
    eligible.set(zone, RangeSet.ofRuns(set.runs().filter((run) => run.len >= windowPages)));
  }
  const bootBlockedByNode = new Map(
    machine.nodeIds.map((node) => [node, bootBlocked(machine, node, windowPages)]),
  );
  return {
    windowPages,
    memmapHosts,
    selfMemmap,
    kernelAllocs,
    hugeSmall,
    gigantic,
    eligible,
    bootBlocked: bootBlockedByNode,
  };
}

/**
 * The context of this event's window classification when there was one (the map's tiles are
 * read from the same sets at the end of the run), else a fresh one.
 */
export function contextOf(machine: Machine, windowPages: number): Context {
  const cached = machine.windowsCache;
  if (cached && cached.event === machine.currentEvent && cached.windowPages === windowPages)
    return cached.context;
  return buildContext(machine, windowPages);
}

/** Distinct zones (of the nodes whose blocks are in the window) overlapping [start, end). */
function touchingZones(machine: Machine, start: number, end: number): readonly Zone[] {
  const firstBlock = Math.floor(start / machine.blockPages);
  const lastBlock = Math.ceil(end / machine.blockPages);
  // Scratch lists: classify reads the answer at once, for every window.
  const nodes = nodeScratch;
  const found = zoneScratch;
  nodes.length = 0;
  found.length = 0;
  machine.blocks.nodesWithin(firstBlock, lastBlock - firstBlock, nodes);
  for (const node of nodes) {
    for (const zone of machine.nodeZones(node)) {
      if (zone.name !== 'Device' && zone.span.intersects(start, end)) found.push(zone);
      if (found.length > 1) return found;
    }
  }
  return found;
}
const nodeScratch: number[] = [];
const zoneScratch: Zone[] = [];

export interface Verdict {
  status: WindowStatus;
  zone: ZoneName | null;
  node: number;
}

export function classify(machine: Machine, ctx: Context, start: number): Verdict | null {
  const end = start + ctx.windowPages;
  const touching = touchingZones(machine, start, end);
  const block = machine.blocks.at(Math.floor(start / machine.blockPages));
  if (!block && touching.length === 0) return null;
  const node = block?.attrs.node ?? touching[0]?.node ?? 0;
  if (touching.length > 1) return { status: 'mixed', zone: null, node };
  const zone = touching[0];
  if (!zone || !zone.span.covers(start, end))
    return { status: 'offline', zone: zone?.name ?? null, node };
  const verdict = (status: WindowStatus): Verdict => ({ status, zone: zone.name, node: zone.node });
  if (zone.name === 'Movable') return verdict('movable');
  if (ctx.gigantic.has(start)) return verdict('allocated');
  if (ctx.eligible.get(zone)?.covers(start, end)) return verdict('possible');
  if (ctx.selfMemmap.intersects(start, end) || ctx.memmapHosts.intersects(start, end))
    return verdict('memmap');
  if ((ctx.bootBlocked.get(zone.node) ?? []).some((r) => r.start < end && r.end > start))
    return verdict('boot');
  if (ctx.kernelAllocs.intersects(start, end)) return verdict('kernel');
  return verdict('in-use');
}

export function windowPagesOf(machine: Machine): number {
  return Math.max(...machine.spec.hugePageSizes) / machine.pageSize;
}

const sameVerdict = (a: Verdict | WindowRun, v: Verdict) =>
  a.status === v.status && a.node === v.node && a.zone === v.zone;

/** Every window that touches memory, as runs (periodic where they repeat), optionally by node. */
export function classifyWindows(
  machine: Machine,
  windowPages = windowPagesOf(machine),
  nodes?: readonly number[],
): WindowRun[] {
  // The same machine state asked twice (a short hugetlb request at the last step, then the final
  // state) is classified once.
  const cached = machine.windowsCache;
  if (cached && cached.event === machine.currentEvent && cached.windowPages === windowPages) {
    return nodes ? cached.runs.filter((run) => nodes.includes(run.node)) : cached.runs;
  }
  const ctx = buildContext(machine, windowPages);
  const sources: Run[][] = [
    machine.blocks.all().map((run) => ({
      start: run.first * machine.blockPages,
      len: run.count * machine.blockPages,
      stride: run.count * machine.blockPages,
      reps: 1,
    })),
    ...[
      ctx.memmapHosts,
      ctx.selfMemmap,
      ctx.kernelAllocs,
      ctx.hugeSmall,
      ctx.gigantic,
      ...machine
        .zones()
        .filter((z) => z.name !== 'Device')
        .map((z) => z.span),
      ...ctx.eligible.values(),
      ...machine.bootRam.values(),
    ].map((set) => set.runs()),
  ];
  const windowBytes = machine.toBytes(windowPages);
  const runs: WindowRun[] = [];
  const push = (
    first: number,
    count: number,
    verdict: Verdict,
    reps: number,
    periodWindows: number,
  ) => {
    const startAddr = machine.toBytes(first * windowPages);
    const last = runs[runs.length - 1];
    if (
      reps === 1 &&
      last &&
      (last.repeat ?? 1) === 1 &&
      sameVerdict(last, verdict) &&
      last.startAddr + last.count * windowBytes === startAddr
    ) {
      last.count += count;
      return;
    }
    const run: WindowRun = {
      startAddr,
      count,
      node: verdict.node,
      zone: verdict.zone,
      status: verdict.status,
    };
    if (reps > 1) {
      run.repeat = reps;
      run.period = periodWindows * windowBytes;
    }
    runs.push(run);
  };
  for (const segment of periodsOf(sources.flat(), windowPages)) {
    const verdicts: (Verdict | null)[] = [];
    for (let j = 0; j < segment.period; j++)
      verdicts.push(classify(machine, ctx, (segment.first + j) * windowPages));
    emitSegment(segment, verdicts, push);
  }
  machine.windowsCache = { event: machine.currentEvent, windowPages, runs, context: ctx };
  return nodes ? runs.filter((run) => nodes.includes(run.node)) : runs;
}

/**
 * A segment's runs: windows first + j + k * period share verdict j. Consecutive offsets with
 * one verdict form one group, repeated once per whole period, plus what the last period holds.
 */
function emitSegment(
  segment: { first: number; count: number; period: number },
  verdicts: readonly (Verdict | null)[],
  push: (first: number, count: number, verdict: Verdict, reps: number, period: number) => void,
): void {
  const { first, count, period } = segment;
  const v0 = verdicts[0];
  if (v0 && verdicts.every((v) => v && sameVerdict(v, v0))) {
    push(first, count, v0, 1, 1);
    return;
  }
  const whole = Math.floor(count / period);
  const rest = count - whole * period;
  // One pass per whole period for the grouping, then the repetitions.
  let j = 0;
  const groups: { from: number; to: number; verdict: Verdict }[] = [];
  while (j < period) {
    const verdict = verdicts[j];
    let k = j + 1;
    while (k < period && verdict && verdicts[k] && sameVerdict(verdicts[k]!, verdict)) k++;
    if (verdict) groups.push({ from: j, to: k, verdict });
    j = k;
  }
  if (whole > 0)
    for (const g of groups) push(first + g.from, g.to - g.from, g.verdict, whole, period);
  for (const g of groups) {
    if (g.from >= rest) break;
    push(first + whole * period + g.from, Math.min(g.to, rest) - g.from, g.verdict, 1, period);
  }
}

export const windowCount = (run: WindowRun) => run.count * (run.repeat ?? 1);

export function giganticByZone(runs: readonly WindowRun[]): GiganticZone[] {
  const byKey = new Map<string, GiganticZone>();
  for (const run of runs) {
    if (!run.zone || run.status === 'offline' || run.status === 'mixed') continue;
    const key = `${run.node}/${run.zone}`;
    const entry = byKey.get(key) ?? { node: run.node, zone: run.zone, windows: 0, possible: 0 };
    entry.windows += windowCount(run);
    if (run.status === 'possible' || run.status === 'allocated') entry.possible += windowCount(run);
    byKey.set(key, entry);
  }
  return [...byKey.values()].sort((a, b) => a.node - b.node || a.zone.localeCompare(b.zone));
}

const REASONS: Partial<Record<WindowStatus, string>> = {
  memmap: 'hold memmap',
  movable: 'are in ZONE_MOVABLE',
  boot: 'are boot memory with kernel allocations',
  kernel: 'hold unmovable kernel allocations',
  offline: 'are offline or have holes',
  mixed: 'span two zones or nodes',
  'in-use': 'hold smaller huge pages or other allocations',
  allocated: 'already hold one',
};

/** `limitedBy` text for a gigantic request that fell short. */
export function explainWindows(
  machine: Machine,
  nodes: readonly number[],
  pageSize: number,
): string {
  const windowPages = pageSize / machine.pageSize;
  const counts = new Map<WindowStatus, number>();
  for (const run of classifyWindows(machine, windowPages, nodes))
    counts.set(run.status, (counts.get(run.status) ?? 0) + windowCount(run));
  const parts = [...counts]
    .filter(([status]) => status !== 'possible')
    .sort((a, b) => b[1] - a[1])
    .map(([status, count]) => `${count} ${REASONS[status] ?? status}`);
  const size = formatBytes(pageSize);
  return `no further ${size} window free of memmap and kernel allocations in a kernel zone${parts.length ? ` (of the ${size} windows, ${parts.join(', ')})` : ''}`;
}
