/**
 * kernel.strategy "node-hosts" (option b of the 2017 RFC): the memmap of every hot-added block of
 * a node is packed into a host area at the start of the node's lowest hot-added memory.
 *
 * A host area is a bump allocator, as an altmap is (reference §3.2): it starts at the start of a
 * node's first hot-add under the strategy, that add's own memmap first, and every later add on
 * the node appends its memmap to it, growing it into the next pages, which must be hot-added
 * blocks of the node placed by this strategy and free (offline, or free in their zone: an online
 * host block gives those pages up, so the node's first hot-add pays for the later ones). The
 * area's end is padded to whole pageblocks. When no area of the node can grow, the add starts a
 * new one at its own start. The memmap of a removed block stays reserved where it was (the bump
 * allocator does not reuse it); an area whose start is removed is forgotten.
 *
 * Host blocks hold struct pages of other blocks: strategy/pinned.ts makes offline and remove
 * refuse them while those blocks exist.
 */
import type { ZoneName } from '../arch.ts';
import { blockMemmapPages, withMemmap } from '../model/blocks.ts';
import type { Machine, Resource } from '../model/machine.ts';
import type { AddRequest } from '../ops/placement.ts';
import { memRange } from '../ops/step.ts';
import { alignUp, formatBytes } from '../units.ts';
import { selfRecord, type Placed } from './group.ts';

interface HostArea {
  node: number;
  startPfn: number;
  /** End of the struct pages handed out. */
  usedEndPfn: number;
  /** usedEndPfn padded to a pageblock: the end of what the blocks reserve. */
  reservedEndPfn: number;
}

const areasOf = new WeakMap<Machine, HostArea[]>();

function areas(machine: Machine): HostArea[] {
  let list = areasOf.get(machine);
  if (!list) {
    list = [];
    areasOf.set(machine, list);
  }
  return list;
}

interface Claim {
  first: number;
  count: number;
  lo: number;
  hi: number;
  online: boolean;
  node: number;
  zone: ZoneName | null;
}

/** The runs [fromPfn, toPfn) would take, if every page there can become memmap; else null. */
function claims(machine: Machine, node: number, fromPfn: number, toPfn: number): Claim[] | null {
  const blockPages = machine.blockPages;
  const firstBlock = Math.floor(fromPfn / blockPages);
  const endBlock = Math.ceil(toPfn / blockPages);
  if (machine.blocks.countWithin(firstBlock, endBlock - firstBlock) !== endBlock - firstBlock)
    return null;
  const placements = new Map(machine.resources.map((r) => [r.id, r.placement]));
  const out: Claim[] = [];
  for (const run of machine.blocks.within(firstBlock, endBlock - firstBlock)) {
    const { attrs } = run;
    if (attrs.node !== node || placements.get(attrs.resource) !== 'node-host') return null;
    if (attrs.presentPages !== blockPages || attrs.unpluggedPages > 0) return null;
    // Only the frontier block may already reserve pages, exactly up to where the area ends.
    const frontier = run.first === firstBlock ? fromPfn - firstBlock * blockPages : 0;
    if (blockMemmapPages(run.first, attrs) !== frontier) return null;
    if (run.count > 1 && attrs.memmapPages !== 0) return null;
    const lo = Math.max(fromPfn, run.first * blockPages);
    const hi = Math.min(toPfn, (run.first + run.count) * blockPages);
    const online = attrs.state === 'online';
    if (online && !machine.zone(attrs.node, attrs.zone!).free.covers(lo, hi)) return null;
    out.push({
      first: run.first,
      count: run.count,
      lo,
      hi,
      online,
      node: attrs.node,
      zone: attrs.zone,
    });
  }
  return out;
}

/** Reserves [fromPfn, toPfn) as memmap in the blocks there (taken out of their zone if online). */
function reserve(machine: Machine, taken: readonly Claim[]): void {
  const blockPages = machine.blockPages;
  for (const claim of taken) {
    if (claim.online) {
      const zone = machine.zone(claim.node, claim.zone!);
      zone.free.remove(claim.lo, claim.hi);
      zone.managedPages -= claim.hi - claim.lo;
    }
    // Blocks wholly taken hold memmap to their end; the last one up to the area's end.
    const lastBlock = Math.ceil(claim.hi / blockPages) - 1;
    const fullEnd = claim.hi === (lastBlock + 1) * blockPages ? lastBlock + 1 : lastBlock;
    if (fullEnd > claim.first)
      machine.blocks.update(claim.first, fullEnd - claim.first, (a) =>
        withMemmap(a, blockPages, 0),
      );
    if (fullEnd === lastBlock)
      machine.blocks.update(lastBlock, 1, (a) =>
        withMemmap(a, claim.hi - lastBlock * blockPages, 0),
      );
  }
  if (taken.some((claim) => claim.online)) machine.refreshWatermarks();
}

