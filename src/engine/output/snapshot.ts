/**
 * Reads the machine into the result format: per-step totals (like /proc/meminfo and
 * /proc/zoneinfo) and the final state as runs.
 */
import type { Machine } from '../model/machine.ts';
import type { Zone } from '../model/zone.ts';
import { hugeRunPages } from '../model/huge-runs.ts';
import { recordDescribedPages, recordHostPages } from '../model/memmap-records.ts';
import { classifyWindows, giganticByZone, windowPagesOf } from '../analysis/windows.ts';
import { buildTiles } from './tiles.ts';
import { hostsIn } from '../model/blocks.ts';
import { pinnedBlocks } from '../strategy/pinned.ts';
import type { RangeSet } from '../rangeset.ts';
import type {
  BlockRun,
  Final,
  MemmapRun,
  NodeStat,
  Region,
  Step,
  Summary,
  ZoneStat,
} from '../result.ts';

export type Totals = Pick<Step, 'memTotal' | 'memFree' | 'nodes' | 'zones'>;

/**
 * What each machine last reported per zone and per node: a step lists only the zones and nodes
 * whose figures changed (result format 2), so a timeline of a thousand events on a machine of a
 * thousand nodes costs what the events changed. A zone that stops spanning anything is reported
 * once more with zeros. See ../read-steps.ts for the full tables.
 *
 * Every step reads every zone, so the zones' last figures are kept in arrays beside
 * `machine.zones()` (rebuilt only when a zone is created) rather than looked up in maps: on 64
 * nodes and 512 events the lookups were a tenth of the run.
 */
interface Reported {
  zones: readonly Zone[];
  nodeSlots: Int32Array;
  stats: (ZoneStat | undefined)[];
  nodes: (NodeStat | undefined)[];
  /** Scratch sums per node slot, reused each step. */
  managed: Float64Array;
  free: Float64Array;
}
const reported = new WeakMap<Machine, Reported>();

function reportedOf(machine: Machine): Reported {
  const zones = machine.zones();
  const previous = reported.get(machine);
  if (previous?.zones === zones) return previous;
  const before = new Map<Zone, ZoneStat | undefined>();
  previous?.zones.forEach((zone, i) => before.set(zone, previous.stats[i]));
  const last: Reported = {
    zones,
    nodeSlots: Int32Array.from(zones, (zone) => machine.nodeSlot.get(zone.node)!),
    stats: zones.map((zone) => before.get(zone)),
    nodes: previous?.nodes ?? [],
    managed: new Float64Array(machine.nodeIds.length),
    free: new Float64Array(machine.nodeIds.length),
  };
  reported.set(machine, last);
  return last;
}

export function totals(machine: Machine): Totals {
  const last = reportedOf(machine);
  const { zones: all, nodeSlots, stats } = last;
  const zones: ZoneStat[] = [];
  const nodeIds = machine.nodeIds;
  const { managed, free } = last;
  managed.fill(0);
  free.fill(0);
  for (let z = 0; z < all.length; z++) {
    const zone = all[z]!;
    const i = nodeSlots[z]!;
    const freePages = zone.freePages;
    const managedPages = zone.managedPages;
    managed[i]! += managedPages;
    free[i]! += freePages;
    const before = stats[z];
    const spannedPages = zone.spannedPages;
    if (spannedPages === 0 && !before) continue;
    const startPfn = spannedPages === 0 ? 0 : zone.startPfn;
    if (
      before &&
      before.spannedPages === spannedPages &&
      before.presentPages === zone.presentPages &&
      before.managedPages === managedPages &&
      before.freePages === freePages &&
      before.startPfn === startPfn
    )
      continue;
    const stat: ZoneStat = {
      node: zone.node,
      zone: zone.name,
      spannedPages,
      presentPages: zone.presentPages,
      managedPages,
      freePages,
      startPfn,
    };
    zones.push(stat);
    stats[z] = spannedPages === 0 ? undefined : stat;
  }
  const nodes: NodeStat[] = [];
  let memTotal = 0;
  let memFree = 0;
  for (let i = 0; i < nodeIds.length; i++) {
    const node = nodeIds[i]!;
    const total = machine.toBytes(managed[i]!);
    const freeBytes = machine.toBytes(free[i]!);
    memTotal += total;
    memFree += freeBytes;
    const before = last.nodes[i];
    if (before && before.memTotal === total && before.memFree === freeBytes) continue;
    const stat = { node, memTotal: total, memFree: freeBytes };
    last.nodes[i] = stat;
    nodes.push(stat);
  }
  return { memTotal, memFree, nodes, zones };
}

