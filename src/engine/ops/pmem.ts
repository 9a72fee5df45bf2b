/**
 * A pmem namespace (reference §3.3): ZONE_DEVICE memory, never onlined, never memmap_on_memory.
 *
 * - Node: memremap_pages() uses the region's numa_node, the nearest node with memory to the
 *   firmware's target node (the recorded 6.12 kernels: target node 1 memoryless, ZONE_DEVICE on
 *   node 0). The target node matters to kmem only.
 * - --map=dev: the memmap lives on the device through the namespace's altmap (a bump allocator:
 *   2 MiB mappings padded to 2 MiB, or single pages where the arch maps the vmemmap with base
 *   pages, as arm64 with 16K or 64K pages always does).
 * - --map=mem: the memmap comes from RAM of the numa_node. devdax namespaces use compound pages
 *   (vmemmap_shift, v5.17) and since v5.18 keep only two vmemmap pages per compound page
 *   (4917f55b4ef9), where the arch allows it (ARCH_WANT_OPTIMIZE_DAX_VMEMMAP: x86_64, ppc64
 *   Radix from 6.6, riscv64 from 6.11); fsdax never does.
 */
import { formatBytes, isPowerOfTwo, MiB, alignUp, alignDown } from '../units.ts';
import { has, RULES } from '../kernel/versions.ts';
import { hotplugBuilt } from '../arch.ts';
import type { Machine, MemmapRecord } from '../model/machine.ts';
import type { DescribedRange } from '../model/memmap-records.ts';
import type { EventOf } from '../scenario/types.ts';
import { checkNewRange } from './add.ts';
import { dedupMemmap } from './dax-dedup.ts';
import { numaNodeFor, ramMemmap, registerDevice } from './device.ts';
import { INFO_BLOCK_BYTES, MAX_STRUCT_PAGE_SIZE, pmemLayout } from './pmem-layout.ts';
import { emptyAdd, fail, memRange, newDraft, type StepDraft } from './step.ts';

const SUBSECTION_BYTES = 2 * MiB;

/** Does the arch keep only two vmemmap pages per devdax compound page (no altmap)? */
export function daxDedup(machine: Machine): boolean {
  const { id } = machine.spec;
  if (!has(machine.version, 'daxVmemmapDedup')) return false;
  // 5.18-6.3 applied it on every arch with a vmemmap; 6.4 gated it (vmemmap_can_optimize(),
  // 87a7ae75d738) to the arches that opt in (which arm64 and ppc64 did then is unverified).
  if (!has(machine.version, 'daxDedupGated')) return true;
  if (id.startsWith('x86')) return true;
  if (id.startsWith('ppc64-radix')) return has(machine.version, 'ppc64DaxDedup');
  if (id === 'riscv64') return has(machine.version, 'riscvHotplug');
  return false;
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
  const problem = checkNewRange(machine, event.start, event.size, SUBSECTION_BYTES);
  if (problem) return fail(draft, problem.replace('Block size', 'Sub-section size'));
  if (event.map === 'dev' && structPageSize > MAX_STRUCT_PAGE_SIZE) {
    return fail(
      draft,
      `--map=dev reserves ${MAX_STRUCT_PAGE_SIZE} bytes per page but struct page is ${structPageSize}: nd_pfn refuses the namespace`,
    );
  }
  if (!hotplugBuilt(machine.spec, machine.version))
    return fail(
      draft,
      `ZONE_DEVICE needs memory hotplug, which ${machine.spec.id} gained in v${RULES[machine.spec.hotplugRule!].since}`,
    );
  const layout = pmemLayout(event.start, event.size, event.align, event.map, pageSize);
  const startPfn = machine.toPfn(event.start);
  // The pgmap ends where the alignment cut the namespace (end_trunc is never mapped).
  const nrPages = machine.toPfn(event.size - layout.endTruncBytes);
  if (layout.dataBytes <= 0)
    return fail(
      draft,
      `namespace of ${formatBytes(event.size)} is too small for its own metadata (${formatBytes(layout.offsetBytes)}) at ${formatBytes(event.align)} alignment`,
    );
  const node = numaNodeFor(machine, event.node);
  draft.resolved = { start: event.start, size: event.size, node };
  const rfcInline = machine.era === 'RFC1' && event.map === 'mem';
  draft.add = emptyAdd(
    event.map === 'dev' ? 'device-altmap' : rfcInline ? 'self-per-request' : 'ram',
  );
  draft.add.memmapBytes = nrPages * structPageSize;
  const base = { kind: 'pmem' as const, event: index, resource: -1, describesNode: node };
  let records: MemmapRecord[] | null;
  if (event.map === 'dev') {
    records = onDevice(machine, startPfn, nrPages, node, layout.altmapFreePages, base, draft);
  } else if (rfcInline) {
    const pages = machine.memmapPagesFor(nrPages);
    records = [
      {
        ...base,
        basePages: false,
        describesStartPfn: startPfn,
        describesPages: nrPages,
        describesStridePfn: nrPages,
        host: 'device',
        hostNode: node,
        hostZone: null,
        hostStartPfn: startPfn,
        hostPages: pages,
        hostStridePfn: pages,
        reps: 1,
      },
    ];
    draft.add.memmapSelfHostedBytes = machine.toBytes(pages);
    const warning = `RFC v1: no device altmap, so __add_pages() packs the memmap at the start of ${memRange(machine, startPfn, nrPages)}, over the namespace's info block and data`;
    machine.warnings.push(warning);
    draft.narrative.push(`${warning} (derived: not raised in the 2017 thread).`);
  } else if (event.mode === 'devdax' && daxDedup(machine) && event.align / pageSize > 1) {
    records = dedupMemmap(
      machine,
      { startPfn, pages: nrPages },
      event.align / pageSize,
      node,
      index,
      draft,
    );
  } else {
    records = ramMemmap(machine, [{ startPfn, pages: nrPages }], node, 'pmem', index, draft);
    if (records)
      draft.narrative.push(
        `pmem --map=mem (${event.mode}): the ${formatBytes(nrPages * structPageSize)} memmap comes from system RAM of node ${node}; the namespace keeps all but ${formatBytes(layout.offsetBytes + layout.endTruncBytes)} for data.`,
      );
  }
  if (records === null) return draft;
  machine.memmap.push(...records);
  registerDevice(machine, 'pmem', startPfn, nrPages, node, index);
  machine.devices.push({
    kind: 'pmem',
    startPfn,
    nrPages,
    node,
    targetNode: event.node,
    event: index,
    map: event.map,
    mode: event.mode,
    dataOffsetPages: machine.toPfn(layout.offsetBytes),
    endTruncPages: machine.toPfn(layout.endTruncBytes),
  });
  if (node !== event.node)
    draft.narrative.push(
      `Target node ${event.node} has no memory: the namespace's numa_node is node ${node}, so ZONE_DEVICE grows there${event.map === 'mem' ? ' and the memmap comes from its RAM' : ''}.`,
    );
  if (layout.endTruncBytes > 0 || layout.offsetBytes >= 1024 * MiB)
    draft.narrative.push(
      `With ${formatBytes(event.align)} alignment the data starts ${formatBytes(layout.offsetBytes)} in and ${formatBytes(layout.endTruncBytes)} at the end is cut: ${formatBytes(layout.dataBytes)} of ${formatBytes(event.size)} hold data.`,
    );
  return draft;
}

