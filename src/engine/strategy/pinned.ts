/**
 * Blocks pinned by hosting memmap: blocks whose pages hold struct pages of other blocks that
 * still exist. Such a block cannot be removed before the blocks it describes (Michal Hocko, 30 Oct
 * 2018: hot-remove has "to be extra careful to not remove pfn range that backs struct pages still
 * in use"), and under kernel.strategy node-hosts and group it cannot be offlined either (offline
 * is the step before unplug, and s390 memory goes inaccessible when offlined); see
 * docs/strategies.md.
 *
 * Read from the memmap records, so the cost follows records: a periodic record (a group's altmap
 * on every N-th block) gives one periodic entry of block ids.
 */
import type { Machine, MemmapRecord } from '../model/machine.ts';
import { memRange } from '../ops/step.ts';
import { RangeSet } from '../rangeset.ts';

/** Does each repetition of this record describe only pages of its own single host block? */
function hostsOnlyItself(machine: Machine, record: MemmapRecord): boolean {
  const blockPages = machine.blockPages;
  const hostBlock = Math.floor(record.hostStartPfn / blockPages);
  const hostEnd = Math.ceil((record.hostStartPfn + record.hostPages) / blockPages);
  const describedBlock = Math.floor(record.describesStartPfn / blockPages);
  const describedEnd = Math.ceil((record.describesStartPfn + record.describesPages) / blockPages);
  return (
    hostEnd - hostBlock === 1 &&
    describedBlock === hostBlock &&
    describedEnd === hostBlock + 1 &&
    (record.reps === 1 || record.hostStridePfn === record.describesStridePfn)
  );
}

/** Host block ids of repetitions [k0, k1] of a record. */
function addHosts(
  machine: Machine,
  pinned: RangeSet,
  record: MemmapRecord,
  k0: number,
  k1: number,
) {
  const blockPages = machine.blockPages;
  const hostStart = record.hostStartPfn + k0 * record.hostStridePfn;
  const first = Math.floor(hostStart / blockPages);
  const span = Math.ceil((hostStart + record.hostPages) / blockPages) - first;
  const reps = k1 - k0 + 1;
  const strideBlocks = record.hostStridePfn / blockPages;
  if (reps === 1) pinned.add(first, first + span);
  else if (Number.isInteger(strideBlocks) && span < strideBlocks)
    pinned.addPeriodic(first, strideBlocks, reps, [0, span]);
  else
    for (let rep = k0; rep <= k1; rep++) {
      const start = Math.floor((record.hostStartPfn + rep * record.hostStridePfn) / blockPages);
      pinned.add(start, start + span);
    }
}

/** Repetitions [k0, k1] of a record whose described pages meet [startPfn, endPfn). */
function describedRepsIn(record: MemmapRecord, startPfn: number, endPfn: number): [number, number] {
  const d = record.describesStartPfn;
  if (record.reps === 1)
    return d < endPfn && d + record.describesPages > startPfn ? [0, 0] : [1, 0];
  const stride = record.describesStridePfn;
  const k0 = Math.max(0, Math.floor((startPfn - d - record.describesPages) / stride) + 1);
  const k1 = Math.min(record.reps - 1, Math.ceil((endPfn - d) / stride) - 1);
  return [k0, k1];
}

/**
 * Block ids of every block that hosts struct pages of another block, or, given `described`
 * (block ids), of those blocks among them: offlining a host is refused only while blocks it
 * describes stay online.
 */
export function pinnedBlocks(machine: Machine, described?: RangeSet): RangeSet {
  const blockPages = machine.blockPages;
  const pinned = new RangeSet();
  for (const record of machine.memmap) {
    if (record.host !== 'self' || record.reps <= 0 || record.describesPages <= 0) continue;
    if (hostsOnlyItself(machine, record)) continue;
    if (!described) {
      addHosts(machine, pinned, record, 0, record.reps - 1);
      continue;
    }
    const reps = new RangeSet();
    for (const range of described.ranges()) {
      const [k0, k1] = describedRepsIn(record, range.start * blockPages, range.end * blockPages);
      if (k0 <= k1) reps.add(k0, k1 + 1);
    }
    for (const range of reps.ranges())
      addHosts(machine, pinned, record, range.start, range.end - 1);
  }
  return pinned;
}

/** Online blocks outside [first, first + count): what a host there must keep serving. */
export function onlineOutside(machine: Machine, first: number, count: number): RangeSet {
  const online = new RangeSet();
  for (const run of machine.blocks.all())
    if (run.attrs.state === 'online') online.add(run.first, run.first + run.count);
  online.remove(first, first + count);
  return online;
}

/** Hosted repetitions [k0, k1] of a record whose host pages meet [startPfn, endPfn). */
function hostRepsIn(record: MemmapRecord, startPfn: number, endPfn: number): [number, number] {
  if (record.reps === 1) {
    const meets = record.hostStartPfn < endPfn && record.hostStartPfn + record.hostPages > startPfn;
    return meets ? [0, 0] : [1, 0];
  }
  const stride = record.hostStridePfn;
  const k0 = Math.max(
    0,
    Math.floor((startPfn - record.hostStartPfn - record.hostPages) / stride) + 1,
  );
  const k1 = Math.min(record.reps - 1, Math.ceil((endPfn - record.hostStartPfn) / stride) - 1);
  return [k0, k1];
}

/**
 * Why removing [startPfn, endPfn) must fail: a block there hosts struct pages of memory that
 * would stay. The described repetitions move monotonically with the hosts, so the first and the
 * last hosted repetition decide for all of them.
 */
export function hostsOutside(machine: Machine, startPfn: number, endPfn: number): string | null {
  for (const record of machine.memmap) {
    if (record.host !== 'self' || record.reps <= 0) continue;
    const [k0, k1] = hostRepsIn(record, startPfn, endPfn);
    if (k0 > k1) continue;
    for (const k of k0 === k1 ? [k0] : [k0, k1]) {
      const described = record.describesStartPfn + k * record.describesStridePfn;
      if (described >= startPfn && described + record.describesPages <= endPfn) continue;
      const host = record.hostStartPfn + k * record.hostStridePfn;
      return (
        `${memRange(machine, host, record.hostPages)} holds the struct pages of ${memRange(machine, described, record.describesPages)}, ` +
        'which would stay: a kernel would have to refuse removing them while they are in use (-EBUSY); remove that memory first, or both together'
      );
    }
  }
  return null;
}
