/**
 * HugeTLB Vmemmap Optimization (hugetlb_free_vmemmap, HVO). When a huge page is allocated, all
 * but one of the vmemmap pages describing it are handed back to the node that hosts that memmap
 * (real-kernel evidence: 28 KiB per 2 MiB page, back to node 0 for a legacy memmap of node 1).
 * A self-hosted memmap is never optimized. Freeing or dissolving the huge page first re-allocates
 * those pages with GFP_KERNEL on the huge page's node.
 */
import { has } from '../kernel/versions.ts';
import { allocationOf, carvePages, piecePages } from './kalloc.ts';
import { hugeRunPages, hugeRunPfns } from './huge-runs.ts';
import { recordHostPages } from './memmap-records.ts';
import { runOverlap } from '../ranges/run.ts';
import type { HugeRun, Machine } from './machine.ts';
import { zoneKey } from './zone.ts';

export function hvoActive(machine: Machine): boolean {
  return machine.kernel.hvo && has(machine.version, 'hvo');
}

export function optimizeVmemmap(machine: Machine, run: HugeRun, hugePages: number): void {
  const vmemmapPages = machine.memmapPagesFor(hugePages);
  if (vmemmapPages < 2) return;
  const pfns = hugeRunPfns(run, hugePages);
  for (const record of machine.memmap) {
    if (record.host !== 'ram') continue;
    // Pages of the run whose struct pages this record holds (RAM records describe contiguous
    // memory, however many repetitions their host has).
    const described = record.describesStridePfn * (record.reps - 1) + record.describesPages;
    const pages = runOverlap(pfns, record.describesStartPfn, record.describesStartPfn + described);
    if (pages <= 0) continue;
    const zone = record.hostZone ? machine.findZone(record.hostNode, record.hostZone) : undefined;
    if (!zone) continue;
    const freed = (pages / hugePages) * (vmemmapPages - 1);
    zone.loosePages += freed;
    if (record.kind === 'boot') {
      // Boot memmap is memblock memory: the first time a page of it is freed, it becomes managed
      // (free_bootmem_page). What is restored later comes from the buddy and stays managed.
      const released = record.hvoReleasedPages ?? 0;
      const newly = Math.min(freed, recordHostPages(record) - released);
      zone.managedPages += newly;
      record.hvoReleasedPages = released + newly;
    }
    const key = zoneKey(zone.node, zone.name);
    run.hvoFreedByZone[key] = (run.hvoFreedByZone[key] ?? 0) + freed;
  }
}

/** Re-allocates the vmemmap of `take` pages of an optimized run before they are freed. */
export function releaseHugePages(
  machine: Machine,
  run: HugeRun,
  take: number,
  event: number,
): void {
  const total = Object.values(run.hvoFreedByZone).reduce((sum, pages) => sum + pages, 0);
  const count = hugeRunPages(run);
  if (total <= 0 || count <= 0) return;
  let remaining = Math.round((total * take) / count);
  for (const key of Object.keys(run.hvoFreedByZone)) {
    run.hvoFreedByZone[key]! -= Math.round((run.hvoFreedByZone[key]! * take) / count);
  }
  for (const nid of machine.fallbackNodes(run.node)) {
    for (const name of ['Normal', 'DMA32', 'DMA'] as const) {
      const zone = machine.findZone(nid, name);
      if (!zone || remaining <= 0) continue;
      const loose = Math.min(zone.loosePages, remaining);
      zone.loosePages -= loose;
      remaining -= loose;
      for (const piece of carvePages(zone, Math.min(remaining, zone.free.total()))) {
        machine.allocations.push(allocationOf('kernel', piece, event));
        remaining -= piecePages(piece);
      }
    }
  }
}
