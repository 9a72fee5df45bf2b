/**
 * hugetlb pools: writing nr_hugepages globally or per node.
 *
 * Pages up to the buddy's largest order come from the buddy allocator on that node, ZONE_MOVABLE
 * included (hugepage_movable_supported), above each zone's min watermark, from the end of free
 * memory the zone hands out first (kalloc's takesFromTop). Larger (gigantic) pages come from alloc_contig_pages(): a naturally aligned window,
 * scanned from the bottom of each kernel zone, wholly free and in one zone (never ZONE_MOVABLE);
 * boot RAM that holds the kernel's boot allocations never qualifies. A global request
 * round-robins over the nodes with memory, so every node gets its share until it runs dry.
 */
import type { ZoneName } from '../arch.ts';
import { carveAligned, pieceRun, zoneUsable } from '../model/kalloc.ts';
import { cutHugeRun, hugeRunOf, hugeRunPages, hugeRunPfns } from '../model/huge-runs.ts';
import { hvoActive, optimizeVmemmap, releaseHugePages } from '../model/hvo.ts';
import type { HugeRun, Machine } from '../model/machine.ts';
import type { EventOf } from '../scenario/types.ts';
import { formatBytes } from '../units.ts';
import { explainWindows, giganticEligible } from '../analysis/windows.ts';
import { newDraft, type StepDraft } from './step.ts';
import { hostsIn } from '../model/blocks.ts';

const BUDDY_ZONES: ZoneName[] = ['Movable', 'Normal', 'DMA32', 'DMA'];
const KERNEL_ZONES: ZoneName[] = ['Normal', 'DMA32', 'DMA'];

function isGigantic(machine: Machine, pageSize: number): boolean {
  return pageSize > machine.spec.maxBuddySize;
}

/** How many more huge pages node can provide right now. */
export function nodeCapacity(machine: Machine, node: number, pageSize: number): number {
  const hugePages = pageSize / machine.pageSize;
  if (isGigantic(machine, pageSize)) {
    return KERNEL_ZONES.reduce((sum, name) => {
      const zone = machine.findZone(node, name);
      return (
        sum + (zone ? giganticEligible(machine, zone, hugePages).countAlignedChunks(hugePages) : 0)
      );
    }, 0);
  }
  return BUDDY_ZONES.reduce((sum, name) => {
    const zone = machine.findZone(node, name);
    if (!zone || zone.managedPages === 0) return sum;
    const byWatermark = Math.floor(zoneUsable(machine, zone, 'Movable') / hugePages);
    return sum + Math.min(byWatermark, zone.free.countAlignedChunks(hugePages));
  }, 0);
}

function allocateOnNode(machine: Machine, node: number, pageSize: number, wanted: number): number {
  const hugePages = pageSize / machine.pageSize;
  const pool = machine.pool(pageSize, node).runs;
  let got = 0;
  const gigantic = isGigantic(machine, pageSize);
  for (const name of gigantic ? KERNEL_ZONES : BUDDY_ZONES) {
    if (got >= wanted) break;
    const zone = machine.findZone(node, name);
    if (!zone || zone.managedPages === 0) continue;
    const runs: HugeRun[] = [];
    if (gigantic) {
      // alloc_contig_pages() scans upward from the zone start.
      const eligible = giganticEligible(machine, zone, hugePages);
      const taken = eligible.takeAligned(wanted - got, hugePages, hugePages, false);
      zone.free.removeRuns(taken);
      for (const run of taken) runs.push(hugeRunOf(run, hugePages, node, name));
    } else {
      const cap = Math.floor(zoneUsable(machine, zone, 'Movable') / hugePages);
      for (const piece of carveAligned(zone, Math.min(cap, wanted - got), hugePages))
        runs.push(hugeRunOf(pieceRun(piece), hugePages, node, name));
    }
    got += runs.reduce((sum, run) => sum + hugeRunPages(run), 0);
    for (const run of runs) {
      if (hvoActive(machine)) optimizeVmemmap(machine, run, hugePages);
      pool.push(run);
    }
  }
  machine.refreshWatermarks();
  return got;
}

