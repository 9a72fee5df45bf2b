/**
 * Boot: the memory present when the kernel starts. Sets the block size, splits each node's RAM
 * into zones (ZONE_MOVABLE from the first hot-pluggable pfn under movable_node), creates the boot
 * memory blocks, places each node's boot memmap (memblock, top-down, node-local when the node has
 * kernel memory) and the memory the kernel and early user space already use (`bootUsed`).
 */
import {
  defaultBlockSize,
  mmoBuilt,
  mmoGeometry,
  x86BlockSizeReason,
  type ZoneName,
} from '../arch.ts';
import { has } from '../kernel/versions.ts';
import { RangeSet, type Range } from '../rangeset.ts';
import { formatBytes, formatShortSize, alignUp, alignDown } from '../units.ts';
import { allocationOf, carveAligned, carvePages, piecePages, type Piece } from './kalloc.ts';
import type { Machine } from './machine.ts';
import { recordsFromPieces } from './memmap-records.ts';
import { markBootTables } from './pagetables.ts';
import type { Zone } from './zone.ts';
import { strategyNotes, strategyOf } from '../strategy/kinds.ts';

export interface BootReport {
  narrative: string[];
  log: string[];
}

/** The pfn range a kernel zone type may cover on this arch (ZONE_MOVABLE: anywhere). */
function zoneLimits(machine: Machine, zone: ZoneName): [number, number] {
  const dmaEnd = machine.toPfn(machine.spec.dmaLimit);
  const dma32End = Math.max(dmaEnd, machine.toPfn(machine.spec.dma32Limit));
  if (zone === 'DMA') return [0, dmaEnd];
  if (zone === 'DMA32') return [dmaEnd, dma32End];
  if (zone === 'Normal') return [dma32End, Number.POSITIVE_INFINITY];
  return [0, Number.POSITIVE_INFINITY];
}

/** Splits a node's boot RAM into zone pieces. */
function zonePieces(
  machine: Machine,
  node: number,
  ram: RangeSet,
): { zone: ZoneName; range: Range }[] {
  const { spec } = machine;
  const dmaEnd = machine.toPfn(spec.dmaLimit);
  const dma32End = machine.toPfn(spec.dma32Limit);
  let movableStart = Number.POSITIVE_INFINITY;
  if (machine.kernel.movableNode) {
    for (const range of machine.scenario.machine.hotpluggable) {
      if (range.node !== node) continue;
      const start = machine.toPfn(range.start);
      const end = machine.toPfn(range.start + range.size);
      for (const part of ram.rangesIn(start, end))
        movableStart = Math.min(movableStart, part.start);
    }
  }
  const cuts: { zone: ZoneName; start: number; end: number }[] = [
    { zone: 'DMA', start: 0, end: dmaEnd },
    { zone: 'DMA32', start: dmaEnd, end: Math.max(dmaEnd, dma32End) },
    { zone: 'Normal', start: Math.max(dmaEnd, dma32End), end: Number.POSITIVE_INFINITY },
  ];
  const pieces: { zone: ZoneName; range: Range }[] = [];
  for (const range of ram.ranges()) {
    for (const cut of cuts) {
      const start = Math.max(range.start, cut.start);
      const end = Math.min(range.end, cut.end);
      if (end <= start) continue;
      const kernelEnd = Math.min(end, Math.max(start, movableStart));
      if (kernelEnd > start) pieces.push({ zone: cut.zone, range: { start, end: kernelEnd } });
      if (end > kernelEnd) pieces.push({ zone: 'Movable', range: { start: kernelEnd, end } });
    }
  }
  return pieces;
}

function createBootBlocks(
  machine: Machine,
  pieces: Map<number, { zone: ZoneName; range: Range }[]>,
): void {
  const blockPages = machine.blockPages;
  const partial = new Map<
    number,
    { node: number; first: number; last: number; pages: number; byZone: Map<ZoneName, number> }
  >();
  const full: { first: number; count: number; node: number; zone: ZoneName }[] = [];
  for (const [node, list] of pieces) {
    for (const { zone, range } of list) {
      const firstFull = Math.ceil(range.start / blockPages);
      const endFull = Math.floor(range.end / blockPages);
      if (endFull > firstFull)
        full.push({ first: firstFull, count: endFull - firstFull, node, zone });
      const edges: Range[] =
        endFull > firstFull
          ? [
              { start: range.start, end: firstFull * blockPages },
              { start: endFull * blockPages, end: range.end },
            ]
          : [range];
      for (const edge of edges) {
        if (edge.end <= edge.start) continue;
        const block = Math.floor(edge.start / blockPages);
        const entry = partial.get(block) ?? {
          node,
          first: edge.start,
          last: edge.end,
          pages: 0,
          byZone: new Map(),
        };
        entry.first = Math.min(entry.first, edge.start);
        entry.last = Math.max(entry.last, edge.end);
        entry.pages += edge.end - edge.start;
        entry.byZone.set(zone, (entry.byZone.get(zone) ?? 0) + edge.end - edge.start);
        partial.set(block, entry);
      }
    }
  }
  const base = {
    state: 'online' as const,
    resource: -1,
    memmapPages: 0,
    wastePages: 0,
    unpluggedPages: 0,
  };
  for (const run of full.sort((a, b) => a.first - b.first)) {
    machine.blocks.insert(run.first, run.count, {
      ...base,
      node: run.node,
      zone: run.zone,
      presentPages: blockPages,
      presentOffset: 0,
    });
  }
  for (const [block, entry] of [...partial].sort((a, b) => a[0] - b[0])) {
    const zone = [...entry.byZone].sort((a, b) => b[1] - a[1])[0]![0];
    machine.blocks.insert(block, 1, {
      ...base,
      node: entry.node,
      zone,
      presentPages: entry.pages,
      presentOffset: entry.first - block * blockPages,
    });
  }
}

