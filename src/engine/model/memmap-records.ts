/**
 * Turning allocated host pieces into memmap records: which described pfns have their struct
 * pages in which host pfns. The mapping is linear inside a repetition of a record, so the struct
 * page of any pfn is found by arithmetic (see ../inspect.ts). A periodic host piece (a chunk in
 * each of many alike blocks) describes consecutive stretches of the described range, so it gives
 * one periodic record, not one per chunk.
 */
import type { Machine, MemmapRecord } from './machine.ts';
import type { Piece } from './kalloc.ts';

export interface DescribedRange {
  startPfn: number;
  pages: number;
}

type RecordBase = Pick<MemmapRecord, 'kind' | 'event' | 'resource' | 'describesNode'>;

/**
 * A record as one literal with every field in a fixed order (object spread takes a slow path in
 * V8 that cost about 20 µs per record), optionally with some fields replaced.
 */
export function memmapRecord(
  r: MemmapRecord,
  change: Partial<
    Pick<
      MemmapRecord,
      | 'describesStartPfn'
      | 'describesPages'
      | 'describesStridePfn'
      | 'hostStartPfn'
      | 'hostPages'
      | 'hostStridePfn'
      | 'reps'
    >
  > = {},
): MemmapRecord {
  return {
    describesStartPfn: change.describesStartPfn ?? r.describesStartPfn,
    describesPages: change.describesPages ?? r.describesPages,
    describesStridePfn: change.describesStridePfn ?? r.describesStridePfn,
    host: r.host,
    hostNode: r.hostNode,
    hostZone: r.hostZone,
    hostStartPfn: change.hostStartPfn ?? r.hostStartPfn,
    hostPages: change.hostPages ?? r.hostPages,
    hostStridePfn: change.hostStridePfn ?? r.hostStridePfn,
    reps: change.reps ?? r.reps,
    kind: r.kind,
    event: r.event,
    resource: r.resource,
    describesNode: r.describesNode,
    basePages: r.basePages,
    hvoReleasedPages: r.hvoReleasedPages ?? 0,
  };
}

/** Struct pages of all repetitions of a record (bytes of the arch's page size, in pages). */
export const recordHostPages = (record: MemmapRecord) => record.hostPages * record.reps;
export const recordDescribedPages = (record: MemmapRecord) => record.describesPages * record.reps;

/** Pairs described ranges with host pieces in ascending order of both. */
export function recordsFromPieces(
  machine: Machine,
  described: readonly DescribedRange[],
  pieces: readonly Piece[],
  base: RecordBase,
): MemmapRecord[] {
  const records: MemmapRecord[] = [];
  const hosts = pieces.length > 1 ? [...pieces].sort((a, b) => a.startPfn - b.startPfn) : pieces;
  // Described pages covered by one host page.
  const ratio = machine.pageSize / machine.structPageSize;
  // The host cursor: piece, repetition, pages used of that repetition.
  let hostIndex = 0;
  let rep = 0;
  let used = 0;
  const make = (
    startPfn: number,
    pages: number,
    hostStart: number,
    hostPages: number,
    piece: Piece,
    reps: number,
  ) =>
    memmapRecord({
      kind: base.kind,
      event: base.event,
      resource: base.resource,
      describesNode: base.describesNode,
      describesStartPfn: startPfn,
      describesPages: pages,
      describesStridePfn: pages,
      host: 'ram',
      hostNode: piece.zone.node,
      hostZone: piece.zone.name,
      hostStartPfn: hostStart,
      hostPages,
      hostStridePfn: reps > 1 ? piece.stridePfn : hostPages,
      reps,
      basePages: piece.basePages || machine.spec.vmemmapBasePages,
    });
  for (const range of described) {
    let offset = 0;
    while (offset < range.pages && hostIndex < hosts.length) {
      const host = hosts[hostIndex]!;
      const repStart = host.startPfn + rep * host.stridePfn;
      const perRep = Math.round(host.pages * ratio);
      // Whole repetitions at once when the cursor is at a repetition's start.
      const whole =
        used === 0 ? Math.min(host.reps - rep, Math.floor((range.pages - offset) / perRep)) : 0;
      if (whole > 1) {
        records.push(make(range.startPfn + offset, perRep, repStart, host.pages, host, whole));
        offset += whole * perRep;
        rep += whole;
      } else {
        const hostLeft = host.pages - used;
        const pages = Math.min(range.pages - offset, Math.round(hostLeft * ratio));
        const hostPages = Math.min(hostLeft, Math.ceil(pages / ratio));
        records.push(make(range.startPfn + offset, pages, repStart + used, hostPages, host, 1));
        offset += pages;
        used += hostPages;
        if (used >= host.pages) {
          rep++;
          used = 0;
        }
      }
      if (rep >= host.reps) {
        hostIndex++;
        rep = 0;
        used = 0;
      }
    }
  }
  return records;
}