function freeOnNode(
  machine: Machine,
  node: number,
  pageSize: number,
  count: number,
  event: number,
): void {
  const hugePages = pageSize / machine.pageSize;
  const pool = machine.pool(pageSize, node).runs;
  let remaining = count;
  // The most recently allocated pages go first: whole repetitions from the end of the last run.
  while (remaining > 0 && pool.length > 0) {
    const run = pool[pool.length - 1]!;
    const total = hugeRunPages(run);
    const take = Math.min(total, remaining);
    const pfns = hugeRunPfns(run, hugePages);
    const lastPfn = pfns.start + (pfns.reps - 1) * pfns.stride + pfns.len;
    // Cut from the top: whole repetitions, then the top of the one below them (when the cut
    // takes no part of it, it starts at that repetition's end, in the gap: the same cut).
    const wholeReps = Math.floor(take / run.count);
    const partial = take - wholeReps * run.count;
    const cutFrom =
      wholeReps >= run.reps
        ? pfns.start
        : pfns.start + (run.reps - wholeReps - 1) * pfns.stride + (run.count - partial) * hugePages;
    const { kept, removed } = cutHugeRun(run, hugePages, cutFrom, lastPfn);
    for (const part of removed) {
      releaseHugePages(machine, part, hugeRunPages(part), event);
      machine.findZone(node, run.zone)?.free.addRun(hugeRunPfns(part, hugePages));
    }
    pool.pop();
    pool.push(...kept);
    remaining -= take;
  }
  machine.refreshWatermarks();
}

/** Why a buddy-sized request fell short: the free memory left, and what breaks it up. */
function buddyShortfall(machine: Machine, nodes: readonly number[], pageSize: number): string {
  let freePages = 0;
  let selfHosted = 0;
  for (const node of nodes) {
    for (const zone of machine.nodeZones(node))
      if (zone.name !== 'Device') freePages += zone.freePages;
    for (const run of machine.blocks.all()) {
      if (run.attrs.node === node && run.attrs.state === 'online')
        selfHosted +=
          hostsIn(run.first, run.count, run.attrs.memmapEvery, run.attrs.memmapPhase) *
          Math.ceil(run.attrs.memmapPages / (pageSize / machine.pageSize));
    }
  }
  const where = nodes.length === 1 ? `node ${nodes[0]}` : 'the nodes with memory';
  return (
    `no further free ${formatBytes(pageSize)} chunk above the zone watermarks on ${where} (${formatBytes(machine.toBytes(freePages))} free in all)` +
    (selfHosted ? `; self-hosted memmap takes ${selfHosted} chunks of that size` : '')
  );
}

/** Shares `total` over nodes like hugetlb's round-robin: evenly, each capped by what it can do. */
function roundRobinShares(total: number, capacities: number[]): number[] {
  const shares = capacities.map(() => 0);
  let left = total;
  let open = capacities.map((_, i) => i).filter((i) => capacities[i]! > 0);
  while (left > 0 && open.length > 0) {
    const even = Math.max(1, Math.floor(left / open.length));
    for (const i of open) {
      const give = Math.min(even, capacities[i]! - shares[i]!, left);
      shares[i]! += give;
      left -= give;
      if (left === 0) break;
    }
    open = open.filter((i) => shares[i]! < capacities[i]!);
  }
  return shares;
}

export function hugetlbEvent(
  machine: Machine,
  event: EventOf<'hugetlb'>,
  index: number,
): StepDraft {
  const draft = newDraft();
  const pageSize = event.pageSize;
  const nodes =
    event.node !== undefined
      ? [event.node]
      : machine.nodeIds.filter((node) =>
          machine.nodeZones(node).some((zone) => zone.managedPages > 0),
        );
  const current = nodes.reduce((sum, node) => sum + machine.poolCount(pageSize, node), 0);
  const target = event.count;
  if (target > current) {
    const capacities = nodes.map((node) => nodeCapacity(machine, node, pageSize));
    const shares = roundRobinShares(target - current, capacities);
    nodes.forEach((node, i) => {
      if (shares[i]! > 0) allocateOnNode(machine, node, pageSize, shares[i]!);
    });
  } else if (target < current) {
    const counts = nodes.map((node) => machine.poolCount(pageSize, node));
    const shares = roundRobinShares(current - target, counts);
    nodes.forEach((node, i) => {
      if (shares[i]! > 0) freeOnNode(machine, node, pageSize, shares[i]!, index);
    });
  }
  const allocated = nodes.reduce((sum, node) => sum + machine.poolCount(pageSize, node), 0);
  const where = event.node !== undefined ? `node ${event.node}` : 'all nodes';
  draft.hugetlb = { pageSize, node: event.node ?? null, requested: target, allocated };
  draft.narrative.push(
    `nr_hugepages of ${formatBytes(pageSize)} pages on ${where}: ${target} requested, ${allocated} exist.`,
  );
  if (allocated < target) {
    const limitedBy = isGigantic(machine, pageSize)
      ? explainWindows(machine, nodes, pageSize)
      : buddyShortfall(machine, nodes, pageSize);
    draft.hugetlb.limitedBy = limitedBy;
    draft.narrative.push(`Short by ${target - allocated}: ${limitedBy}.`);
  }
  return draft;
}
