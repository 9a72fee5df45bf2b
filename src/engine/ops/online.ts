/**
 * Onlining and offlining memory blocks (writes to memoryN/state), with the zone and counter
 * changes of reference §6.4: self-hosted memmap pages are present in the block's zone but
 * never managed; offlining fails on unmovable pages and dissolves free huge pages.
 */
import { isKernelZone, type ZoneName } from '../arch.ts';
import {
  blockMemmapPages,
  runMemmapPages,
  withState,
  type BlockAttrs,
  type BlockRunEntry,
} from '../model/blocks.ts';
import type { Machine } from '../model/machine.ts';
import { RangeSet, type Range, type Run } from '../rangeset.ts';
import { cutHugeRun, hugeRunPages } from '../model/huge-runs.ts';
import type { HugeRun } from '../model/machine.ts';
import type { Zone } from '../model/zone.ts';
import { alignUp } from '../units.ts';
import { releaseHugePages } from '../model/hvo.ts';
import type { OnlineType } from '../scenario/types.ts';
import { memRange, type StepDraft } from './step.ts';
import { zoneForRange } from './zone-choice.ts';
import { pinsHosts, strategyOf } from '../strategy/kinds.ts';
import { freeGroupedBlocks } from '../strategy/group.ts';
import { onlineOutside, pinnedBlocks } from '../strategy/pinned.ts';

/**
 * Pages of blocks [first, first + count) the buddy allocator gets: not their memmap (held by
 * every block, or by every memmapEvery-th one), not what virtio-mem left unplugged.
 */
const managedOf = (first: number, count: number, attrs: BlockAttrs) =>
  count * (attrs.presentPages - attrs.unpluggedPages) - runMemmapPages(first, count, attrs);

function presentRange(machine: Machine, block: number, attrs: BlockAttrs): Range {
  const start = block * machine.blockPages + attrs.presentOffset;
  return { start, end: start + attrs.presentPages };
}

/**
 * Gives the present pages of n consecutive alike blocks to the zone's free memory, all but the
 * memmap at each block start: one periodic entry, however many blocks.
 */
function freeBlocks(
  machine: Machine,
  zone: Zone,
  first: number,
  count: number,
  attrs: BlockAttrs,
): void {
  const start = first * machine.blockPages + attrs.presentOffset;
  const usableEnd = attrs.presentPages - attrs.unpluggedPages;
  const every = attrs.memmapEvery ?? 1;
  if (every > 1 && attrs.memmapPages > 0) {
    freeGroupedBlocks(machine, zone, first, count, attrs, usableEnd);
    return;
  }
  if (attrs.memmapPages === 0 && usableEnd === machine.blockPages) {
    zone.free.add(start, start + count * machine.blockPages);
    return;
  }
  if (usableEnd > attrs.memmapPages)
    zone.free.addPeriodic(start, machine.blockPages, count, [attrs.memmapPages, usableEnd]);
}

/**
 * Fresh-zone kernel allocations: freshly onlined pages go to the tail of the free lists in the
 * order they were onlined, so once a CPU node gains a kernel zone that did not exist at boot its
 * next unmovable allocations (slab, page tables) come from the first block onlined there. The
 * recorded kernels show the effect: 3 of 4 1 GiB windows in a new ZONE_NORMAL, and a block
 * there that cannot be offlined again.
 */
function placeFreshZonePin(
  machine: Machine,
  zoneName: ZoneName,
  node: number,
  first: number,
  attrs: BlockAttrs,
  event: number,
): void {
  const zone = machine.findZone(node, zoneName);
  if (!zone || !isKernelZone(zoneName) || zone.earlyPresentPages > 0) return;
  if (!machine.nodeHasBootRam(node) || machine.pinnedZones.has(`${node}/${zoneName}`)) return;
  const range = presentRange(machine, first, attrs);
  const start = alignUp(range.start + blockMemmapPages(first, attrs), machine.pageblockPages);
  const end = start + machine.pageblockPages;
  if (end > range.end || !zone.free.covers(start, end)) return;
  zone.free.remove(start, end);
  machine.allocations.push({
    kind: 'kernel',
    startPfn: start,
    pages: machine.pageblockPages,
    stridePfn: machine.pageblockPages,
    reps: 1,
    node,
    zone: zoneName,
    event,
  });
  machine.pinnedZones.add(`${node}/${zoneName}`);
}