/** One repetition of a record, cut to the described pfns [from, to) inside it. */
function sliceRep(machine: Machine, record: MemmapRecord, k: number, from: number, to: number) {
  const dStart = record.describesStartPfn + k * record.describesStridePfn;
  const hStart = record.hostStartPfn + k * record.hostStridePfn;
  if (record.host === 'self' && record.describesPages === machine.blockPages) {
    // memmap_on_memory: a block's memmap sits at its own start; cuts are whole blocks.
    return memmapRecord(record, {
      describesStartPfn: from,
      describesPages: to - from,
      describesStridePfn: to - from,
      hostStartPfn: hStart,
      hostPages: record.hostPages,
      hostStridePfn: record.hostPages,
      reps: 1,
    });
  }
  const ratio = machine.pageSize / machine.structPageSize;
  const hostFrom = Math.floor((from - dStart) / ratio);
  const hostTo = Math.ceil((to - dStart) / ratio);
  const hostPages = Math.min(record.hostPages, hostTo) - hostFrom;
  return memmapRecord(record, {
    describesStartPfn: from,
    describesPages: to - from,
    describesStridePfn: to - from,
    hostStartPfn: hStart + hostFrom,
    hostPages,
    hostStridePfn: hostPages,
    reps: 1,
  });
}

/** Repetitions [a, b) of a record. */
function subRecord(record: MemmapRecord, a: number, b: number): MemmapRecord {
  return memmapRecord(record, {
    describesStartPfn: record.describesStartPfn + a * record.describesStridePfn,
    hostStartPfn: record.hostStartPfn + a * record.hostStridePfn,
    reps: b - a,
  });
}

/** Removes the parts of records describing [startPfn, endPfn); returns the removed parts. */
export function cutRecords(machine: Machine, startPfn: number, endPfn: number): MemmapRecord[] {
  const kept: MemmapRecord[] = [];
  const removed: MemmapRecord[] = [];
  for (const record of machine.memmap) {
    const stride = record.describesStridePfn;
    const recordEnd = record.describesStartPfn + (record.reps - 1) * stride + record.describesPages;
    if (recordEnd <= startPfn || record.describesStartPfn >= endPfn) {
      kept.push(record);
      continue;
    }
    const first = Math.max(0, Math.floor((startPfn - record.describesStartPfn) / stride));
    const last = Math.min(
      record.reps - 1,
      Math.floor((endPfn - 1 - record.describesStartPfn) / stride),
    );
    if (first > 0) kept.push(subRecord(record, 0, first));
    for (const k of first === last ? [first] : [first, last]) {
      const dStart = record.describesStartPfn + k * stride;
      const dEnd = dStart + record.describesPages;
      const cutStart = Math.max(startPfn, dStart);
      const cutEnd = Math.min(endPfn, dEnd);
      if (cutEnd <= cutStart) {
        kept.push(subRecord(record, k, k + 1));
        continue;
      }
      if (dStart < cutStart) kept.push(sliceRep(machine, record, k, dStart, cutStart));
      removed.push(sliceRep(machine, record, k, cutStart, cutEnd));
      if (cutEnd < dEnd) kept.push(sliceRep(machine, record, k, cutEnd, dEnd));
    }
    if (last - first > 1) removed.push(subRecord(record, first + 1, last));
    if (last < record.reps - 1) kept.push(subRecord(record, last + 1, record.reps));
  }
  machine.memmap = kept;
  return removed;
}
