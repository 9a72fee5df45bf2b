/**
 * ZONE_DEVICE memory (reference §3.3, §9): pmem namespaces and HMM device-private memory. Never
 * onlined, never in memory blocks, never memmap_on_memory. pmem --map=dev puts its memmap on the
 * device through the namespace's own altmap (a bump allocator with a reserve and alignment
 * padding); --map=mem and device-private memory take it from system RAM.
 */
import { formatBytes, hex, isPowerOfTwo, KiB, MiB, alignUp, alignDown } from '../units.ts';
import { kalloc, piecePages } from '../model/kalloc.ts';
import type { Machine, MemmapRecord } from '../model/machine.ts';
import { recordsFromPieces, type DescribedRange } from '../model/memmap-records.ts';
import type { EventOf } from '../scenario/types.ts';
import { checkNewRange } from './add.ts';
import { bytesOf, emptyAdd, fail, memRange, newDraft, type StepDraft } from './step.ts';

const INFO_BLOCK_BYTES = 8 * KiB;
const MAX_STRUCT_PAGE_SIZE = 64;

/** Legacy (RAM) memmap for device memory; fills the step's accounting. */
function ramMemmap(
  machine: Machine,
  described: DescribedRange[],
  node: number,
  kind: MemmapRecord['kind'],
  event: number,
  draft: StepDraft,
): MemmapRecord[] | null {
  const pages = described.reduce((sum, range) => sum + machine.memmapPagesFor(range.pages), 0);
  if (pages === 0) return [];
  const chunkPages = Math.min(machine.pmdPages, pages);
  const result = kalloc(machine, {
    nid: node,
    chunks: Math.ceil(pages / chunkPages),
    chunkPages,
    highest: 'Normal',
    baseFallback: true,
  });
  if (!result.ok) {
    fail(
      draft,
      `vmemmap alloc failure: ${bytesOf(machine, result.neededPages)} of memmap needed, ${bytesOf(machine, result.usablePages)} free above the watermarks`,
    );
    return null;
  }
  for (const piece of result.pieces) {
    const bytes = machine.toBytes(piecePages(piece));
    draft.add!.memmapFromRamBytes += bytes;
    const byNode = draft.add!.memmapFromRamByNode;
    byNode[String(piece.zone.node)] = (byNode[String(piece.zone.node)] ?? 0) + bytes;
  }
  return recordsFromPieces(machine, described, result.pieces, {
    kind,
    event,
    resource: -1,
    describesNode: node,
  });
}

