/**
 * How vmemmap_populate() takes a memmap from RAM: 2 MiB (PMD) blocks where the arch maps the
 * vmemmap with them, falling back to base pages, and base pages only on arm64 with 16K or 64K
 * pages. vmemmap_verify() checks every base page it maps and warns when it lands on a distant
 * node: for every such page before 6.0, once per boot since (abd62377c006).
 */
import { has } from '../kernel/versions.ts';
import type { Piece } from './kalloc.ts';
import { piecePages } from './kalloc.ts';
import type { Machine } from './machine.ts';

/** Pages of RAM one vmemmap allocation takes, for a memmap of `totalPages`. */
export function vmemmapChunkPages(machine: Machine, totalPages: number): number {
  return machine.spec.vmemmapBasePages ? 1 : Math.min(machine.pmdPages, totalPages);
}

/** Pieces mapped with base pages (the fallback, or the arch's only way). */
export const mappedWithBasePages = (machine: Machine, piece: Piece) =>
  piece.basePages || machine.spec.vmemmapBasePages;

/**
 * The "potential offnode page_structs" lines for the base pages of a memmap that landed away
 * from `node`, describing memory from `startPfn`.
 */
export function offnodeWarnings(
  machine: Machine,
  pieces: readonly Piece[],
  node: number,
  startPfn: number,
  log: string[],
): void {
  let pages = 0;
  for (const piece of pieces)
    if (mappedWithBasePages(machine, piece) && machine.distance(piece.zone.node, node) > 10)
      pages += piecePages(piece);
  if (pages === 0) return;
  const once = has(machine.version, 'offnodeWarnOnce');
  if (once && machine.warnings.some((w) => w.includes('offnode'))) return;
  const vaddr =
    BigInt(machine.spec.vmemmapBase ?? '0') + BigInt(startPfn) * BigInt(machine.structPageSize);
  const line = `[${vaddr.toString(16)}-${(vaddr + BigInt(machine.pageSize - 1)).toString(16)}] potential offnode page_structs`;
  if (!machine.warnings.some((w) => w.includes('offnode'))) machine.warnings.push(line);
  log.push(line);
  if (!once && pages > 1)
    log.push(
      `(and ${pages - 1} more such lines: before 6.0 the warning is printed for every page)`,
    );
}
