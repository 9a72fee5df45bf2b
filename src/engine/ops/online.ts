/**
 * Onlining and offlining memory blocks (writes to memoryN/state), with the zone and counter
 * changes of reference §6.4: self-hosted memmap pages are present in the block's zone but
 * never managed; offlining fails on unmovable pages and dissolves free huge pages.
 */
import { isKernelZone, type ZoneName } from '../arch.ts';
import { withState, type BlockAttrs, type BlockRunEntry } from '../model/blocks.ts';
import type { Machine } from '../model/machine.ts';
import { RangeSet, type Range } from '../rangeset.ts';
import { alignUp } from '../units.ts';
import { releaseHugePages } from '../model/hvo.ts';
import type { OnlineType } from '../scenario/types.ts';
import { memRange, type StepDraft } from './step.ts';
import { zoneForRange } from './zone-choice.ts';

function presentRange(machine: Machine, block: number, attrs: BlockAttrs): Range {
  const start = block * machine.blockPages + attrs.presentOffset;
  return { start, end: start + attrs.presentPages };
}

/** Free ranges of n consecutive blocks: all present pages but the memmap at each block start. */
function freeRangesOf(machine: Machine, first: number, count: number, attrs: BlockAttrs): Range[] {
  if (attrs.memmapPages === 0) {
    const a = presentRange(machine, first, attrs);
    const b = presentRange(machine, first + count - 1, attrs);
    return attrs.presentPages === machine.blockPages ? [{ start: a.start, end: b.end }] : [a];
  }
  const ranges: Range[] = [];
  for (let block = first; block < first + count; block++) {
    const range = presentRange(machine, block, attrs);
    if (range.end > range.start + attrs.memmapPages)
      ranges.push({ start: range.start + attrs.memmapPages, end: range.end });
  }
  return ranges;
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
  const start = alignUp(range.start + attrs.memmapPages, machine.pageblockPages);
  const end = start + machine.pageblockPages;
  if (end > range.end || !zone.free.covers(start, end)) return;
  zone.free.remove(start, end);
  machine.allocations.push({
    kind: 'kernel',
    startPfn: start,
    pages: machine.pageblockPages,
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
  zone.managedPages += count * (attrs.presentPages - attrs.memmapPages);
  zone.free.addMany(freeRangesOf(machine, first, count, attrs));
  machine.blocks.update(first, count, (old) => withState(old, 'online', zoneName));
  placeFreshZonePin(machine, zoneName, attrs.node, first, attrs, event);
  draft.blocksChanged += count;
  draft.zonesChosen.add(`node ${attrs.node} ${zoneName}`);
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
  const ranges: Range[] = [];
  for (const allocation of machine.allocations)
    ranges.push({ start: allocation.startPfn, end: allocation.startPfn + allocation.pages });
  for (const record of machine.memmap) {
    if (record.host === 'ram')
      ranges.push({ start: record.hostStartPfn, end: record.hostStartPfn + record.hostPages });
  }
  set.addMany(ranges);
  return set;
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
    const kept = [];
    for (const run of pool.runs) {
      const runEnd = run.startPfn + run.count * hugePages;
      if (runEnd <= startPfn || run.startPfn >= endPfn) {
        kept.push(run);
        continue;
      }
      const cutStart = Math.max(startPfn, run.startPfn);
      const cutEnd = Math.min(endPfn, runEnd);
      releaseHugePages(machine, run, (cutEnd - cutStart) / hugePages, event);
      dissolved += (cutEnd - cutStart) / hugePages;
      if (run.startPfn < cutStart)
        kept.push({ ...run, count: (cutStart - run.startPfn) / hugePages });
      if (cutEnd < runEnd)
        kept.push({ ...run, startPfn: cutEnd, count: (runEnd - cutEnd) / hugePages });
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
  zone.managedPages -= count * (attrs.presentPages - attrs.memmapPages);
  zone.free.remove(start, end);
  machine.blocks.update(first, count, (old) => withState(old, 'offline', null));
  draft.blocksChanged += count;
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

/** Offlines every online block in range; blocks with unmovable pages stay online (-EBUSY). */
export function offlineBlocks(
  machine: Machine,
  firstBlock: number,
  count: number,
  draft: StepDraft,
  event: number,
): { offlined: number; busy: number } {
  const runs = [...machine.blocks.within(firstBlock, count)].filter(
    (run) => run.attrs.state === 'online',
  );
  const unmovable = unmovableRanges(machine);
  let offlined = 0;
  let busy = 0;
  for (const run of runs) {
    const node = run.attrs.node;
    // Boot memory of a node whose boot allocations (`bootUsed`) are spread over it cannot be
    // offlined: every block holds some unmovable kernel page.
    if (run.attrs.resource === -1 && machine.bootUsedBytes(node) > 0) {
      busy += run.count;
      draft.log.push(
        `memory offlining ${memRange(machine, run.first * machine.blockPages, run.count * machine.blockPages)} failed due to unmovable page`,
      );
      continue;
    }
    const busyBlocks =
      run.attrs.resource === -1
        ? mixedZoneBlocks(machine, node, run.first, run.count)
        : new Set<number>();
    {
      for (const part of unmovable.rangesIn(
        run.first * machine.blockPages,
        (run.first + run.count) * machine.blockPages,
      )) {
        const from = Math.floor(part.start / machine.blockPages);
        const to = Math.ceil(part.end / machine.blockPages);
        for (let b = from; b < to; b++) busyBlocks.add(b);
      }
    }
    let block = run.first;
    const end = run.first + run.count;
    while (block < end) {
      if (busyBlocks.has(block)) {
        busy++;
        if (busy <= 8)
          draft.log.push(
            `memory offlining ${memRange(machine, block * machine.blockPages, machine.blockPages)} failed due to unmovable page`,
          );
        block++;
        continue;
      }
      let next = block;
      while (next < end && !busyBlocks.has(next)) next++;
      offlineRun(machine, block, next - block, run.attrs, draft, event);
      offlined += next - block;
      block = next;
    }
  }
  machine.refreshWatermarks();
  return { offlined, busy };
}