function onlineRun(
  machine: Machine,
  run: BlockRunEntry,
  zoneName: ZoneName,
  draft: StepDraft,
  event: number,
): void {
  const { attrs, first, count } = run;
  const zone = machine.zone(attrs.node, zoneName);
  const firstRange = presentRange(machine, first, attrs);
  const lastRange = presentRange(machine, first + count - 1, attrs);
  zone.span.add(firstRange.start, lastRange.end);
  zone.presentPages += count * attrs.presentPages;
  zone.managedPages += managedOf(first, count, attrs);
  freeBlocks(machine, zone, first, count, attrs);
  machine.blocks.update(first, count, (old) => withState(old, 'online', zoneName));
  placeFreshZonePin(machine, zoneName, attrs.node, first, attrs, event);
  draft.blocksChanged += count;
  draft.zonesChosen.add(`node ${attrs.node} ${zoneName}`);
  draft.changes.push({ first, count, what: `online in node ${attrs.node} ${zoneName}` });
}

/** Onlines every offline block in [firstBlock, firstBlock + count), lowest first. */
export function onlineBlocks(
  machine: Machine,
  firstBlock: number,
  count: number,
  type: OnlineType,
  draft: StepDraft,
  event: number,
): number {
  const runs = [...machine.blocks.within(firstBlock, count)].filter(
    (run) => run.attrs.state === 'offline',
  );
  let onlined = 0;
  for (const run of runs) {
    let block = run.first;
    const end = run.first + run.count;
    const resource = machine.resources.find((candidate) => candidate.id === run.attrs.resource);
    while (block < end) {
      const startPfn = block * machine.blockPages;
      const zoneName = zoneForRange(
        machine,
        type,
        run.attrs.node,
        resource,
        startPfn,
        startPfn + machine.blockPages,
      );
      // Blocks after this one decide alike when no zone of the node reaches up to them: onlining
      // only grows a zone up to the block just onlined, and adjacency is not intersection.
      const stable =
        !resource?.dynamicGroup &&
        !(resource?.group === null && machine.kernel.onlinePolicy === 'auto-movable') &&
        machine
          .nodeZones(run.attrs.node)
          .every((zone) => zone.name === 'Device' || (zone.span.last() ?? 0) <= startPfn);
      const n = stable ? end - block : 1;
      onlineRun(machine, { first: block, count: n, attrs: run.attrs }, zoneName, draft, event);
      onlined += n;
      block += n;
    }
  }
  machine.refreshWatermarks();
  return onlined;
}

/** Physical ranges holding pages that cannot be migrated away. */
function unmovableRanges(machine: Machine): RangeSet {
  const set = new RangeSet();
  for (const allocation of machine.allocations)
    set.addRun({
      start: allocation.startPfn,
      len: allocation.pages,
      stride: allocation.stridePfn,
      reps: allocation.reps,
    });
  for (const record of machine.memmap) {
    if (record.host === 'ram')
      set.addRun({
        start: record.hostStartPfn,
        len: record.hostPages,
        stride: record.hostStridePfn,
        reps: record.reps,
      });
  }
  return set;
}

/** The blocks (ids, as a set) that hold any of the pfn runs. */
function blocksHolding(machine: Machine, runs: readonly Run[]): RangeSet {
  const blockPages = machine.blockPages;
  const blocks = new RangeSet();
  for (const run of runs) {
    const first = Math.floor(run.start / blockPages);
    const span = Math.ceil((run.start + run.len) / blockPages) - first;
    if (run.reps > 1 && run.stride % blockPages === 0 && span < run.stride / blockPages)
      blocks.addPeriodic(first, run.stride / blockPages, run.reps, [0, span]);
    else
      blocks.add(
        first,
        Math.ceil((run.start + (run.reps - 1) * run.stride + run.len) / blockPages),
      );
  }
  return blocks;
}

function dissolveHugePages(
  machine: Machine,
  startPfn: number,
  endPfn: number,
  event: number,
): number {
  let dissolved = 0;
  for (const pool of machine.pools.values()) {
    const hugePages = pool.pageSize / machine.pageSize;
    const kept: HugeRun[] = [];
    for (const run of pool.runs) {
      const cut = cutHugeRun(run, hugePages, startPfn, endPfn);
      kept.push(...cut.kept);
      for (const part of cut.removed) {
        releaseHugePages(machine, part, hugeRunPages(part), event);
        dissolved += hugeRunPages(part);
      }
    }
    pool.runs = kept;
  }
  return dissolved;
}

function offlineRun(
  machine: Machine,
  first: number,
  count: number,
  attrs: BlockAttrs,
  draft: StepDraft,
  event: number,
): void {
  const zone = machine.zone(attrs.node, attrs.zone!);
  const start = first * machine.blockPages;
  const end = (first + count) * machine.blockPages;
  const dissolved = dissolveHugePages(machine, start, end, event);
  if (dissolved)
    draft.narrative.push(`${dissolved} free huge pages in the range were dissolved first.`);
  zone.span.remove(start, end);
  zone.presentPages -= count * attrs.presentPages;
  zone.managedPages -= managedOf(first, count, attrs);
  zone.free.remove(start, end);
  machine.blocks.update(first, count, (old) => withState(old, 'offline', null));
  draft.blocksChanged += count;
  draft.changes.push({ first, count, what: `offline (was ${attrs.zone})` });
}