function registerDevice(
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

export function pmemEvent(machine: Machine, event: EventOf<'pmem'>, index: number): StepDraft {
  const draft = newDraft();
  const { pageSize, structPageSize } = machine;
  if (event.align < pageSize || !isPowerOfTwo(event.align)) {
    return fail(
      draft,
      `namespace alignment ${formatBytes(event.align)} must be a power of two of at least one page`,
    );
  }
  const problem = checkNewRange(machine, event.start, event.size, 2 * MiB);
  if (problem) return fail(draft, problem.replace('Block size', 'Sub-section size'));
  if (event.map === 'dev' && structPageSize > MAX_STRUCT_PAGE_SIZE) {
    return fail(
      draft,
      `--map=dev reserves ${MAX_STRUCT_PAGE_SIZE} bytes per page but struct page is ${structPageSize}: nd_pfn refuses the namespace`,
    );
  }
  const startPfn = machine.toPfn(event.start);
  const nrPages = machine.toPfn(event.size);
  const npfnsInitial = Math.floor((event.size - INFO_BLOCK_BYTES) / pageSize);
  const offsetBytes =
    event.map === 'dev'
      ? alignUp(event.start + INFO_BLOCK_BYTES + MAX_STRUCT_PAGE_SIZE * npfnsInitial, event.align) -
        event.start
      : alignUp(event.start + INFO_BLOCK_BYTES, event.align) - event.start;
  if (offsetBytes >= event.size)
    return fail(
      draft,
      `namespace of ${formatBytes(event.size)} is too small for its own metadata (${formatBytes(offsetBytes)})`,
    );
  const rfcInline = machine.era === 'RFC1' && event.map === 'mem';
  draft.add = emptyAdd(
    event.map === 'dev' ? 'device-altmap' : rfcInline ? 'self-per-request' : 'ram',
  );
  draft.add.memmapBytes = nrPages * structPageSize;
  const described: DescribedRange = { startPfn, pages: nrPages };
  let records: MemmapRecord[] = [];
  const base = {
    kind: 'pmem' as const,
    event: index,
    resource: -1,
    describesNode: event.node,
    basePages: false,
    reps: 1,
  };
  if (event.map === 'dev') {
    // x86 populates partial sections with base pages from RAM and ignores the altmap.
    const section = machine.pagesPerSection;
    const x86 = machine.spec.id.startsWith('x86');
    const fullStart = x86 ? alignUp(startPfn, section) : startPfn;
    const fullEnd = x86
      ? Math.max(fullStart, alignDown(startPfn + nrPages, section))
      : startPfn + nrPages;
    const edges = [
      { startPfn, pages: Math.min(fullStart, startPfn + nrPages) - startPfn },
      { startPfn: fullEnd, pages: startPfn + nrPages - fullEnd },
    ].filter((range) => range.pages > 0 && fullEnd > fullStart);
    const basePfn = alignDown(startPfn, machine.pmdPages);
    const reserve = machine.toPfn(INFO_BLOCK_BYTES) + (startPfn - basePfn);
    const free = machine.toPfn(offsetBytes - INFO_BLOCK_BYTES);
    const next = basePfn + reserve;
    const pad = alignUp(next, machine.pmdPages) - next;
    const chunks = Math.ceil(machine.memmapPagesFor(fullEnd - fullStart) / machine.pmdPages);
    if (chunks * machine.pmdPages + pad > free) {
      return fail(
        draft,
        `altmap exhausted: ${chunks * machine.pmdPages + pad} pages of memmap and padding, ${free} reserved on the namespace (-ENOMEM)`,
      );
    }
    if (fullEnd > fullStart) {
      records.push({
        ...base,
        describesStartPfn: fullStart,
        describesPages: fullEnd - fullStart,
        host: 'device',
        hostNode: event.node,
        hostZone: null,
        describesStridePfn: fullEnd - fullStart,
        hostStartPfn: next + pad,
        hostPages: chunks * machine.pmdPages,
        hostStridePfn: chunks * machine.pmdPages,
      });
    }
    const ramParts = fullEnd > fullStart ? edges : [described];
    const edgeRecords = ramParts.length
      ? ramMemmap(machine, ramParts, event.node, 'pmem', index, draft)
      : [];
    if (edgeRecords === null) return draft;
    records.push(...edgeRecords);
    draft.narrative.push(
      `pmem --map=dev: the namespace reserves ${formatBytes(offsetBytes)} for its info block and memmap; the altmap (reserve ${reserve}, free ${free} pages) pads the first 2 MiB mapping by ${pad} pages, then places ${formatBytes(machine.toBytes(chunks * machine.pmdPages))} of memmap on the device.`,
    );
  } else if (rfcInline) {
    const pages = machine.memmapPagesFor(nrPages);
    records.push({
      ...base,
      describesStartPfn: startPfn,
      describesPages: nrPages,
      host: 'device',
      hostNode: event.node,
      hostZone: null,
      describesStridePfn: nrPages,
      hostStartPfn: startPfn,
      hostPages: pages,
      hostStridePfn: pages,
    });
    draft.add.memmapSelfHostedBytes = machine.toBytes(pages);
    const warning = `RFC v1: no device altmap, so __add_pages() packs the memmap at the start of ${memRange(machine, startPfn, nrPages)}, over the namespace's info block and data`;
    machine.warnings.push(warning);
    draft.narrative.push(`${warning} (derived: not raised in the 2017 thread).`);
  } else {
    const ram = ramMemmap(machine, [described], event.node, 'pmem', index, draft);
    if (ram === null) return draft;
    records = ram;
    draft.narrative.push(
      `pmem --map=mem: the ${formatBytes(nrPages * structPageSize)} memmap comes from system RAM; the namespace keeps all but ${formatBytes(offsetBytes)} for data.`,
    );
  }
  machine.memmap.push(...records);
  registerDevice(machine, 'pmem', startPfn, nrPages, event.node, index);
  machine.devices.push({
    kind: 'pmem',
    startPfn,
    nrPages,
    node: event.node,
    event: index,
    map: event.map,
    dataOffsetPages: machine.toPfn(offsetBytes),
  });
  return draft;
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
