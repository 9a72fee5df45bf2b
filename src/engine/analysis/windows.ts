/**
 * Gigantic-page windows: every naturally aligned window of the largest huge page size, and why it
 * can or cannot hold a gigantic page now (reference §8). Windows are reported as runs: between
 * two places where anything changes (a block edge, a memmap, an allocation) all windows are alike,
 * so the cost follows the number of such edges, not the amount of memory.
 */
import type { ZoneName } from '../arch.ts';
import type { Machine } from '../model/machine.ts';
import type { Zone } from '../model/zone.ts';
import { RangeSet, type Range } from '../rangeset.ts';
import type { GiganticZone, WindowRun, WindowStatus } from '../result.ts';
import { formatBytes, alignUp, alignDown } from '../units.ts';

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

interface Context {
  windowPages: number;
  zones: Zone[];
  /** Every zone's online ranges, sorted by start: which zones a window touches, by binary search. */
  zoneStarts: Float64Array;
  zoneEnds: Float64Array;
  zoneOf: Zone[];
  memmapHosts: RangeSet;
  selfMemmap: RangeSet;
  kernelAllocs: RangeSet;
  hugeSmall: RangeSet;
  eligible: Map<Zone, RangeSet>;
  gigantic: RangeSet;
  bootBlocked: Map<number, Range[]>;
}

function buildContext(machine: Machine, windowPages: number): Context {
  const zones = machine.zones().filter((zone) => zone.name !== 'Device');
  const memmapHosts = new RangeSet();
  const selfMemmap = new RangeSet();
  const hostRanges: Range[] = [];
  const selfRanges: Range[] = [];
  for (const record of machine.memmap) {
    if (record.host === 'ram')
      hostRanges.push({ start: record.hostStartPfn, end: record.hostStartPfn + record.hostPages });
    else if (record.layout === 'linear')
      selfRanges.push({ start: record.hostStartPfn, end: record.hostStartPfn + record.hostPages });
  }
  for (const run of machine.blocks.all()) {
    if (run.attrs.memmapPages === 0 || run.attrs.resource === -1) continue;
    if (machine.blockPages < windowPages) {
      // Blocks smaller than a window: every window over the run holds some block's memmap, so the
      // run is one range (and costs one entry, not one per block).
      selfRanges.push({
        start: run.first * machine.blockPages,
        end: (run.first + run.count) * machine.blockPages,
      });
      continue;
    }
    for (let block = run.first; block < run.first + run.count; block++) {
      const start = block * machine.blockPages;
      selfRanges.push({ start, end: start + run.attrs.memmapPages });
    }
  }
  memmapHosts.addMany(hostRanges);
  selfMemmap.addMany(selfRanges);
  const kernelAllocs = new RangeSet();
  kernelAllocs.addMany(
    machine.allocations.map((a) => ({ start: a.startPfn, end: a.startPfn + a.pages })),
  );
  const hugeSmall = new RangeSet();
  const gigantic = new RangeSet();
  for (const pool of machine.pools.values()) {
    const hugePages = pool.pageSize / machine.pageSize;
    const ranges = pool.runs.map((run) => ({
      start: run.startPfn,
      end: run.startPfn + run.count * hugePages,
    }));
    (hugePages === windowPages ? gigantic : hugeSmall).addMany(ranges);
  }
  // Free ranges shorter than a window can never hold one: dropping them keeps a run of
  // memmap_on_memory blocks (one free range each) from costing one mark per block.
  const eligible = new Map(
    zones.map((zone) => {
      const set = giganticEligible(machine, zone, windowPages);
      return [
        zone,
        RangeSet.of([...set.ranges()].filter((range) => range.end - range.start >= windowPages)),
      ];
    }),
  );
  const bootBlockedByNode = new Map(
    machine.nodeIds.map((node) => [node, bootBlocked(machine, node, windowPages)]),
  );
  const spans: { start: number; end: number; zone: Zone }[] = [];
  for (const zone of zones) for (const range of zone.span.ranges()) spans.push({ ...range, zone });
  spans.sort((a, b) => a.start - b.start);
  return {
    windowPages,
    zones,
    zoneStarts: Float64Array.from(spans, (s) => s.start),
    zoneEnds: Float64Array.from(spans, (s) => s.end),
    zoneOf: spans.map((s) => s.zone),
    memmapHosts,
    selfMemmap,
    kernelAllocs,
    hugeSmall,
    eligible,
    gigantic,
    bootBlocked: bootBlockedByNode,
  };
}

/** Distinct zones whose online ranges overlap [start, end). */
function touchingZones(ctx: Context, start: number, end: number): Zone[] {
  const { zoneStarts, zoneEnds, zoneOf } = ctx;
  // Zones never share a pfn, so their online ranges are disjoint: sorted by start, by end too.
  let lo = 0;
  let hi = zoneStarts.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (zoneStarts[mid]! < end) lo = mid + 1;
    else hi = mid;
  }
  const found: Zone[] = [];
  for (let i = lo - 1; i >= 0 && zoneEnds[i]! > start && found.length < 2; i--) {
    if (!found.includes(zoneOf[i]!)) found.push(zoneOf[i]!);
  }
  return found;
}