/** Boot blocks whose pages belong to two zones (valid_zones "none"): offlining them fails. */
function mixedZoneBlocks(
  machine: Machine,
  node: number,
  first: number,
  count: number,
): Set<number> {
  const zonesByBlock = new Map<number, Set<string>>();
  const start = first * machine.blockPages;
  const end = (first + count) * machine.blockPages;
  for (const zone of machine.nodeZones(node)) {
    if (zone.name === 'Device') continue;
    for (const range of zone.span.rangesIn(start, end)) {
      for (const edge of [range.start, range.end - 1]) {
        const block = Math.floor(edge / machine.blockPages);
        const set = zonesByBlock.get(block) ?? new Set<string>();
        set.add(zone.name);
        zonesByBlock.set(block, set);
      }
    }
  }
  return new Set([...zonesByBlock].filter(([, zones]) => zones.size > 1).map(([block]) => block));
}

/**
 * Offlines every online block in range; blocks with unmovable pages stay online (-EBUSY), and so
 * do blocks hosting other blocks' memmap under kernel.strategy node-hosts or group (`pinned`).
 */
export function offlineBlocks(
  machine: Machine,
  firstBlock: number,
  count: number,
  draft: StepDraft,
  event: number,
): { offlined: number; busy: number; pinned: number } {
  const runs = [...machine.blocks.within(firstBlock, count)].filter(
    (run) => run.attrs.state === 'online',
  );
  const unmovable = unmovableRanges(machine);
  // Hosts of other blocks' struct pages stay online while those blocks stay online (the ones
  // offlined in this same step do not count; one busy here is overlooked).
  const hosts = pinsHosts(strategyOf(machine.scenario))
    ? pinnedBlocks(machine, onlineOutside(machine, firstBlock, count))
    : null;
  let pinnedTotal = 0;
  let offlined = 0;
  // Busy blocks logged so far (the kernel logs each; eight are enough to read).
  let logged = 0;
  let busyTotal = 0;
  let bootBusy = 0;
  for (const run of runs) {
    const node = run.attrs.node;
    // Boot memory of a node whose boot allocations (`bootUsed`) are spread over it cannot be
    // offlined: every block holds some unmovable kernel page.
    if (run.attrs.resource === -1 && machine.bootUsedBytes(node) > 0) {
      bootBusy += run.count;
      draft.log.push(
        `memory offlining ${memRange(machine, run.first * machine.blockPages, run.count * machine.blockPages)} failed due to unmovable page`,
      );
      continue;
    }
    const runStartPfn = run.first * machine.blockPages;
    const runEndPfn = (run.first + run.count) * machine.blockPages;
    const busyBlocks = blocksHolding(machine, unmovable.runsIn(runStartPfn, runEndPfn));
    if (run.attrs.resource === -1)
      for (const block of mixedZoneBlocks(machine, node, run.first, run.count))
        busyBlocks.add(block, block + 1);
    const busyHere = busyBlocks.clone();
    busyHere.remove(0, run.first);
    busyHere.remove(run.first + run.count, Number.MAX_SAFE_INTEGER);
    for (const part of busyHere.rangesIn(run.first, run.first + run.count)) {
      for (let block = part.start; block < part.end && logged < 8; block++, logged++)
        draft.log.push(
          `memory offlining ${memRange(machine, block * machine.blockPages, machine.blockPages)} failed due to unmovable page`,
        );
      if (logged >= 8) break;
    }
    const busyCount = busyHere.total();
    const offlineable = RangeSet.of([{ start: run.first, end: run.first + run.count }]);
    offlineable.removeRuns(busyHere.runs());
    if (hosts) {
      const before = offlineable.total();
      for (const part of hosts.runsIn(run.first, run.first + run.count))
        offlineable.removeRun(part);
      if (offlineable.total() < before) {
        pinnedTotal += before - offlineable.total();
        draft.log.push(
          `memory offlining in ${memRange(machine, run.first * machine.blockPages, run.count * machine.blockPages)} refused for ${before - offlineable.total()} block(s): they host struct pages of other blocks`,
        );
      }
    }
    for (const part of offlineable.ranges()) {
      offlineRun(machine, part.start, part.end - part.start, run.attrs, draft, event);
      offlined += part.end - part.start;
    }
    busyTotal += busyCount;
  }
  machine.refreshWatermarks();
  return { offlined, busy: busyTotal + bootBusy, pinned: pinnedTotal };
}
