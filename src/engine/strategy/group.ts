/**
 * kernel.strategy "group": the blocks of an add request in groups of N, from the request's first
 * block, each group sharing one altmap on its first block (N blocks' memmap, padded to whole
 * pageblocks, at the start of that block). A request that is not a whole number of groups ends
 * with one smaller group.
 *
 * Cost follows events, not blocks: all whole groups of a request are one block run (memmapEvery
 * N, memmapPhase the first block's id mod N) and one periodic memmap record; the last, smaller
 * group adds a run or two and a record. Onlined, such a run's free memory is one periodic entry.
 */
import { addedBlockAttrs, type BlockAttrs } from '../model/blocks.ts';
import type { Machine, MemmapRecord, Resource } from '../model/machine.ts';
import type { Zone } from '../model/zone.ts';
import { memmapRecord } from '../model/memmap-records.ts';
import type { AddPlan, AddRequest } from '../ops/placement.ts';
import { alignUp } from '../units.ts';

/** Struct pages of `describesPages` from `startPfn`, at the start of that range, `reps` times. */
export function selfRecord(
  resource: Resource,
  startPfn: number,
  describesPages: number,
  hostStartPfn: number,
  hostPages: number,
  reps: number,
): MemmapRecord {
  return memmapRecord({
    describesStartPfn: startPfn,
    describesPages,
    describesStridePfn: describesPages,
    host: 'self',
    hostNode: resource.node,
    hostZone: null,
    hostStartPfn,
    hostPages,
    hostStridePfn: describesPages,
    reps,
    kind: 'hotplug',
    event: resource.event,
    resource: resource.id,
    describesNode: resource.node,
    basePages: false,
  });
}

export interface Placed {
  records: MemmapRecord[];
  /** Pages reserved for this request's memmap beyond what it needs (pageblock padding). */
  wastePages: number;
}

export function createGroupBlocks(
  machine: Machine,
  request: AddRequest,
  resource: Resource,
  plan: AddPlan,
): Placed {
  const blockPages = machine.blockPages;
  const n = plan.groupBlocks ?? 1;
  const firstBlock = request.startPfn / blockPages;
  const count = request.nrPages / blockPages;
  const whole = Math.floor(count / n);
  const rest = count - whole * n;
  const attrs = (memmapPages: number, wastePages: number, every: number, phase: number) =>
    addedBlockAttrs(resource.node, resource.id, blockPages, {
      memmapPages,
      wastePages,
      memmapEvery: every,
      memmapPhase: phase,
    });
  const records: MemmapRecord[] = [];
  let wastePages = 0;
  if (whole > 0) {
    machine.blocks.insert(
      firstBlock,
      whole * n,
      attrs(plan.memmapPagesPerBlock, plan.wastePagesPerBlock, n, firstBlock % n),
    );
    records.push(
      selfRecord(
        resource,
        request.startPfn,
        n * blockPages,
        request.startPfn,
        plan.memmapPagesPerBlock,
        whole,
      ),
    );
    wastePages += whole * plan.wastePagesPerBlock;
  }
  if (rest > 0) {
    const hostBlock = firstBlock + whole * n;
    const usedPages = machine.memmapPagesFor(rest * blockPages);
    const hostPages = alignUp(usedPages, machine.pageblockPages);
    machine.blocks.insert(hostBlock, 1, attrs(hostPages, hostPages - usedPages, 1, 0));
    machine.blocks.insert(hostBlock + 1, rest - 1, attrs(0, 0, 1, 0));
    const startPfn = hostBlock * blockPages;
    records.push(selfRecord(resource, startPfn, rest * blockPages, startPfn, hostPages, 1));
    wastePages += hostPages - usedPages;
  }
  return { records, wastePages };
}

/**
 * The same for blocks where only every memmapEvery-th one holds memmap (groups sharing an
 * altmap): the blocks before the first host, one periodic entry per whole group, the rest.
 */
export function freeGroupedBlocks(
  machine: Machine,
  zone: Zone,
  first: number,
  count: number,
  attrs: BlockAttrs,
  usableEnd: number,
): void {
  const blockPages = machine.blockPages;
  const every = attrs.memmapEvery ?? 1;
  const phase = attrs.memmapPhase ?? 0;
  const end = first + count;
  const plain = (from: number, to: number) => {
    if (to <= from) return;
    if (usableEnd === blockPages) zone.free.add(from * blockPages, to * blockPages);
    else zone.free.addPeriodic(from * blockPages, blockPages, to - from, [0, usableEnd]);
  };
  const firstHost = Math.min(end, first + ((((phase - first) % every) + every) % every));
  plain(first, firstHost);
  if (firstHost === end) return;
  const groups = Math.floor((end - firstHost) / every);
  const pattern: number[] = [attrs.memmapPages, usableEnd];
  if (usableEnd === blockPages) pattern[1] = every * blockPages;
  else for (let k = 1; k < every; k++) pattern.push(k * blockPages, k * blockPages + usableEnd);
  if (groups > 0)
    zone.free.addPeriodic(firstHost * blockPages, every * blockPages, groups, pattern);
  const tail = firstHost + groups * every;
  if (tail < end) {
    if (usableEnd > attrs.memmapPages)
      zone.free.add(tail * blockPages + attrs.memmapPages, tail * blockPages + usableEnd);
    plain(tail + 1, end);
  }
}