/** Kernel zones of a node, highest first, that have memory. */
function kernelZonesOf(machine: Machine, node: number): Zone[] {
  return (['Normal', 'DMA32', 'DMA'] as const)
    .map((name) => machine.findZone(node, name))
    .filter((zone): zone is Zone => zone !== undefined && zone.free.total() > 0);
}

function placeBootMemmap(machine: Machine, node: number, ram: RangeSet, report: BootReport): void {
  const sectionPages = machine.pagesPerSection;
  const described: { startPfn: number; pages: number }[] = [];
  for (const range of ram.ranges()) {
    const first = alignDown(range.start, sectionPages);
    const end = alignUp(range.end, sectionPages);
    const last = described[described.length - 1];
    if (last && last.startPfn + last.pages >= first) {
      last.pages = Math.max(last.pages, end - last.startPfn);
    } else {
      described.push({ startPfn: first, pages: end - first });
    }
  }
  const needed = described.reduce((sum, range) => sum + machine.memmapPagesFor(range.pages), 0);
  const hostNode =
    machine.fallbackNodes(node).find((candidate) => kernelZonesOf(machine, candidate).length > 0) ??
    node;
  const pieces: Piece[] = [];
  let remaining = needed;
  for (const zone of kernelZonesOf(machine, hostNode)) {
    if (remaining <= 0) break;
    const chunk = Math.min(machine.pmdPages, remaining);
    const aligned = carveAligned(
      zone,
      Math.min(Math.floor(zone.free.total() / chunk), Math.floor(remaining / chunk)),
      chunk,
    );
    remaining -= aligned.reduce((sum, piece) => sum + piecePages(piece), 0);
    const rest = remaining > 0 ? carvePages(zone, Math.min(remaining, zone.free.total())) : [];
    remaining -= rest.reduce((sum, piece) => sum + piecePages(piece), 0);
    pieces.push(...aligned, ...rest);
  }
  for (const piece of pieces) {
    // memblock memory: reserved, never handed to the buddy allocator.
    piece.zone.managedPages -= piecePages(piece);
  }
  machine.memmap.push(
    ...recordsFromPieces(machine, described, pieces, {
      kind: 'boot',
      event: -1,
      resource: -1,
      describesNode: node,
    }),
  );
  if (hostNode !== node) {
    report.narrative.push(
      `Node ${node} has no kernel-zone memory at boot, so its ${formatBytes(machine.toBytes(needed))} memmap lives on node ${hostNode}.`,
    );
  }
  if (remaining > 0)
    machine.notes.push(`boot memmap of node ${node}: ${remaining} pages did not fit`);
}

function placeBootUsed(machine: Machine, node: number): void {
  const bytes = machine.bootUsedBytes(node);
  if (bytes <= 0) return;
  let remaining = Math.ceil(machine.toPfn(bytes) / machine.pageblockPages) * machine.pageblockPages;
  for (const zone of kernelZonesOf(machine, node)) {
    if (remaining <= 0) break;
    const chunks = Math.min(
      Math.floor(zone.free.total() / machine.pageblockPages),
      remaining / machine.pageblockPages,
    );
    for (const piece of carveAligned(zone, chunks, machine.pageblockPages)) {
      machine.allocations.push(allocationOf('boot-used', piece, -1));
      remaining -= piecePages(piece);
    }
  }
  if (remaining > 0)
    machine.notes.push(`kernel.bootUsed.${node}: only part fits in node ${node}'s kernel zones`);
}

