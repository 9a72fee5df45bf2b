/**
 * One zone of one node: which pfns it spans, what it counts as present and managed, and which
 * pfns are free in the buddy allocator.
 *
 * `span` holds the pfns the zone covers (online memory; device ranges for ZONE_DEVICE), so
 * spanned = last - first exactly as the kernel grows and shrinks zone spans. Free memory is a
 * RangeSet too, carved by every allocation, so gigantic windows and 2 MiB chunks are counted
 * from where things really are, not estimated.
 */
import { ZONE_INDEX, type ZoneName } from '../arch.ts';
import { RangeSet } from '../rangeset.ts';

export class Zone {
  readonly span = new RangeSet();
  readonly free = new RangeSet();
  presentPages = 0;
  managedPages = 0;
  /** Present at boot (present_early_pages, the auto-movable budget's base). */
  earlyPresentPages = 0;
  /** Single free pages outside `free`: vmemmap pages that HVO handed back. */
  loosePages = 0;
  /** min watermark in pages, recomputed whenever managed memory changes. */
  minPages = 0;
  /**
   * The span boot gave the zone: from the node's first pfn in it to its last, holes included
   * (zone_spanned_pages_in_node: a node that continues past 4 GiB spans DMA32 to 4 GiB).
   */
  bootStart = Number.POSITIVE_INFINITY;
  bootEnd = Number.NEGATIVE_INFINITY;

  constructor(
    readonly node: number,
    readonly name: ZoneName,
  ) {}

  get index(): number {
    return ZONE_INDEX[this.name];
  }

  get spannedPages(): number {
    const first = Math.min(this.span.first() ?? Number.POSITIVE_INFINITY, this.bootStart);
    const last = Math.max(this.span.last() ?? Number.NEGATIVE_INFINITY, this.bootEnd);
    return last > first ? last - first : 0;
  }

  get startPfn(): number {
    const first = Math.min(this.span.first() ?? Number.POSITIVE_INFINITY, this.bootStart);
    return Number.isFinite(first) ? first : 0;
  }

  get freePages(): number {
    return this.free.total() + this.loosePages;
  }

  /** Pages an allocation may take before the zone reaches its min watermark. */
  usablePages(reservePages = 0): number {
    return Math.max(0, this.freePages - this.minPages - reservePages);
  }

  /** zone_intersects(): does [start, end) overlap the zone span? */
  intersects(start: number, end: number): boolean {
    const first = this.span.first();
    const last = this.span.last();
    if (first === undefined || last === undefined) return false;
    return start < last && end > first;
  }
}

export const zoneKey = (node: number, zone: ZoneName) => `${node}/${zone}`;

/**
 * __setup_per_zone_wmarks(): min_free_kbytes = sqrt(16 * lowmem kB), clamped to [128 kB, 256 MiB],
 * shared by the kernel zones in proportion to their managed pages; ZONE_MOVABLE (like highmem)
 * gets managed/1024 clamped to [32, 128] pages. It decides, for instance, that 4 GiB of fresh
 * ZONE_MOVABLE yields 2047 of 2048 2 MiB pages, as the recorded kernel did.
 */
export function updateWatermarks(zones: Iterable<Zone>, pageSize: number): void {
  const list = [...zones];
  const kernel = list.filter((zone) => zone.name !== 'Movable' && zone.name !== 'Device');
  const lowmemPages = kernel.reduce((sum, zone) => sum + zone.managedPages, 0);
  const pageKiB = pageSize / 1024;
  const minFreeKiB = Math.min(
    262144,
    Math.max(128, Math.floor(Math.sqrt(lowmemPages * pageKiB * 16))),
  );
  const minFreePages = Math.floor(minFreeKiB / pageKiB);
  for (const zone of list) {
    if (zone.name === 'Device') zone.minPages = 0;
    else if (zone.name === 'Movable')
      zone.minPages = Math.min(128, Math.max(32, Math.floor(zone.managedPages / 1024)));
    else
      zone.minPages = lowmemPages
        ? Math.floor((minFreePages * zone.managedPages) / lowmemPages)
        : 0;
  }
}

/** sysctl_lowmem_reserve_ratio of 6.12 (DMA 256, DMA32 256, Normal 32). */
const LOWMEM_RESERVE_RATIO: Partial<Record<ZoneName, number>> = {
  DMA: 256,
  DMA32: 256,
  Normal: 32,
};

/**
 * lowmem_reserve: what a lower zone keeps back from allocations that could have used a higher
 * zone of the same node (so DMA32 gives memory to GFP_KERNEL only when it has plenty).
 */
export function lowmemReserve(
  zone: Zone,
  nodeZones: readonly Zone[],
  highestIndex: number,
): number {
  const ratio = LOWMEM_RESERVE_RATIO[zone.name];
  if (!ratio || highestIndex <= zone.index) return 0;
  let higher = 0;
  for (const other of nodeZones) {
    if (other.index > zone.index && other.index <= highestIndex) higher += other.managedPages;
  }
  return Math.floor(higher / ratio);
}
