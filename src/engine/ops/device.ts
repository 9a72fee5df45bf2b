/**
 * ZONE_DEVICE memory (reference §3.3, §9): what pmem namespaces (./pmem.ts) and HMM
 * device-private memory share: the memmap from RAM, the node that hosts the device, the zone.
 * Never onlined, never in memory blocks, never memmap_on_memory.
 */
import { formatBytes, hex, alignDown } from '../units.ts';
import { kernelAlloc, piecePages, type Piece } from '../model/kalloc.ts';
import type { Machine, MemmapRecord } from '../model/machine.ts';
import { recordsFromPieces, type DescribedRange } from '../model/memmap-records.ts';
import { offnodeWarnings, vmemmapChunkPages } from '../model/vmemmap.ts';
import type { EventOf } from '../scenario/types.ts';
import { checkNewRange } from './add.ts';
import { bytesOf, emptyAdd, fail, memRange, newDraft, type StepDraft } from './step.ts';

/**
 * dev_to_node() of a device whose firmware node is `target`: the nearest node with memory
 * (numa_map_to_online_node), so a memoryless target node gives the device to its neighbour.
 */
export function numaNodeFor(machine: Machine, target: number): number {
  const hasMemory = (node: number) =>
    machine.nodeZones(node).some((zone) => zone.name !== 'Device' && zone.managedPages > 0);
  return machine.fallbackNodes(target).find(hasMemory) ?? target;
}

/**
 * Struct pages for device memory from RAM of `node` (falling back as the kernel's
 * GFP_KERNEL allocation does), or null with the kernel's failure on the step.
 */
export function deviceVmemmapFromRam(
  machine: Machine,
  node: number,
  chunks: number,
  chunkPages: number,
  draft: StepDraft,
): Piece[] | null {
  const result = kernelAlloc(machine, node, chunks, chunkPages);
  if (result.ok) return result.pieces;
  fail(
    draft,
    `vmemmap alloc failure: ${bytesOf(machine, result.neededPages)} of memmap needed, ${bytesOf(machine, result.usablePages)} free above the watermarks`,
  );
  return null;
}

/** Legacy (RAM) memmap for device memory; fills the step's accounting. */
export function ramMemmap(
  machine: Machine,
  described: DescribedRange[],
  node: number,
  kind: MemmapRecord['kind'],
  event: number,
  draft: StepDraft,
): MemmapRecord[] | null {
  const pages = described.reduce((sum, range) => sum + machine.memmapPagesFor(range.pages), 0);
  if (pages === 0) return [];
  const chunkPages = vmemmapChunkPages(machine, pages);
  const pieces = deviceVmemmapFromRam(
    machine,
    node,
    Math.ceil(pages / chunkPages),
    chunkPages,
    draft,
  );
  if (!pieces) return null;
  for (const piece of pieces) {
    const bytes = machine.toBytes(piecePages(piece));
    draft.add!.memmapFromRamBytes += bytes;
    const byNode = draft.add!.memmapFromRamByNode;
    byNode[String(piece.zone.node)] = (byNode[String(piece.zone.node)] ?? 0) + bytes;
  }
  offnodeWarnings(machine, pieces, node, described[0]?.startPfn ?? 0, draft.log);
  return recordsFromPieces(machine, described, pieces, {
    kind,
    event,
    resource: -1,
    describesNode: node,
  });
}

export function registerDevice(
  machine: Machine,
  kind: 'pmem' | 'device-private',
  startPfn: number,
  nrPages: number,
  node: number,
  event: number,
) {
  machine.zone(node, 'Device').span.add(startPfn, startPfn + nrPages);
  machine.resources.push({
    id: machine.resources.length,
    event,
    kind,
    startPfn,
    nrPages,
    node,
    via: kind,
    placement: 'ram',
    group: event,
    dynamicGroup: false,
  });
}

/** request_free_mem_region(): the highest free section-aligned range below the address limit. */
function freeRegionFromTop(machine: Machine, pages: number): number | null {
  const section = machine.pagesPerSection;
  let candidate = alignDown(machine.toPfn(2 ** machine.spec.maxPhysBits) - pages, section);
  const occupied = [...machine.occupied().rangesDescending()];
  for (const range of occupied) {
    if (candidate >= range.end) break;
    if (candidate + pages > range.start) candidate = alignDown(range.start - pages, section);
  }
  return candidate >= 0 ? candidate : null;
}

export function devicePrivateEvent(
  machine: Machine,
  event: EventOf<'device-private'>,
  index: number,
): StepDraft {
  const draft = newDraft();
  const node = event.node ?? 0;
  const nrPages = Math.ceil(event.size / machine.pageSize);
  const startPfn =
    event.start !== undefined ? machine.toPfn(event.start) : freeRegionFromTop(machine, nrPages);
  draft.add = emptyAdd('ram');
  draft.add.memmapBytes = nrPages * machine.structPageSize;
  if (startPfn === null) return fail(draft, 'no free physical address range is large enough');
  draft.resolved = { start: machine.toBytes(startPfn), size: event.size, node };
  const problem = checkNewRange(
    machine,
    machine.toBytes(startPfn),
    event.size,
    machine.toBytes(machine.pagesPerSection),
  );
  if (problem) return fail(draft, problem.replace('Block size', 'Section size'));
  if (machine.era === 'RFC1') {
    draft.add.placement = 'self-per-request';
    return fail(
      draft,
      `RFC v1 places the memmap inside device-private memory ${memRange(machine, startPfn, nrPages)}, which the CPU cannot access: the first write to a struct page faults. Jerome Glisse asked for an opt-out (forbid_altmap) on 26 Jul 2017; RFC v2 made the feature opt-in.`,
    );
  }
  const records = ramMemmap(
    machine,
    [{ startPfn, pages: nrPages }],
    node,
    'device-private',
    index,
    draft,
  );
  if (records === null) return draft;
  machine.memmap.push(...records);
  registerDevice(machine, 'device-private', startPfn, nrPages, node, index);
  machine.devices.push({ kind: 'device-private', startPfn, nrPages, node, event: index });
  draft.narrative.push(
    `memremap_pages(MEMORY_DEVICE_PRIVATE) at ${hex(machine.toBytes(startPfn))}: no direct map, and the ${formatBytes(nrPages * machine.structPageSize)} memmap comes from system RAM of node ${Object.keys(draft.add.memmapFromRamByNode).join(', ')}.`,
  );
  return draft;
}
