/**
 * The simulated machine: arch constants, nodes, zones, memory blocks, and every record of
 * where memory went (memmap, kernel allocations, huge pages). Operations in ../ops mutate it;
 * ../output reads it into the result format.
 */
import { archFor, sectionSize, type ArchSpec, type ZoneName } from '../arch.ts';
import { ERA_VERSION, parseVersion, type Version } from '../kernel/versions.ts';
import type { Placement, MemmapHost, WindowRun } from '../result.ts';
import type { Context as WindowContext } from '../analysis/windows.ts';
import { RangeSet } from '../rangeset.ts';
import type { AddVia, Scenario } from '../scenario/types.ts';
import { BlockMap } from './blocks.ts';
import { Zone, updateWatermarks, zoneKey } from './zone.ts';

export interface Resource {
  id: number;
  event: number;
  kind: 'ram' | 'pmem' | 'device-private';
  startPfn: number;
  nrPages: number;
  node: number;
  via: AddVia | 'pmem' | 'device-private';
  placement: Placement;
  /**
   * Memory group (auto-movable, v5.15+): one static group per ACPI device or dax device, a
   * dynamic one per virtio-mem device; null for callers that register none (pseries DLPAR, the
   * sysfs probe, the Hyper-V and Xen balloons), whose blocks are decided one by one.
   */
  group: number | null;
  dynamicGroup: boolean;
}

/**
 * Where the struct pages of some pfns live, as a periodic run: repetition r describes
 * [describesStartPfn + r * describesStridePfn, + describesPages) and lives at
 * [hostStartPfn + r * hostStridePfn, + hostPages), the struct page of each described pfn at
 * host + (pfn - described start) * sizeof(struct page) inside the repetition. memmap_on_memory is
 * one record for a run of blocks (describes one block, hosted at its start, stride one block);
 * a memmap taken from RAM is plain (one repetition) or follows the periodic free memory it was
 * carved from.
 */
export interface MemmapRecord {
  describesStartPfn: number;
  describesPages: number;
  describesStridePfn: number;
  host: MemmapHost;
  hostNode: number;
  hostZone: ZoneName | null;
  hostStartPfn: number;
  hostPages: number;
  hostStridePfn: number;
  reps: number;
  kind: 'boot' | 'hotplug' | 'pmem' | 'device-private';
  event: number;
  resource: number;
  /** Node of the memory the struct pages describe (off-node when hostNode differs). */
  describesNode: number;
  basePages: boolean;
  /** Boot memmap pages HVO has already handed to the buddy allocator (counted as managed once). */
  hvoReleasedPages?: number;
}

export type AllocationKind = 'boot-used' | 'consume' | 'kernel' | 'page-tables';

/** Pages the kernel holds: `reps` runs of `pages` every `stridePfn` (reps 1: one run). */
export interface Allocation {
  kind: AllocationKind;
  startPfn: number;
  pages: number;
  stridePfn: number;
  reps: number;
  node: number;
  zone: ZoneName;
  event: number;
  /** The add request a page-table allocation serves (freed when it is removed). */
  resource?: number;
}

/** Huge pages: `reps` runs of `count` contiguous pages, each `stridePfn` after the last. */
export interface HugeRun {
  startPfn: number;
  count: number;
  stridePfn: number;
  reps: number;
  node: number;
  zone: ZoneName;
  /** HVO: vmemmap pages handed back per huge page, by host zone key. */
  hvoFreedByZone: Record<string, number>;
}

/** One nr_hugepages pool: a page size on a node, and where its pages are. */
export interface HugePool {
  pageSize: number;
  node: number;
  runs: HugeRun[];
}

export interface DeviceRecord {
  kind: 'pmem' | 'device-private';
  startPfn: number;
  nrPages: number;
  /** The node whose ZONE_DEVICE holds it (pmem: the region's numa_node). */
  node: number;
  /** pmem: the firmware's target node (kmem adds its memory there). */
  targetNode?: number;
  event: number;
  map?: 'dev' | 'mem';
  mode?: 'fsdax' | 'devdax';
  dataOffsetPages?: number;
  /** pmem: pages at the end lost to the namespace alignment. */
  endTruncPages?: number;
}

export class Machine {
  readonly spec: ArchSpec;
  readonly version: Version;
  readonly pageSize: number;
  readonly pagesPerSection: number;
  readonly pageblockPages: number;
  readonly pmdPages: number;
  readonly structPageSize: number;
  blockPages = 0;
  blockSizeReason = '';
  readonly nodeIds: number[];
  /** Position of each node id in nodeIds. */
  readonly nodeSlot = new Map<number, number>();
  readonly bootRam = new Map<number, RangeSet>();
  readonly blocks = new BlockMap();
  readonly resources: Resource[] = [];
  memmap: MemmapRecord[] = [];
  allocations: Allocation[] = [];
  readonly pools = new Map<string, HugePool>();
  readonly devices: DeviceRecord[] = [];
  readonly warnings: string[] = [];
  readonly notes: string[] = [];
  /**
   * Index of the last event applied (-1 at boot). A windows classification is only ever made at
   * the end of an event, so it stays valid until the next event starts.
   */
  currentEvent = -1;
  /** Windows classified at one event, and what they were read from (see analysis/windows.ts). */
  windowsCache: {
    event: number;
    windowPages: number;
    runs: WindowRun[];
    context: WindowContext;
  } | null = null;
  /** Kernel zones that have had a fresh-zone kernel allocation placed in them. */
  readonly pinnedZones = new Set<string>();
  private readonly zoneMap = new Map<string, Zone>();
  private sortedZones: Zone[] | null = null;
  private readonly zonesByNode = new Map<number, Zone[]>();
  private readonly distances = new Map<number, Map<number, number>>();
  private readonly fallbackCache = new Map<number, number[]>();

