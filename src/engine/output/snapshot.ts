/**
 * Reads the machine into the result format: per-step totals (like /proc/meminfo and
 * /proc/zoneinfo) and the final state as runs.
 */
import type { Machine } from '../model/machine.ts';
import { classifyWindows, giganticByZone, windowPagesOf } from '../analysis/windows.ts';
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
 * Last stats per zone and per node: an entry that did not change in a step is shared with the step
 * before (most events touch one node of many), which keeps big timelines small and fast.
 */
const lastZoneStats = new WeakMap<object, ZoneStat>();
const lastNodeStats = new WeakMap<Machine, Map<number, NodeStat>>();

export function totals(machine: Machine): Totals {
  const zones: ZoneStat[] = [];
  const nodeIds = machine.nodeIds;
  const managed = new Float64Array(nodeIds.length);
  const free = new Float64Array(nodeIds.length);
  const slot = machine.nodeSlot;
  for (const zone of machine.zones()) {
    const i = slot.get(zone.node)!;
    const freePages = zone.freePages;
    managed[i]! += zone.managedPages;
    free[i]! += freePages;
    const spannedPages = zone.spannedPages;
    if (spannedPages === 0) continue;
    const last = lastZoneStats.get(zone);
    if (
      last &&
      last.spannedPages === spannedPages &&
      last.presentPages === zone.presentPages &&
      last.managedPages === zone.managedPages &&
      last.freePages === freePages &&
      last.startPfn === zone.startPfn
    ) {
      zones.push(last);
      continue;
    }
    const stat: ZoneStat = {
      node: zone.node,
      zone: zone.name,
      spannedPages,
      presentPages: zone.presentPages,
      managedPages: zone.managedPages,
      freePages,
      startPfn: zone.startPfn,
    };
    lastZoneStats.set(zone, stat);
    zones.push(stat);
  }
  let previous = lastNodeStats.get(machine);
  if (!previous) {
    previous = new Map();
    lastNodeStats.set(machine, previous);
  }
  const nodes: NodeStat[] = new Array(nodeIds.length);
  let memTotal = 0;
  let memFree = 0;
  for (let i = 0; i < nodeIds.length; i++) {
    const node = nodeIds[i]!;
    const total = machine.toBytes(managed[i]!);
    const freeBytes = machine.toBytes(free[i]!);
    memTotal += total;
    memFree += freeBytes;
    const last = previous.get(node);
    if (last && last.memTotal === total && last.memFree === freeBytes) {
      nodes[i] = last;
    } else {
      const stat = { node, memTotal: total, memFree: freeBytes };
      previous.set(node, stat);
      nodes[i] = stat;
    }
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
    return {
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
  });
}

function memmapRuns(machine: Machine): MemmapRun[] {
  return machine.memmap
    .filter((record) => record.describesPages > 0)
    .map((record) => {
      let hostZone = record.hostZone;
      if (record.host === 'self')
        hostZone = machine.blocks.at(record.hostStartPfn / machine.blockPages)?.attrs.zone ?? null;
      return {
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
        layout: record.layout,
        perBlockSize: machine.toBytes(record.perBlockPages),
        describesNode: record.describesNode,
      };
    });
}

function regions(machine: Machine): Region[] {
  const list: Region[] = [];
  for (const allocation of machine.allocations) {
    list.push({
      kind: allocation.kind,
      startAddr: machine.toBytes(allocation.startPfn),
      size: machine.toBytes(allocation.pages),
      node: allocation.node,
      zone: allocation.zone,
      event: allocation.event,
    });
  }
  for (const record of machine.memmap) {
    if (record.host !== 'ram') continue;
    list.push({
      kind: record.kind === 'boot' ? 'boot-memmap' : 'memmap',
      startAddr: machine.toBytes(record.hostStartPfn),
      size: machine.toBytes(record.hostPages),
      node: record.hostNode,
      zone: record.hostZone,
      event: record.event,
    });
  }
  for (const { pageSize, runs } of machine.pools.values()) {
    for (const run of runs) {
      list.push({
        kind: 'hugetlb',
        startAddr: machine.toBytes(run.startPfn),
        size: run.count * pageSize,
        node: run.node,
        zone: run.zone,
        event: -1,
        pageSize,
      });
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
      .reduce((sum, run) => sum + run.count, 0),
    memTotal,
    memFree,
  };
  for (const record of machine.memmap) {
    const hostBytes = machine.toBytes(record.hostPages);
    if (record.kind === 'boot') {
      summary.bootMemmapBytes += hostBytes;
      continue;
    }
    summary.memmapTotalBytes += record.describesPages * machine.structPageSize;
    if (record.host === 'ram') summary.memmapFromRamBytes += hostBytes;
    else if (record.host === 'self')
      summary.memmapSelfHostedBytes += record.describesPages * machine.structPageSize;
    else summary.memmapDeviceBytes += hostBytes;
    if (record.host === 'ram' && record.hostNode !== record.describesNode)
      summary.memmapOffNodeBytes += hostBytes;
  }
  for (const run of blocks)
    summary.memmapWastedBytes += machine.toBytes(run.count * run.wastePages);
  for (const pool of machine.pools.values()) {
    if (pool.pageSize === summary.giganticPageSize)
      summary.giganticAllocated += pool.runs.reduce((sum, run) => sum + run.count, 0);
  }
  return summary;
}

export function finalState(machine: Machine): Final {
  const windows = classifyWindows(machine, windowPagesOf(machine));
  const gigantic = giganticByZone(windows);
  const blocks = blockRuns(machine);
  const { memTotal, memFree } = totals(machine);
  const hugetlb = [...machine.pools.values()]
    .map((pool) => ({
      pageSize: pool.pageSize,
      node: pool.node,
      count: pool.runs.reduce((sum, run) => sum + run.count, 0),
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
    summary: summarize(machine, gigantic, blocks, memTotal, memFree),
    notes: [...machine.notes],
  };
}