/** Puts the padding [usedEndPfn, reservedEndPfn) as waste in the block that holds it. */
function markPadding(machine: Machine, area: HostArea): void {
  const blockPages = machine.blockPages;
  const block = Math.floor((area.reservedEndPfn - 1) / blockPages);
  const run = machine.blocks.at(block);
  if (!run) return;
  const waste = Math.max(0, area.reservedEndPfn - Math.max(area.usedEndPfn, block * blockPages));
  machine.blocks.update(block, 1, (a) => withMemmap(a, a.memmapPages, waste));
}

/** Appends `needPages` of struct pages to an area, if it can grow; returns where they start. */
function grow(machine: Machine, area: HostArea, needPages: number): number | null {
  const usedEnd = area.usedEndPfn + needPages;
  const reservedEnd = alignUp(usedEnd, machine.pageblockPages);
  const taken =
    reservedEnd > area.reservedEndPfn
      ? claims(machine, area.node, area.reservedEndPfn, reservedEnd)
      : [];
  if (!taken) return null;
  const oldPaddingBlock = Math.floor(Math.max(area.usedEndPfn, area.startPfn) / machine.blockPages);
  reserve(machine, taken);
  const hostStart = area.usedEndPfn;
  area.usedEndPfn = usedEnd;
  area.reservedEndPfn = reservedEnd;
  // The old padding is used now (or lies inside the new one).
  if (machine.blocks.at(oldPaddingBlock))
    machine.blocks.update(oldPaddingBlock, 1, (a) => withMemmap(a, a.memmapPages, 0));
  markPadding(machine, area);
  return hostStart;
}

/** Places one request's memmap in its node's host blocks; its blocks exist already, offline. */
export function placeNodeHost(
  machine: Machine,
  request: AddRequest,
  resource: Resource,
): Placed & { note: string; newArea: boolean } {
  const needPages = machine.memmapPagesFor(request.nrPages);
  const list = areas(machine);
  const paddingBefore = (area: HostArea) => area.reservedEndPfn - area.usedEndPfn;
  const node = resource.node;
  for (const area of list.filter((a) => a.node === node).sort((a, b) => a.startPfn - b.startPfn)) {
    const before = area.reservedEndPfn;
    const padding = paddingBefore(area);
    const hostStart = grow(machine, area, needPages);
    if (hostStart === null) continue;
    const note = `Its ${formatBytes(machine.toBytes(needPages))} of memmap is appended to node ${node}'s host area ${memRange(machine, area.startPfn, area.reservedEndPfn - area.startPfn)}, which grows by ${formatBytes(machine.toBytes(area.reservedEndPfn - before))} into the node's earlier hot-added memory; the new blocks stay clean.`;
    return {
      records: [selfRecord(resource, request.startPfn, request.nrPages, hostStart, needPages, 1)],
      wastePages: Math.max(0, paddingBefore(area) - padding),
      note,
      newArea: false,
    };
  }
  const area: HostArea = {
    node,
    startPfn: request.startPfn,
    usedEndPfn: request.startPfn,
    reservedEndPfn: request.startPfn,
  };
  const hostStart = grow(machine, area, needPages);
  if (hostStart === null) throw new Error('a fresh request cannot host its own memmap');
  list.push(area);
  const note = `Node ${node} has no host area that can grow: this request becomes one, its own ${formatBytes(machine.toBytes(needPages))} of memmap packed at its start ${memRange(machine, area.startPfn, area.reservedEndPfn - area.startPfn)}; later hot-adds on the node will append theirs.`;
  return {
    records: [selfRecord(resource, request.startPfn, request.nrPages, hostStart, needPages, 1)],
    wastePages: paddingBefore(area),
    note,
    newArea: true,
  };
}

/** Forgets, or shortens, the host areas whose blocks [startPfn, endPfn) are removed. */
export function forgetHostAreas(machine: Machine, startPfn: number, endPfn: number): void {
  const list = areasOf.get(machine);
  if (!list) return;
  for (let i = list.length - 1; i >= 0; i--) {
    const area = list[i]!;
    if (area.reservedEndPfn <= startPfn || area.startPfn >= endPfn) continue;
    if (startPfn <= area.startPfn) list.splice(i, 1);
    else area.usedEndPfn = area.reservedEndPfn = startPfn;
  }
}