  constructor(readonly scenario: Scenario) {
    // The version decides every version-dependent rule; without one, the era's own version.
    this.version = parseVersion(scenario.kernelVersion ?? ERA_VERSION[scenario.era])!;
    this.spec = archFor(scenario.arch, this.version);
    this.pageSize = this.spec.pageSize;
    this.pagesPerSection = sectionSize(this.spec) / this.pageSize;
    this.pageblockPages = this.spec.pageblockSize / this.pageSize;
    this.pmdPages = this.spec.pmdSize / this.pageSize;
    this.structPageSize = scenario.machine.structPageSize;
    this.nodeIds = scenario.machine.nodes.map((node) => node.id).sort((a, b) => a - b);
    this.nodeIds.forEach((node, i) => this.nodeSlot.set(node, i));
    for (const node of scenario.machine.nodes) {
      const row = new Map<number, number>();
      for (const [other, distance] of Object.entries(node.distance ?? {}))
        row.set(Number(other), distance);
      this.distances.set(node.id, row);
    }
  }

  get era() {
    return this.scenario.era;
  }

  get kernel() {
    return this.scenario.kernel;
  }

  toPfn(bytes: number): number {
    return Math.floor(bytes / this.pageSize);
  }

  toBytes(pages: number): number {
    return pages * this.pageSize;
  }

  /** Pages of memmap needed to describe `pages` pages. */
  memmapPagesFor(pages: number): number {
    return Math.ceil((pages * this.structPageSize) / this.pageSize);
  }

  distance(from: number, to: number): number {
    if (from === to) return 10;
    return this.distances.get(from)?.get(to) ?? this.distances.get(to)?.get(from) ?? 20;
  }

  /** Node fallback order of `nid`'s zonelist: by distance, then by id. */
  fallbackNodes(nid: number): number[] {
    let order = this.fallbackCache.get(nid);
    if (!order) {
      order = [...this.nodeIds].sort(
        (a, b) => this.distance(nid, a) - this.distance(nid, b) || a - b,
      );
      this.fallbackCache.set(nid, order);
    }
    return order;
  }

  zone(node: number, name: ZoneName): Zone {
    const key = zoneKey(node, name);
    let zone = this.zoneMap.get(key);
    if (!zone) {
      zone = new Zone(node, name);
      this.zoneMap.set(key, zone);
      this.sortedZones = null;
      const list = this.zonesByNode.get(node) ?? [];
      list.push(zone);
      list.sort((a, b) => a.index - b.index);
      this.zonesByNode.set(node, list);
    }
    return zone;
  }

  findZone(node: number, name: ZoneName): Zone | undefined {
    const list = this.zonesByNode.get(node);
    if (!list) return undefined;
    for (const zone of list) if (zone.name === name) return zone;
    return undefined;
  }

  /** Every zone, by node then zone index (cached: zones are only ever created). */
  zones(): readonly Zone[] {
    this.sortedZones ??= [...this.zoneMap.values()].sort(
      (a, b) => a.node - b.node || a.index - b.index,
    );
    return this.sortedZones;
  }

  nodeZones(node: number): readonly Zone[] {
    return this.zonesByNode.get(node) ?? [];
  }

  /** Recompute watermarks after managed memory changed (init_per_zone_wmark_min). */
  refreshWatermarks(): void {
    updateWatermarks(this.zoneMap.values(), this.pageSize);
  }

  nodeHasBootRam(node: number): boolean {
    return (this.bootRam.get(node)?.total() ?? 0) > 0;
  }

  bootUsedBytes(node: number): number {
    return this.kernel.bootUsed[String(node)] ?? 0;
  }

  pool(pageSize: number, node: number): HugePool {
    const key = `${pageSize}:${node}`;
    let pool = this.pools.get(key);
    if (!pool) {
      pool = { pageSize, node, runs: [] };
      this.pools.set(key, pool);
    }
    return pool;
  }

  poolCount(pageSize: number, node: number): number {
    return this.pool(pageSize, node).runs.reduce((sum, run) => sum + run.count * run.reps, 0);
  }

  /** Does [startPfn, endPfn) overlap boot RAM, a memory block or a device? */
  overlapsPresent(startPfn: number, endPfn: number): boolean {
    for (const ram of this.bootRam.values()) if (ram.intersects(startPfn, endPfn)) return true;
    const firstBlock = Math.floor(startPfn / this.blockPages);
    if (this.blocks.countWithin(firstBlock, Math.ceil(endPfn / this.blockPages) - firstBlock) > 0)
      return true;
    return this.devices.some(
      (device) => device.startPfn < endPfn && device.startPfn + device.nrPages > startPfn,
    );
  }

  /** All pfns that belong to something: boot RAM, blocks, devices. */
  occupied(): RangeSet {
    const ranges = [];
    for (const ram of this.bootRam.values()) ranges.push(...ram.ranges());
    for (const run of this.blocks.all())
      ranges.push({
        start: run.first * this.blockPages,
        end: (run.first + run.count) * this.blockPages,
      });
    for (const device of this.devices)
      ranges.push({ start: device.startPfn, end: device.startPfn + device.nrPages });
    const set = new RangeSet();
    set.addMany(ranges);
    return set;
  }
}
