/**
 * Hot-add (add_memory() from a caller): checks the range as the kernel does, places each
 * request's memmap per the era's plan, creates the memory blocks offline, and auto-onlines them
 * request by request when memhp_default_state / auto_online_blocks says so.
 */
import { formatBytes, hex, alignUp } from '../units.ts';
import { kernelAlloc, piecePages } from '../model/kalloc.ts';
import type { Machine, MemmapRecord, Resource } from '../model/machine.ts';
import { memmapRecord, recordsFromPieces } from '../model/memmap-records.ts';
import { addedBlockAttrs } from '../model/blocks.ts';
import { offnodeWarnings, vmemmapChunkPages } from '../model/vmemmap.ts';
import { allocateTables, hotAddTablePages } from '../model/pagetables.ts';
import type { AddVia, EventOf } from '../scenario/types.ts';
import { onlineBlocks } from './online.ts';
import { planAdd, virtioDeviceBlockPages, type AddPlan, type AddRequest } from './placement.ts';
import { bytesOf, emptyAdd, fail, memRange, newDraft, type StepDraft } from './step.ts';
import { placeStrategyMemmap } from '../strategy/place.ts';

/** Callers that register no memory group (auto-movable decides their blocks one by one). */
const GROUPLESS = new Set<AddVia>(['dlpar', 'probe', 'hv-balloon', 'xen-balloon']);

/** Lowest block-aligned address at or above 4 GiB and above all present memory. */
export function defaultAddStart(machine: Machine): number {
  let endPfn = machine.toPfn(4 * 1024 ** 3);
  for (const ram of machine.bootRam.values()) endPfn = Math.max(endPfn, ram.last() ?? 0);
  const runs = machine.blocks.all();
  const last = runs[runs.length - 1];
  if (last) endPfn = Math.max(endPfn, (last.first + last.count) * machine.blockPages);
  for (const device of machine.devices) {
    if (device.kind === 'pmem') endPfn = Math.max(endPfn, device.startPfn + device.nrPages);
  }
  return alignUp(endPfn, machine.blockPages);
}

function nodeForAddress(machine: Machine, startBytes: number): number {
  const range = machine.scenario.machine.hotpluggable.find(
    (candidate) => startBytes >= candidate.start && startBytes < candidate.start + candidate.size,
  );
  return range?.node ?? 0;
}

/** Checks that add_memory() makes before anything is allocated. */
export function checkNewRange(
  machine: Machine,
  startBytes: number,
  sizeBytes: number,
  alignBytes: number,
): string | null {
  const limit = 2 ** machine.spec.maxPhysBits;
  if (startBytes % alignBytes !== 0 || sizeBytes % alignBytes !== 0) {
    return `Block size [${hex(alignBytes)}] unaligned hotplug range: start ${hex(startBytes)}, size ${hex(sizeBytes)}`;
  }
  if (startBytes + sizeBytes > limit) {
    return `Hotplug memory [${hex(startBytes)}-${hex(startBytes + sizeBytes - 1)}] exceeds maximum addressable range [0x0-${hex(limit - 1)}]`;
  }
  const startPfn = machine.toPfn(startBytes);
  if (machine.overlapsPresent(startPfn, startPfn + machine.toPfn(sizeBytes))) {
    return `System RAM resource ${memRange(machine, startPfn, machine.toPfn(sizeBytes))} cannot be added: it overlaps memory that is already present`;
  }
  return null;
}

function placeRamMemmap(
  machine: Machine,
  request: AddRequest,
  resource: Resource,
  draft: StepDraft,
): MemmapRecord[] | null {
  const totalPages = machine.memmapPagesFor(request.nrPages);
  const chunkPages = vmemmapChunkPages(machine, totalPages);
  const chunks = Math.ceil(totalPages / chunkPages);
  const result = kernelAlloc(machine, resource.node, chunks, chunkPages);
  if (!result.ok) {
    const order = Math.round(Math.log2(chunkPages));
    fail(
      draft,
      `vmemmap alloc failure: ${bytesOf(machine, result.neededPages)} of memmap needed for ${bytesOf(machine, request.nrPages)}, ` +
        `${bytesOf(machine, result.usablePages)} free above the watermarks on node${result.nodes.length > 1 ? 's' : ''} ${result.nodes.join(', ')}`,
      `vmemmap alloc failure: order:${order}, mode:0x4cc0(GFP_KERNEL|__GFP_RETRY_MAYFAIL), nodemask=(null)`,
    );
    return null;
  }
  const records = recordsFromPieces(
    machine,
    [{ startPfn: request.startPfn, pages: request.nrPages }],
    result.pieces,
    {
      kind: 'hotplug',
      event: resource.event,
      resource: resource.id,
      describesNode: resource.node,
    },
  );
  const add = draft.add!;
  for (const piece of result.pieces) {
    const bytes = machine.toBytes(piecePages(piece));
    add.memmapFromRamBytes += bytes;
    add.memmapFromRamByNode[String(piece.zone.node)] =
      (add.memmapFromRamByNode[String(piece.zone.node)] ?? 0) + bytes;
  }
  offnodeWarnings(machine, result.pieces, resource.node, request.startPfn, draft.log);
  return records;
}

