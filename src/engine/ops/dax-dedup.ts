/**
 * The devdax vmemmap savings (mm/sparse-vmemmap.c, 4917f55b4ef9 and 6fd3620b3428, v5.18): a
 * devdax namespace of alignment A is made of compound pages of A, and of the vmemmap pages
 * describing one compound page only the first two are real; the others all map the second, whose
 * tail struct pages are identical. So a 2 MiB-aligned devdax namespace keeps 2 of every 8
 * vmemmap pages, a 1 GiB one 2 of 4096. The vmemmap is mapped with base pages, so its PTE tables
 * come from RAM too: one table per 2 MiB of vmemmap (4 KiB pages).
 */
import { formatBytes } from '../units.ts';
import { allocationOf, kernelAlloc, piecePages } from '../model/kalloc.ts';
import type { Machine, MemmapRecord } from '../model/machine.ts';
import type { DescribedRange } from '../model/memmap-records.ts';
import { deviceVmemmapFromRam, ramMemmap } from './device.ts';
import type { StepDraft } from './step.ts';

const KEPT_PAGES = 2;

export function dedupMemmap(
  machine: Machine,
  described: DescribedRange,
  compoundPages: number,
  node: number,
  event: number,
  draft: StepDraft,
): MemmapRecord[] | null {
  const vmemmapPerCompound = machine.memmapPagesFor(compoundPages);
  const compounds = Math.floor(described.pages / compoundPages);
  if (vmemmapPerCompound <= KEPT_PAGES || compounds === 0)
    return ramMemmap(machine, [described], node, 'pmem', event, draft);
  const pieces = deviceVmemmapFromRam(machine, node, compounds, KEPT_PAGES, draft);
  if (!pieces) return null;
  const records: MemmapRecord[] = [];
  let compound = 0;
  for (const piece of [...pieces].sort((a, b) => a.startPfn - b.startPfn)) {
    for (let rep = 0; rep < piece.reps; rep++) {
      const count = Math.floor(piece.pages / KEPT_PAGES);
      records.push({
        kind: 'pmem',
        event,
        resource: -1,
        describesNode: node,
        basePages: true,
        describesStartPfn: described.startPfn + compound * compoundPages,
        describesPages: compoundPages,
        describesStridePfn: compoundPages,
        host: 'ram',
        hostNode: piece.zone.node,
        hostZone: piece.zone.name,
        hostStartPfn: piece.startPfn + rep * piece.stridePfn,
        hostPages: KEPT_PAGES,
        hostStridePfn: KEPT_PAGES,
        reps: count,
      });
      compound += count;
    }
    const bytes = machine.toBytes(piecePages(piece));
    draft.add!.memmapFromRamBytes += bytes;
    const byNode = draft.add!.memmapFromRamByNode;
    byNode[String(piece.zone.node)] = (byNode[String(piece.zone.node)] ?? 0) + bytes;
  }
  const rest = described.pages - compounds * compoundPages;
  if (rest > 0) {
    const tail = ramMemmap(
      machine,
      [{ startPfn: described.startPfn + compounds * compoundPages, pages: rest }],
      node,
      'pmem',
      event,
      draft,
    );
    if (tail === null) return null;
    records.push(...tail);
  }
  // PTE tables for the whole vmemmap range (base-page mappings), from the same node.
  const vmemmapBytes = described.pages * machine.structPageSize;
  const tableSpan = (machine.pageSize / 8) * machine.pageSize;
  const tables = kernelAlloc(machine, node, Math.ceil(vmemmapBytes / tableSpan), 1);
  if (tables.ok) {
    for (const piece of tables.pieces) {
      machine.allocations.push(allocationOf('page-tables', piece, event));
      draft.add!.pageTablesBytes += machine.toBytes(piecePages(piece));
    }
  }
  draft.narrative.push(
    `devdax compound pages of ${formatBytes(machine.toBytes(compoundPages))}: of the ${vmemmapPerCompound} vmemmap pages of each, ${KEPT_PAGES} are real and the rest map the second (v5.18). The memmap takes ${formatBytes(draft.add!.memmapFromRamBytes)} of RAM instead of ${formatBytes(vmemmapBytes)}, plus ${formatBytes(draft.add!.pageTablesBytes)} of page tables.`,
  );
  return records;
}