function blockRuns(machine: Machine): BlockRun[] {
  const placements = new Map(machine.resources.map((resource) => [resource.id, resource]));
  // Each add request's memmap records carry its id: one pass gives every run its host nodes.
  const hostNodes = new Map<number, number[]>();
  for (const record of machine.memmap) {
    if (record.host !== 'ram' || record.resource < 0) continue;
    const nodes = hostNodes.get(record.resource) ?? [];
    if (!nodes.includes(record.hostNode)) nodes.push(record.hostNode);
    hostNodes.set(record.resource, nodes);
  }
  return machine.blocks.all().map(({ first, count, attrs }) => {
    const resource = placements.get(attrs.resource);
    const run: BlockRun = {
      firstBlock: first,
      count,
      startAddr: machine.toBytes(first * machine.blockPages),
      node: attrs.node,
      state: attrs.state,
      zone: attrs.zone,
      memmapPages: attrs.memmapPages,
      wastePages: attrs.wastePages,
      presentPages: attrs.presentPages,
      event: resource?.event ?? -1,
      placement: resource?.placement ?? 'boot',
      memmapHostNodes: hostNodes.get(attrs.resource) ?? [],
    };
    // Groups sharing an altmap: only every memmapEvery-th block holds the memmap.
    if ((attrs.memmapEvery ?? 1) > 1) {
      run.memmapEvery = attrs.memmapEvery;
      run.memmapPhase = attrs.memmapPhase ?? 0;
    }
    return run;
  });
}

/** Blocks of a run that hold its memmapPages. */
const hostBlocks = (run: BlockRun) =>
  hostsIn(run.firstBlock, run.count, run.memmapEvery, run.memmapPhase);

/** Adds repeat and period fields to a run that repeats (bytes). */
function repeated<T extends object>(run: T, reps: number, periods: Record<string, number>): T {
  if (reps <= 1) return run;
  return Object.assign(run, { repeat: reps }, periods);
}

function memmapRuns(machine: Machine): MemmapRun[] {
  return machine.memmap
    .filter((record) => record.describesPages > 0 && record.reps > 0)
    .map((record) => {
      let hostZone = record.hostZone;
      if (record.host === 'self')
        hostZone = machine.blocks.at(record.hostStartPfn / machine.blockPages)?.attrs.zone ?? null;
      const run: MemmapRun = {
        describesStart: machine.toBytes(record.describesStartPfn),
        describesSize: machine.toBytes(record.describesPages),
        host: record.host,
        hostNode: record.hostNode,
        hostStart: machine.toBytes(record.hostStartPfn),
        hostSize: machine.toBytes(record.hostPages),
        kind: record.kind,
        event: record.event,
        basePages: record.basePages,
        hostZone,
        describesNode: record.describesNode,
      };
      return repeated(run, record.reps, {
        describesPeriod: machine.toBytes(record.describesStridePfn),
        hostPeriod: machine.toBytes(record.hostStridePfn),
      });
    });
}

function regions(machine: Machine): Region[] {
  const list: Region[] = [];
  const period = (stridePfn: number) => ({ period: machine.toBytes(stridePfn) });
  for (const allocation of machine.allocations) {
    const region: Region = {
      kind: allocation.kind,
      startAddr: machine.toBytes(allocation.startPfn),
      size: machine.toBytes(allocation.pages),
      node: allocation.node,
      zone: allocation.zone,
      event: allocation.event,
    };
    list.push(repeated(region, allocation.reps, period(allocation.stridePfn)));
  }
  for (const record of machine.memmap) {
    if (record.host !== 'ram') continue;
    const region: Region = {
      kind: record.kind === 'boot' ? 'boot-memmap' : 'memmap',
      startAddr: machine.toBytes(record.hostStartPfn),
      size: machine.toBytes(record.hostPages),
      node: record.hostNode,
      zone: record.hostZone,
      event: record.event,
    };
    list.push(repeated(region, record.reps, period(record.hostStridePfn)));
  }
  for (const { pageSize, runs } of machine.pools.values()) {
    for (const run of runs) {
      const region: Region = {
        kind: 'hugetlb',
        startAddr: machine.toBytes(run.startPfn),
        size: run.count * pageSize,
        node: run.node,
        zone: run.zone,
        event: -1,
        pageSize,
      };
      list.push(repeated(region, run.reps, period(run.stridePfn)));
    }
  }
  return list.sort((a, b) => a.startAddr - b.startAddr);
}