export function boot(machine: Machine): BootReport {
  const report: BootReport = { narrative: [], log: [] };
  const { scenario, spec } = machine;
  let bootEndBytes = 0;
  for (const node of scenario.machine.nodes) {
    const ram = new RangeSet();
    for (const range of node.ram) {
      ram.add(machine.toPfn(range.start), machine.toPfn(range.start + range.size));
      bootEndBytes = Math.max(bootEndBytes, range.start + range.size);
    }
    machine.bootRam.set(node.id, ram);
  }
  const explicit = scenario.machine.blockSize;
  const kernelBlockBytes =
    explicit === 'auto'
      ? defaultBlockSize(spec, bootEndBytes, scenario.machine.virtual, machine.version)
      : explicit;
  // kernel.strategy bigger-blocks (option a) sets the block size, the boot blocks' too.
  const strategy = strategyOf(scenario);
  const blockBytes = strategy.blockSize ?? kernelBlockBytes;
  machine.notes.push(...strategyNotes(strategy, kernelBlockBytes));
  machine.blockPages = machine.toPfn(blockBytes);
  machine.blockSizeReason =
    strategy.blockSize !== undefined
      ? `kernel.strategy bigger-blocks (option a of the 2017 RFC, hypothetical; the kernel's own: ${formatShortSize(kernelBlockBytes)})`
      : explicit !== 'auto'
        ? 'set by the scenario'
        : spec.defaultBlock !== 'x86'
          ? `${spec.id} default`
          : x86BlockSizeReason(bootEndBytes, scenario.machine.virtual, machine.version);
  if (spec.defaultBlock === 'x86')
    report.log.push(`x86/mm: Memory block size: ${blockBytes / 1024 ** 2}MB`);

  const piecesByNode = new Map<number, { zone: ZoneName; range: Range }[]>();
  for (const node of machine.nodeIds) {
    const pieces = zonePieces(machine, node, machine.bootRam.get(node)!);
    piecesByNode.set(node, pieces);
    const nodeStart = machine.bootRam.get(node)!.first() ?? 0;
    const nodeEnd = machine.bootRam.get(node)!.last() ?? 0;
    for (const { zone: name, range } of pieces) {
      const zone = machine.zone(node, name);
      zone.span.add(range.start, range.end);
      // The kernel's span runs to the zone's limit when the node goes on past it.
      const [zoneStart, zoneEnd] = zoneLimits(machine, name);
      zone.bootStart = Math.min(zone.bootStart, Math.max(nodeStart, zoneStart));
      zone.bootEnd = Math.max(zone.bootEnd, Math.min(nodeEnd, zoneEnd));
      zone.free.add(range.start, range.end);
      const pages = range.end - range.start;
      zone.presentPages += pages;
      zone.earlyPresentPages += pages;
      zone.managedPages += pages;
    }
  }
  if (machine.kernel.movableNode) {
    report.log.push('Movable zone start for each node');
    for (const [node, pieces] of piecesByNode) {
      const movable = pieces.find((piece) => piece.zone === 'Movable');
      if (movable)
        report.log.push(
          `  Node ${node}: 0x${machine.toBytes(movable.range.start).toString(16).padStart(16, '0')}`,
        );
    }
  }
  createBootBlocks(machine, piecesByNode);
  for (const ram of machine.bootRam.values())
    ram.forEachRun((run) => markBootTables(machine, run.start, run.len));
  for (const node of machine.nodeIds) {
    const ram = machine.bootRam.get(node)!;
    if (ram.total() > 0) placeBootMemmap(machine, node, ram, report);
  }
  for (const node of machine.nodeIds) placeBootUsed(machine, node);
  machine.refreshWatermarks();
  // set_memmap_mode() (v6.6+): with force the kernel says, while it parses the command line,
  // how many pages the pageblock padding wastes per block: once, and even when that is 0
  // (mm/memory_hotplug.c, pr_info_once). Older kernels read "force" as a boolean false.
  if (
    machine.kernel.memmapOnMemory === 'force' &&
    has(machine.version, 'memmapOnMemoryForce') &&
    mmoBuilt(spec, machine.version)
  ) {
    const geometry = mmoGeometry(spec, blockBytes, machine.structPageSize, true);
    const warning = `Memory hotplug will waste ${geometry.wastePages} pages in each memory block`;
    machine.warnings.push(warning);
    report.log.push(warning);
  }

  const totalBytes = [...machine.bootRam.values()].reduce(
    (sum, ram) => sum + machine.toBytes(ram.total()),
    0,
  );
  const withRam = machine.nodeIds.filter((node) => machine.nodeHasBootRam(node));
  report.narrative.unshift(
    `Boot: ${formatBytes(totalBytes)} of RAM on ${withRam.length === 1 ? `node ${withRam[0]}` : `${withRam.length} nodes`}` +
      `${machine.nodeIds.length > withRam.length ? ` (${machine.nodeIds.length - withRam.length} memoryless)` : ''}; ` +
      `memory blocks of ${formatShortSize(blockBytes)} (${machine.blockSizeReason}).`,
  );
  return report;
}