function createBlocks(
  machine: Machine,
  request: AddRequest,
  resource: Resource,
  plan: AddPlan,
  unpluggedPages = 0,
): MemmapRecord[] {
  const blockPages = machine.blockPages;
  const firstBlock = request.startPfn / blockPages;
  const count = request.nrPages / blockPages;
  const attrs = (memmapPages: number, wastePages: number, unpluggedPages = 0) =>
    addedBlockAttrs(resource.node, resource.id, blockPages, {
      memmapPages,
      wastePages,
      unpluggedPages,
    });
  const record = (
    describesPages: number,
    hostPages: number,
    stridePfn: number,
    reps: number,
  ): MemmapRecord =>
    memmapRecord({
      describesStartPfn: request.startPfn,
      describesPages,
      describesStridePfn: stridePfn,
      host: 'self',
      hostNode: resource.node,
      hostZone: null,
      hostStartPfn: request.startPfn,
      hostPages,
      hostStridePfn: stridePfn,
      reps,
      kind: 'hotplug',
      event: resource.event,
      resource: resource.id,
      describesNode: resource.node,
      basePages: false,
    });
  if (plan.placement === 'self-per-block') {
    machine.blocks.insert(
      firstBlock,
      count,
      attrs(plan.memmapPagesPerBlock, plan.wastePagesPerBlock),
    );
    // One altmap per block: each block's memmap at its own start, one periodic record.
    return [record(blockPages, plan.memmapPagesPerBlock, blockPages, count)];
  }
  if (plan.placement === 'self-per-request') {
    // One altmap over the request: its memmap is packed from the first block on, filling whole blocks.
    // Whether the 2017 code counted those pages as present is unverified (reference §5.2.8); we
    // follow what real kernels do with self-hosted memmap since: present, never managed.
    const memmapPages = machine.memmapPagesFor(request.nrPages);
    const fullBlocks = Math.min(count, Math.floor(memmapPages / blockPages));
    machine.blocks.insert(firstBlock, fullBlocks, attrs(blockPages, 0));
    if (fullBlocks < count) {
      machine.blocks.insert(
        firstBlock + fullBlocks,
        1,
        attrs(memmapPages - fullBlocks * blockPages, 0),
      );
      machine.blocks.insert(firstBlock + fullBlocks + 1, count - fullBlocks - 1, attrs(0, 0));
    }
    return [record(request.nrPages, memmapPages, request.nrPages, 1)];
  }
  if (unpluggedPages > 0) {
    machine.blocks.insert(firstBlock, count - 1, attrs(0, 0));
    machine.blocks.insert(firstBlock + count - 1, 1, attrs(0, 0, unpluggedPages));
  } else {
    machine.blocks.insert(firstBlock, count, attrs(0, 0));
  }
  return [];
}