function classify(
  machine: Machine,
  ctx: Context,
  start: number,
): { status: WindowStatus; zone: Zone | null; node: number } | null {
  const end = start + ctx.windowPages;
  const touching = touchingZones(ctx, start, end);
  const block = machine.blocks.at(Math.floor(start / machine.blockPages));
  if (!block && touching.length === 0) return null;
  const node = block?.attrs.node ?? touching[0]?.node ?? 0;
  if (touching.length > 1) return { status: 'mixed', zone: null, node };
  const zone = touching[0];
  if (!zone || !zone.span.covers(start, end))
    return { status: 'offline', zone: zone ?? null, node };
  if (zone.name === 'Movable') return { status: 'movable', zone, node: zone.node };
  if (ctx.gigantic.has(start)) return { status: 'allocated', zone, node: zone.node };
  if (ctx.eligible.get(zone)?.covers(start, end))
    return { status: 'possible', zone, node: zone.node };
  if (ctx.selfMemmap.intersects(start, end) || ctx.memmapHosts.intersects(start, end))
    return { status: 'memmap', zone, node: zone.node };
  if ((ctx.bootBlocked.get(zone.node) ?? []).some((r) => r.start < end && r.end > start))
    return { status: 'boot', zone, node: zone.node };
  if (ctx.kernelAllocs.intersects(start, end)) return { status: 'kernel', zone, node: zone.node };
  return { status: 'in-use', zone, node: zone.node };
}

export function windowPagesOf(machine: Machine): number {
  return Math.max(...machine.spec.hugePageSizes) / machine.pageSize;
}

/** Every window that touches memory, as runs of equal status, optionally limited to nodes. */
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
  // Window indices where anything changes; typed-array sort is numeric and fast.
  const marks: number[] = [];
  const mark = (pfn: number) => {
    const low = Math.floor(pfn / windowPages);
    marks.push(low);
    if (low * windowPages !== pfn) marks.push(low + 1);
  };
  const markRange = (start: number, end: number) => {
    mark(start);
    mark(end);
  };
  for (const run of machine.blocks.all()) {
    mark(run.first * machine.blockPages);
    mark((run.first + run.count) * machine.blockPages);
  }
  const sets = [
    ctx.memmapHosts,
    ctx.selfMemmap,
    ctx.kernelAllocs,
    ctx.hugeSmall,
    ctx.gigantic,
    ...ctx.zones.map((z) => z.span),
    ...ctx.eligible.values(),
    ...machine.bootRam.values(),
  ];
  for (const set of sets) set.forEachRange(markRange);
  const sorted = Float64Array.from(marks).sort();
  const runs: WindowRun[] = [];
  const windowBytes = machine.toBytes(windowPages);
  for (let i = 0; i + 1 < sorted.length; i++) {
    const first = sorted[i]!;
    const next = sorted[i + 1]!;
    if (next === first) continue;
    const found = classify(machine, ctx, first * windowPages);
    if (!found) continue;
    const zone: ZoneName | null = found.zone?.name ?? null;
    const last = runs[runs.length - 1];
    const startAddr = machine.toBytes(first * windowPages);
    if (
      last &&
      last.status === found.status &&
      last.node === found.node &&
      last.zone === zone &&
      last.startAddr + last.count * windowBytes === startAddr
    ) {
      last.count += next - first;
    } else {
      runs.push({ startAddr, count: next - first, node: found.node, zone, status: found.status });
    }
  }
  machine.windowsCache = { event: machine.currentEvent, windowPages, runs };
  return nodes ? runs.filter((run) => nodes.includes(run.node)) : runs;
}

export function giganticByZone(runs: readonly WindowRun[]): GiganticZone[] {
  const byKey = new Map<string, GiganticZone>();
  for (const run of runs) {
    if (!run.zone || run.status === 'offline' || run.status === 'mixed') continue;
    const key = `${run.node}/${run.zone}`;
    const entry = byKey.get(key) ?? { node: run.node, zone: run.zone, windows: 0, possible: 0 };
    entry.windows += run.count;
    if (run.status === 'possible' || run.status === 'allocated') entry.possible += run.count;
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
    counts.set(run.status, (counts.get(run.status) ?? 0) + run.count);
  const parts = [...counts]
    .filter(([status]) => status !== 'possible')
    .sort((a, b) => b[1] - a[1])
    .map(([status, count]) => `${count} ${REASONS[status] ?? status}`);
  const size = formatBytes(pageSize);
  return `no further ${size} window free of memmap and kernel allocations in a kernel zone${parts.length ? ` (of the ${size} windows, ${parts.join(', ')})` : ''}`;
}
