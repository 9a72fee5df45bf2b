/**
 * Turning allocated host pieces into memmap records: which described pfns have their struct
 * pages in which host pfns. The mapping is linear inside a record, so the struct page of any
 * pfn is found by arithmetic (see ../inspect.ts).
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
    Pick<MemmapRecord, 'describesStartPfn' | 'describesPages' | 'hostStartPfn' | 'hostPages'>
  > = {},
): MemmapRecord {
  return {
    describesStartPfn: change.describesStartPfn ?? r.describesStartPfn,
    describesPages: change.describesPages ?? r.describesPages,
    host: r.host,
    hostNode: r.hostNode,
    hostZone: r.hostZone,
    hostStartPfn: change.hostStartPfn ?? r.hostStartPfn,
    hostPages: change.hostPages ?? r.hostPages,
    kind: r.kind,
    event: r.event,
    resource: r.resource,
    describesNode: r.describesNode,
    basePages: r.basePages,
    layout: r.layout,
    perBlockPages: r.perBlockPages,
    hvoReleasedPages: r.hvoReleasedPages ?? 0,
  };
}

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
  let hostIndex = 0;
  let hostUsed = 0;
  for (const range of described) {
    let offset = 0;
    while (offset < range.pages && hostIndex < hosts.length) {
      const host = hosts[hostIndex]!;
      const hostLeft = host.pages - hostUsed;
      const canDescribe = Math.round(hostLeft * ratio);
      const pages = Math.min(range.pages - offset, canDescribe);
      const hostPages = Math.min(hostLeft, Math.ceil(pages / ratio));
      records.push(
        memmapRecord({
          kind: base.kind,
          event: base.event,
          resource: base.resource,
          describesNode: base.describesNode,
          describesStartPfn: range.startPfn + offset,
          describesPages: pages,
          host: 'ram',
          hostNode: host.zone.node,
          hostZone: host.zone.name,
          hostStartPfn: host.startPfn + hostUsed,
          hostPages,
          basePages: host.basePages,
          layout: 'linear',
          perBlockPages: 0,
        }),
      );
      offset += pages;
      hostUsed += hostPages;
      if (hostUsed >= host.pages) {
        hostIndex++;
        hostUsed = 0;
      }
    }
  }
  return records;
}

/** Removes the parts of records describing [startPfn, endPfn); returns the removed parts. */
export function cutRecords(machine: Machine, startPfn: number, endPfn: number): MemmapRecord[] {
  const kept: MemmapRecord[] = [];
  const removed: MemmapRecord[] = [];
  const ratio = machine.pageSize / machine.structPageSize;
  for (const record of machine.memmap) {
    const recordEnd = record.describesStartPfn + record.describesPages;
    if (recordEnd <= startPfn || record.describesStartPfn >= endPfn) {
      kept.push(record);
      continue;
    }
    const cutStart = Math.max(startPfn, record.describesStartPfn);
    const cutEnd = Math.min(endPfn, recordEnd);
    const slice = (from: number, to: number): MemmapRecord => {
      if (record.layout === 'per-block') {
        return memmapRecord(record, {
          describesStartPfn: from,
          describesPages: to - from,
          hostStartPfn: from,
          hostPages: ((to - from) / machine.blockPages) * record.perBlockPages,
        });
      }
      const hostFrom = Math.floor((from - record.describesStartPfn) / ratio);
      const hostTo = Math.ceil((to - record.describesStartPfn) / ratio);
      return memmapRecord(record, {
        describesStartPfn: from,
        describesPages: to - from,
        hostStartPfn: record.hostStartPfn + hostFrom,
        hostPages: Math.min(record.hostPages, hostTo) - hostFrom,
      });
    };
    if (record.describesStartPfn < cutStart) kept.push(slice(record.describesStartPfn, cutStart));
    removed.push(slice(cutStart, cutEnd));
    if (cutEnd < recordEnd) kept.push(slice(cutEnd, recordEnd));
  }
  machine.memmap = kept;
  return removed;
}