export function addEvent(machine: Machine, event: EventOf<'add'>, index: number): StepDraft {
  const draft = newDraft();
  const blockBytes = machine.toBytes(machine.blockPages);
  const startBytes = event.start ?? machine.toBytes(defaultAddStart(machine));
  const node = event.node ?? nodeForAddress(machine, startBytes);
  // virtio-mem plugs device blocks; the memory block holding the last ones is added whole, its
  // unplugged rest present but never managed (fake-offline).
  let sizeBytes = event.size;
  if (event.via === 'virtio-mem') {
    const deviceBlock = machine.toBytes(virtioDeviceBlockPages(machine, event));
    if (event.size % deviceBlock !== 0) {
      const message = `virtio_mem: requested size ${hex(event.size)} is not a multiple of the device block size ${hex(deviceBlock)}`;
      return fail(draft, message, message);
    }
    sizeBytes = alignUp(event.size, blockBytes);
  }
  const problem = checkNewRange(machine, startBytes, sizeBytes, blockBytes);
  if (problem) return fail(draft, problem, problem);
  const startPfn = machine.toPfn(startBytes);
  const nrPages = machine.toPfn(sizeBytes);
  draft.resolved = { start: startBytes, size: event.size, node };
  const unpluggedPages = machine.toPfn(sizeBytes - event.size);
  const plan = planAdd(machine, event, startPfn, nrPages);
  draft.add = emptyAdd(plan.placement);

  if (plan.fault) return fail(draft, plan.fault);
  draft.narrative.push(
    `add_memory(nid=${node}, ${memRange(machine, startPfn, nrPages)}) via ${event.via}` +
      (plan.requests.length > 1
        ? ` in ${plan.requests.length} requests of ${bytesOf(machine, plan.requests[0]!.nrPages)}`
        : '') +
      '.',
    plan.why,
  );
  for (const request of plan.requests) {
    const resource: Resource = {
      id: machine.resources.length,
      event: index,
      kind: 'ram',
      startPfn: request.startPfn,
      nrPages: request.nrPages,
      node,
      via: event.via,
      placement: plan.placement,
      group: GROUPLESS.has(event.via) ? null : index,
      dynamicGroup: event.via === 'virtio-mem',
    };
    const ramRecords =
      plan.placement === 'ram' ? placeRamMemmap(machine, request, resource, draft) : [];
    if (ramRecords === null) break;
    machine.resources.push(resource);
    const last = request.startPfn + request.nrPages === startPfn + nrPages;
    machine.memmap.push(
      ...ramRecords,
      ...(placeStrategyMemmap(machine, request, resource, plan, draft) ??
        createBlocks(machine, request, resource, plan, last ? unpluggedPages : 0)),
    );
    const tables = hotAddTablePages(
      machine,
      request.startPfn,
      request.nrPages,
      plan.placement === 'self-per-block',
    );
    draft.add.pageTablesBytes += allocateTables(machine, node, tables, index, resource.id);
    const blocks = request.nrPages / machine.blockPages;
    draft.changes.push({
      first: request.startPfn / machine.blockPages,
      count: blocks,
      what: `added offline to node ${node}`,
    });
    const add = draft.add;
    add.blocksAdded += blocks;
    add.memmapBytes += request.nrPages * machine.structPageSize;
    if (plan.placement === 'self-per-block') {
      add.memmapSelfHostedBytes += request.nrPages * machine.structPageSize;
      add.memmapWastedBytes += machine.toBytes(blocks * plan.wastePagesPerBlock);
    } else if (plan.placement !== 'ram') {
      add.memmapSelfHostedBytes += request.nrPages * machine.structPageSize;
    }
    // pseries dlpar_add_lmb() onlines the LMB itself when it is still offline, whatever the
    // auto-online setting (dlpar_online_lmb(); the 6.12 ppc64le recording shows it).
    // With auto-online on, the core onlines first with its type and dlpar_online_lmb() finds
    // the block online already.
    const online =
      event.via === 'dlpar' && machine.kernel.autoOnline === 'offline'
        ? 'online'
        : machine.kernel.autoOnline;
    if (online !== 'offline') {
      onlineBlocks(machine, request.startPfn / machine.blockPages, blocks, online, draft, index);
    }
  }
  const add = draft.add;
  if (add.blocksAdded > 0) {
    const where =
      add.memmapFromRamBytes > 0
        ? `${formatBytes(add.memmapFromRamBytes)} of memmap taken from RAM on node ${Object.keys(add.memmapFromRamByNode).join(', ')}${
            Object.keys(add.memmapFromRamByNode).some((n) => Number(n) !== node)
              ? ' (off-node struct pages)'
              : ''
          }, before any block is online`
        : `${formatBytes(add.memmapSelfHostedBytes)} of memmap ${plan.placement === 'node-host' ? `in node ${node}'s host blocks` : 'inside the new memory'}`;
    draft.narrative.push(`${add.blocksAdded} memory blocks created offline; ${where}.`);
    if (draft.zonesChosen.size > 0) {
      draft.narrative.push(
        event.via === 'dlpar' && machine.kernel.autoOnline === 'offline'
          ? `dlpar_add_lmb() onlines each LMB itself: ${draft.blocksChanged} blocks into ${[...draft.zonesChosen].join(', ')}.`
          : `Auto-online (${machine.kernel.autoOnline}): ${draft.blocksChanged} blocks onlined into ${[...draft.zonesChosen].join(', ')} after the memmap was in place.`,
      );
    }
    if (add.memmapWastedBytes > 0)
      draft.narrative.push(
        `force mode pads each block's memmap to whole pageblocks: ${formatBytes(add.memmapWastedBytes)} reserved but unused.`,
      );
    if (plan.placement === 'self-per-request') {
      const full = Math.floor(
        machine.memmapPagesFor(plan.requests[0]!.nrPages) / machine.blockPages,
      );
      if (full > 0)
        draft.narrative.push(
          `The packed memmap fills the first ${full} block${full > 1 ? 's' : ''} of the request completely: they online with no usable page.`,
        );
    }
  }
  return draft;
}
