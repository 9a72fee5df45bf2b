/**
 * Page tables a hot-add takes from RAM besides the memmap, reported apart from it. They come
 * from existing RAM even with memmap_on_memory (an altmap only ever holds struct pages), and a
 * table is allocated once for the span it maps, so the first add into a span pays for it.
 *
 * - The direct (linear) map of the new memory. arm64 maps it page by page when rodata=full
 *   (the upstream and Debian default): a 4K-page table per 2 MiB, 256 KiB per 128 MiB block, the
 *   whole cost of a hot-add with memmap_on_memory (a Debian arm64 6.12 recording). x86 maps it
 *   with 1 GiB pages where a request covers whole aligned gigabytes, else with 2 MiB pages (one
 *   table per gigabyte); per-block requests (memmap_on_memory since 6.8) never get 1 GiB entries
 *   (6b8f0798b85a). Other arches are modelled with 2 MiB entries (unverified).
 * - The vmemmap's own tables: one table of PMD entries per entries x PMD of vmemmap, or of base
 *   pages where the vmemmap is mapped with them (arm64 16K/64K).
 */
import { GiB, MiB } from '../units.ts';
import { RangeSet } from '../rangeset.ts';
import { allocationOf, kernelAlloc, piecePages } from './kalloc.ts';
import type { Machine } from './machine.ts';

/** Spans (by index, per kind of table) that already have their table. */
const mapped = new WeakMap<Machine, Map<string, RangeSet>>();

function spans(machine: Machine, kind: string): RangeSet {
  let byKind = mapped.get(machine);
  if (!byKind) {
    byKind = new Map();
    mapped.set(machine, byKind);
  }
  let set = byKind.get(kind);
  if (!set) {
    set = new RangeSet();
    byKind.set(kind, set);
  }
  return set;
}

/** New tables for [startByte, endByte) of a space mapped in `spanBytes` per table. */
function claim(
  machine: Machine,
  kind: string,
  startByte: number,
  endByte: number,
  spanBytes: number,
): number {
  const set = spans(machine, `${kind}:${spanBytes}`);
  const first = Math.floor(startByte / spanBytes);
  const last = Math.ceil(endByte / spanBytes);
  const before = set.total();
  set.add(first, last);
  return set.total() - before;
}

interface Layout {
  directSpan: number | null;
  vmemmapSpan: number;
}

function layoutOf(machine: Machine, startPfn: number, nrPages: number, perBlock: boolean): Layout {
  const { pageSize } = machine;
  const entries = pageSize / 8;
  let directSpan: number | null = entries * 2 * MiB;
  if (machine.spec.id.startsWith('arm64')) directSpan = entries * pageSize;
  else if (machine.spec.id.startsWith('x86')) {
    const gib = machine.toPfn(GiB);
    if (!perBlock && startPfn % gib === 0 && nrPages % gib === 0) directSpan = null;
  }
  const vmemmapMapping = machine.spec.vmemmapBasePages ? pageSize : machine.spec.pmdSize;
  return { directSpan, vmemmapSpan: entries * vmemmapMapping };
}

/** Boot memory already has its tables. */
export function markBootTables(machine: Machine, startPfn: number, nrPages: number): void {
  for (const perBlock of [false, true]) {
    const { directSpan, vmemmapSpan } = layoutOf(machine, startPfn, nrPages, perBlock);
    const start = machine.toBytes(startPfn);
    const end = machine.toBytes(startPfn + nrPages);
    if (directSpan) claim(machine, 'direct', start, end, directSpan);
    claim(
      machine,
      'vmemmap',
      startPfn * machine.structPageSize,
      (startPfn + nrPages) * machine.structPageSize,
      vmemmapSpan,
    );
  }
}

/** Table pages a hot-add of [startPfn, + nrPages) needs that do not exist yet. */
export function hotAddTablePages(
  machine: Machine,
  startPfn: number,
  nrPages: number,
  perBlock: boolean,
): number {
  const { directSpan, vmemmapSpan } = layoutOf(machine, startPfn, nrPages, perBlock);
  const direct = directSpan
    ? claim(
        machine,
        'direct',
        machine.toBytes(startPfn),
        machine.toBytes(startPfn + nrPages),
        directSpan,
      )
    : 0;
  const vmemmap = claim(
    machine,
    'vmemmap',
    startPfn * machine.structPageSize,
    (startPfn + nrPages) * machine.structPageSize,
    vmemmapSpan,
  );
  return direct + vmemmap;
}

/** Allocates them on the node's zonelist; returns the bytes taken. */
export function allocateTables(
  machine: Machine,
  node: number,
  pages: number,
  event: number,
  resource: number,
): number {
  if (pages <= 0) return 0;
  const result = kernelAlloc(machine, node, pages, 1);
  if (!result.ok) return 0;
  let taken = 0;
  for (const piece of result.pieces) {
    machine.allocations.push({ ...allocationOf('page-tables', piece, event), resource });
    taken += piecePages(piece);
  }
  return machine.toBytes(taken);
}
