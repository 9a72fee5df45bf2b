/**
 * Kernel page allocations as the model places them.
 *
 * alloc_pages_node(nid, GFP_KERNEL, order) walks nid's zonelist: nodes by distance, and within
 * a node the highest allowed zone first (never ZONE_MOVABLE for GFP_KERNEL), stopping at each
 * zone's min watermark and lowmem_reserve. The model takes naturally aligned chunks from one end
 * of each zone's free memory (see takesFromTop; one contiguous span per zone, so a request costs
 * a handful of ranges however large it is); when no aligned chunk is left anywhere it may fall back to
 * base pages, as vmemmap population does.
 */
import { ZONE_INDEX, type ZoneName } from '../arch.ts';
import { lowestPowerOfTwo } from '../units.ts';
import type { Run } from '../rangeset.ts';
import type { Allocation, AllocationKind, Machine } from './machine.ts';
import { lowmemReserve, type Zone } from './zone.ts';

/** Pages taken from one zone: `reps` runs of `pages`, `stridePfn` apart (reps 1: one run). */
export interface Piece {
  zone: Zone;
  startPfn: number;
  pages: number;
  stridePfn: number;
  reps: number;
  basePages: boolean;
}

export const piecePages = (piece: Piece) => piece.pages * piece.reps;

const pieceOf = (zone: Zone, run: Run, basePages: boolean): Piece => ({
  zone,
  startPfn: run.start,
  pages: run.len,
  stridePfn: run.stride,
  reps: run.reps,
  basePages,
});

/** A kernel allocation record for a piece. */
export const allocationOf = (kind: AllocationKind, piece: Piece, event: number): Allocation => ({
  kind,
  startPfn: piece.startPfn,
  pages: piece.pages,
  stridePfn: piece.stridePfn,
  reps: piece.reps,
  node: piece.zone.node,
  zone: piece.zone.name,
  event,
});

export const pieceRun = (piece: Piece): Run => ({
  start: piece.startPfn,
  len: piece.pages,
  stride: piece.stridePfn,
  reps: piece.reps,
});

export interface KallocRequest {
  nid: number;
  chunks: number;
  chunkPages: number;
  highest: ZoneName;
  thisNode?: boolean;
  baseFallback: boolean;
}

export type KallocResult =
  | { ok: true; pieces: Piece[] }
  | { ok: false; neededPages: number; usablePages: number; nodes: number[] };

/**
 * Which end of a zone the buddy allocator hands out first. Boot memory: the model takes the top
 * (memblock allocates top-down, and it keeps early data together). A zone made by hot-add: the
 * bottom, because onlined pages go to the tail of the free lists in onlining order, so the first
 * block onlined is used first; the recordings agree (in a new ZONE_NORMAL one block is pinned).
 */
export const takesFromTop = (zone: Zone) => zone.earlyPresentPages > 0;

/**
 * Takes up to `chunks` naturally aligned chunks from one end of the zone's free memory. Free
 * memory that repeats block after block gives periodic pieces.
 */
export function carveAligned(
  zone: Zone,
  chunks: number,
  chunkPages: number,
  fromTop = takesFromTop(zone),
): Piece[] {
  const align = lowestPowerOfTwo(chunkPages);
  return zone.free
    .takeAligned(chunks, chunkPages, align, fromTop)
    .map((run) => pieceOf(zone, run, false));
}

/** Takes `pages` single pages from one end of the zone's free memory, alignment ignored. */
export function carvePages(zone: Zone, pages: number, fromTop = takesFromTop(zone)): Piece[] {
  return zone.free.takeAligned(pages, 1, 1, fromTop).map((run) => pieceOf(zone, run, true));
}

export function releasePieces(pieces: readonly Piece[]): void {
  for (const piece of pieces) piece.zone.free.addRun(pieceRun(piece));
}

/** Zones an allocation may use, in zonelist order (lazily: most allocations stop at the first). */
export function* zonelist(
  machine: Machine,
  request: Pick<KallocRequest, 'nid' | 'highest' | 'thisNode'>,
): Generator<Zone> {
  const nodes = request.thisNode ? [request.nid] : machine.fallbackNodes(request.nid);
  const highest = ZONE_INDEX[request.highest];
  for (const node of nodes) {
    const zones = machine.nodeZones(node);
    for (let i = zones.length - 1; i >= 0; i--) {
      const zone = zones[i]!;
      if (zone.index <= highest && zone.name !== 'Device' && zone.managedPages > 0) yield zone;
    }
  }
}

/** Pages the zone may give to an allocation whose highest zone is `highest`. */
export function zoneUsable(machine: Machine, zone: Zone, highest: ZoneName): number {
  const reserve = lowmemReserve(zone, machine.nodeZones(zone.node), ZONE_INDEX[highest]);
  return zone.usablePages(reserve);
}

/**
 * A GFP_KERNEL allocation of `chunks` runs of `chunkPages` from node `nid`: up to ZONE_NORMAL,
 * falling back to base pages as vmemmap_alloc_block_buf() and the page-table allocators do.
 */
export function kernelAlloc(
  machine: Machine,
  nid: number,
  chunks: number,
  chunkPages: number,
): KallocResult {
  return kalloc(machine, { nid, chunks, chunkPages, highest: 'Normal', baseFallback: true });
}

export function kalloc(machine: Machine, request: KallocRequest): KallocResult {
  const pieces: Piece[] = [];
  let remainingChunks = request.chunks;
  for (const zone of zonelist(machine, request)) {
    if (remainingChunks <= 0) break;
    const cap = Math.floor(
      Math.min(zoneUsable(machine, zone, request.highest), zone.free.total()) / request.chunkPages,
    );
    const taken = carveAligned(zone, Math.min(cap, remainingChunks), request.chunkPages);
    pieces.push(...taken);
    remainingChunks -=
      taken.reduce((sum, piece) => sum + piecePages(piece), 0) / request.chunkPages;
  }
  let remainingPages = remainingChunks * request.chunkPages;
  if (remainingPages > 0 && request.baseFallback) {
    for (const zone of zonelist(machine, request)) {
      if (remainingPages <= 0) break;
      const cap = Math.min(zoneUsable(machine, zone, request.highest), zone.free.total());
      const taken = carvePages(zone, Math.min(cap, remainingPages));
      pieces.push(...taken);
      remainingPages -= taken.reduce((sum, piece) => sum + piecePages(piece), 0);
    }
  }
  if (remainingPages > 0) {
    releasePieces(pieces);
    const zones = [...zonelist(machine, request)];
    const usablePages = zones.reduce(
      (sum, zone) => sum + zoneUsable(machine, zone, request.highest),
      0,
    );
    return {
      ok: false,
      neededPages: request.chunks * request.chunkPages,
      usablePages,
      nodes: [...new Set(zones.map((zone) => zone.node))],
    };
  }
  return { ok: true, pieces };
}