function summarize(
  machine: Machine,
  gigantic: Final['gigantic'],
  blocks: BlockRun[],
  memTotal: number,
  memFree: number,
  pinned: RangeSet,
): Summary {
  const summary: Summary = {
    memmapTotalBytes: 0,
    memmapFromRamBytes: 0,
    memmapSelfHostedBytes: 0,
    memmapDeviceBytes: 0,
    memmapOffNodeBytes: 0,
    memmapWastedBytes: 0,
    bootMemmapBytes: 0,
    giganticPageSize: Math.max(...machine.spec.hugePageSizes),
    giganticWindows: gigantic.reduce((sum, zone) => sum + zone.windows, 0),
    giganticPossible: gigantic.reduce((sum, zone) => sum + zone.possible, 0),
    giganticAllocated: 0,
    blocks: blocks.reduce((sum, run) => sum + run.count, 0),
    blocksOnline: blocks
      .filter((run) => run.state === 'online')
      .reduce((sum, run) => sum + run.count, 0),
    blocksAllMemmap: blocks
      .filter((run) => run.memmapPages > 0 && run.memmapPages >= run.presentPages)
      .reduce((sum, run) => sum + hostBlocks(run), 0),
    blocksPinnedByMemmap: pinned.total(),
    memTotal,
    memFree,
  };
  for (const record of machine.memmap) {
    const hostBytes = machine.toBytes(recordHostPages(record));
    const describedBytes = recordDescribedPages(record) * machine.structPageSize;
    if (record.kind === 'boot') {
      summary.bootMemmapBytes += hostBytes;
      continue;
    }
    summary.memmapTotalBytes += describedBytes;
    if (record.host === 'ram') summary.memmapFromRamBytes += hostBytes;
    else if (record.host === 'self') summary.memmapSelfHostedBytes += describedBytes;
    else summary.memmapDeviceBytes += hostBytes;
    if (record.host === 'ram' && record.hostNode !== record.describesNode)
      summary.memmapOffNodeBytes += hostBytes;
  }
  for (const run of blocks)
    summary.memmapWastedBytes += machine.toBytes(hostBlocks(run) * run.wastePages);
  for (const pool of machine.pools.values()) {
    if (pool.pageSize === summary.giganticPageSize)
      summary.giganticAllocated += pool.runs.reduce((sum, run) => sum + hugeRunPages(run), 0);
  }
  return summary;
}

/** The headline figures alone (what the Summary compares between two steps). */
export function summaryOf(machine: Machine): Summary {
  const gigantic = giganticByZone(classifyWindows(machine, windowPagesOf(machine)));
  let memTotal = 0;
  let memFree = 0;
  for (const zone of machine.zones()) {
    memTotal += machine.toBytes(zone.managedPages);
    memFree += machine.toBytes(zone.freePages);
  }
  return summarize(machine, gigantic, blockRuns(machine), memTotal, memFree, pinnedBlocks(machine));
}

export function finalState(machine: Machine): Final {
  // Read once: the Summary counts these blocks and the tiles hatch them.
  const pinned = pinnedBlocks(machine);
  const windows = classifyWindows(machine, windowPagesOf(machine));
  const gigantic = giganticByZone(windows);
  const blocks = blockRuns(machine);
  let memTotal = 0;
  let memFree = 0;
  for (const zone of machine.zones()) {
    memTotal += machine.toBytes(zone.managedPages);
    memFree += machine.toBytes(zone.freePages);
  }
  const hugetlb = [...machine.pools.values()]
    .map((pool) => ({
      pageSize: pool.pageSize,
      node: pool.node,
      count: pool.runs.reduce((sum, run) => sum + hugeRunPages(run), 0),
    }))
    .filter((pool) => pool.count > 0)
    .sort((a, b) => a.pageSize - b.pageSize || a.node - b.node);
  return {
    blocks,
    memmap: memmapRuns(machine),
    hugetlb,
    gigantic,
    warnings: [...machine.warnings],
    windows,
    regions: regions(machine),
    devices: machine.devices.map((device) => ({
      kind: device.kind,
      startAddr: machine.toBytes(device.startPfn),
      size: machine.toBytes(device.nrPages),
      node: device.node,
      event: device.event,
      ...(device.map ? { map: device.map } : {}),
      ...(device.dataOffsetPages !== undefined
        ? { dataOffset: machine.toBytes(device.dataOffsetPages) }
        : {}),
    })),
    tiles: buildTiles(machine, pinned),
    summary: summarize(machine, gigantic, blocks, memTotal, memFree, pinned),
    notes: [...machine.notes],
  };
}