/** --map=dev: the namespace's altmap hosts the memmap; x86 takes partial sections from RAM. */
function onDevice(
  machine: Machine,
  startPfn: number,
  nrPages: number,
  node: number,
  freePages: number,
  base: Pick<MemmapRecord, 'kind' | 'event' | 'resource' | 'describesNode'>,
  draft: StepDraft,
): MemmapRecord[] | null {
  // x86 populates partial sections with base pages from RAM and ignores the altmap (v5.3).
  const section = machine.pagesPerSection;
  const x86 = machine.spec.id.startsWith('x86');
  const fullStart = x86 ? alignUp(startPfn, section) : startPfn;
  const fullEnd = x86
    ? Math.max(fullStart, alignDown(startPfn + nrPages, section))
    : startPfn + nrPages;
  const edges: DescribedRange[] = [
    { startPfn, pages: Math.min(fullStart, startPfn + nrPages) - startPfn },
    { startPfn: fullEnd, pages: startPfn + nrPages - fullEnd },
  ].filter((range) => range.pages > 0 && fullEnd > fullStart);
  const subsection = machine.toPfn(SUBSECTION_BYTES);
  const basePfn = alignDown(startPfn, subsection);
  // The info block's pages: ALIGN(SZ_8K, PAGE_SIZE), one page with 64K pages.
  const reserve = Math.ceil(INFO_BLOCK_BYTES / machine.pageSize) + (startPfn - basePfn);
  const next = basePfn + reserve;
  // Base-page vmemmap (arm64 16K/64K) takes the altmap one page at a time: no padding.
  const chunkPages = machine.spec.vmemmapBasePages ? 1 : machine.pmdPages;
  const pad = alignUp(next, chunkPages) - next;
  const memmapPages = machine.memmapPagesFor(fullEnd - fullStart);
  const hostPages = Math.ceil(memmapPages / chunkPages) * chunkPages;
  if (hostPages + pad > freePages) {
    fail(
      draft,
      `altmap exhausted: ${hostPages + pad} pages of memmap and padding, ${freePages} reserved on the namespace (-ENOMEM)`,
    );
    return null;
  }
  const records: MemmapRecord[] = [];
  if (fullEnd > fullStart) {
    records.push({
      ...base,
      basePages: chunkPages === 1,
      describesStartPfn: fullStart,
      describesPages: fullEnd - fullStart,
      describesStridePfn: fullEnd - fullStart,
      host: 'device',
      hostNode: node,
      hostZone: null,
      hostStartPfn: next + pad,
      hostPages,
      hostStridePfn: hostPages,
      reps: 1,
    });
  }
  const ramParts = fullEnd > fullStart ? edges : [{ startPfn, pages: nrPages }];
  const edgeRecords = ramParts.length
    ? ramMemmap(machine, ramParts, node, 'pmem', base.event, draft)
    : [];
  if (edgeRecords === null) return null;
  records.push(...edgeRecords);
  draft.narrative.push(
    `pmem --map=dev: the altmap (reserve ${reserve}, free ${freePages} pages) ${pad ? `pads the first mapping by ${pad} pages, then ` : ''}places ${formatBytes(machine.toBytes(hostPages))} of memmap on the device${chunkPages === 1 ? ', one base page at a time' : ''}.`,
  );
  return records;
}
