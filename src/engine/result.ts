/**
 * The result format, version 2 (docs/formats/result.md): version 1 of shared/spec/result.md,
 * plus fields this engine adds (marked "extension"), with runs that repeat. Sizes are bytes and
 * counts are base pages unless a name says otherwise.
 *
 * Periodic runs: a run with `repeat` N > 1 stands for N copies of itself, each `period` bytes
 * after the one before (memmap runs have a period for each side). Without `repeat` a run is one
 * copy, as in version 1. A million alike memory blocks with memmap_on_memory are one run.
 */
import type { ArchId, Era, ZoneName } from './arch.ts';
import type { EventOp } from './scenario/types.ts';
import type { ControlHints } from './kernel/controls.ts';
import type { KernelViews } from './views/index.ts';
import type { Strategy } from './strategy/kinds.ts';

export const RESULT_VERSION = 2;

export type Placement =
  | 'ram'
  | 'self-per-block'
  | 'self-per-request'
  | 'device-altmap'
  /** extension: kernel.strategy "group": one altmap on the first block of each group. */
  | 'self-per-group'
  /** extension: kernel.strategy "node-hosts": packed into the node's host blocks. */
  | 'node-host';

export interface Resolved {
  arch: ArchId;
  era: Era;
  pageSize: number;
  sectionSize: number;
  blockSize: number;
  pageblockSize: number;
  pmdSize: number;
  structPageSize: number;
  maxPhysBits: number;
  hugePageSizes: number[];
  /** extension: why this block size (the x86 rule, the arch default or the scenario). */
  blockSizeReason: string;
  /** extension: hex vmemmap base or null when the arch sets it at boot. */
  vmemmapBase: string | null;
  /** extension: the kernel version whose rules applied ("6.12"; the era's own when none given). */
  kernelVersion: string;
  /** extension: the largest huge page size: the gigantic-page window the map tiles by. */
  giganticPageSize: number;
  /** extension: for each knob, null when it can change anything here, else why it cannot. */
  controls: ControlHints;
  /** extension: kernel.strategy, normalised ({ kind: "kernel" } when absent). */
  strategy: Strategy;
  /** extension: a strategy no kernel implements placed the memmap (docs/strategies.md). */
  hypothetical: boolean;
}

export interface ZoneStat {
  node: number;
  zone: ZoneName;
  spannedPages: number;
  presentPages: number;
  managedPages: number;
  freePages: number;
  /** extension: first pfn of the zone span. */
  startPfn: number;
}

export interface NodeStat {
  node: number;
  memTotal: number;
  memFree: number;
}

export interface Step {
  event: number;
  op: EventOp | 'boot';
  label?: string;
  ok: boolean;
  error?: string;
  memTotal: number;
  memFree: number;
  nodes: NodeStat[];
  zones: ZoneStat[];
  // add steps
  blocksAdded?: number;
  memmapBytes?: number;
  memmapFromRamBytes?: number;
  memmapFromRamByNode?: Record<string, number>;
  memmapSelfHostedBytes?: number;
  memmapWastedBytes?: number;
  /** extension: page tables taken from RAM for the new memory (direct map, vmemmap), not memmap. */
  pageTablesBytes?: number;
  placement?: Placement;
  // hugetlb steps
  pageSize?: number;
  node?: number | null;
  requested?: number;
  allocated?: number;
  limitedBy?: string;
  /** extension: what the kernel did, in a kernel developer's words. */
  narrative: string[];
  /** extension: kernel log lines this step would print. */
  log: string[];
  /** extension: memory blocks whose state changed in this step. */
  blocksChanged?: number;
  /** extension: the zone a step onlined into, when one. */
  zonesChosen?: string[];
  /** extension: where an add, pmem, device-private or dax-kmem event landed (defaults resolved). */
  resolvedStart?: number;
  resolvedSize?: number;
  resolvedNode?: number;
}

export interface BlockRun {
  firstBlock: number;
  count: number;
  startAddr: number;
  node: number;
  state: 'online' | 'offline';
  zone: ZoneName | null;
  /** Self-hosted memmap pages at the start of each block (per block, 0 for none). */
  memmapPages: number;
  /** extension: of memmapPages, force-mode padding. */
  wastePages: number;
  /** extension: pages of each block that exist (boot blocks may be partly holes). */
  presentPages: number;
  /** extension: the event that added the blocks, -1 for boot memory. */
  event: number;
  /** extension: the add request's placement. */
  placement: Placement | 'boot';
  /** extension: nodes whose RAM holds this run's memmap (empty when it is self-hosted or boot). */
  memmapHostNodes: number[];
  /**
   * extension: only block b with b % memmapEvery === memmapPhase holds memmapPages (and
   * wastePages); absent: every block. kernel.strategy "group" gives N and the group's first.
   */
  memmapEvery?: number;
  memmapPhase?: number;
}

export type MemmapHost = 'ram' | 'self' | 'device';

/**
 * Where struct pages live. Repetition r describes [describesStart + r * describesPeriod,
 * + describesSize) and lives at [hostStart + r * hostPeriod, + hostSize). memmap_on_memory over
 * N blocks is one run: describesSize = hostPeriod = describesPeriod = the block size, hostSize =
 * the memmap reserved at each block's start, repeat = N. (Version 1 wrote that as one run over
 * the whole range with `layout: "per-block"` and `perBlockSize`.)
 */
export interface MemmapRun {
  describesStart: number;
  describesSize: number;
  host: MemmapHost;
  hostNode: number;
  hostStart: number;
  hostSize: number;
  /** Repetitions (absent: 1). */
  repeat?: number;
  describesPeriod?: number;
  hostPeriod?: number;
  /** extension: boot memmap, hot-added memory, pmem or device-private memory. */
  kind: 'boot' | 'hotplug' | 'pmem' | 'device-private';
  /** extension: the event that created it, -1 at boot. */
  event: number;
  /** extension: populated with base pages because no 2 MiB chunk was free. */
  basePages: boolean;
  /** extension: the zone of the host pages (null for device memory). */
  hostZone: ZoneName | null;
  /** extension: node of the memory described (the memmap is off-node when hostNode differs). */
  describesNode: number;
}

export interface HugetlbPool {
  pageSize: number;
  node: number;
  count: number;
}

export interface GiganticZone {
  node: number;
  zone: ZoneName;
  windows: number;
  possible: number;
}

/** extension: why each aligned window of the largest huge page size can or cannot hold one. */
export type WindowStatus =
  | 'possible'
  | 'allocated'
  | 'memmap'
  | 'movable'
  | 'boot'
  | 'kernel'
  | 'offline'
  | 'mixed'
  | 'in-use';

/** `count` consecutive windows from startAddr; `repeat` copies of that, `period` bytes apart. */
export interface WindowRun {
  startAddr: number;
  count: number;
  repeat?: number;
  period?: number;
  node: number;
  zone: ZoneName | null;
  status: WindowStatus;
}

/** extension: physical regions holding something other than free memory. */
export type RegionKind =
  | 'memmap'
  | 'boot-memmap'
  | 'boot-used'
  | 'consume'
  | 'kernel'
  | 'page-tables'
  | 'hugetlb'
  | 'device';

export interface Region {
  kind: RegionKind;
  startAddr: number;
  size: number;
  /** Repetitions of [startAddr, + size), `period` bytes apart (absent: 1). */
  repeat?: number;
  period?: number;
  node: number;
  zone: ZoneName | null;
  event: number;
  /** For hugetlb regions: the huge page size. */
  pageSize?: number;
}

export interface DeviceRange {
  kind: 'pmem' | 'device-private';
  startAddr: number;
  size: number;
  node: number;
  event: number;
  map?: 'dev' | 'mem';
  dataOffset?: number;
}

/** extension: the headline figures of the current state, for summaries. */
export interface Summary {
  /** Struct pages of hot-added and device memory that exists now. */
  memmapTotalBytes: number;
  memmapFromRamBytes: number;
  memmapSelfHostedBytes: number;
  memmapDeviceBytes: number;
  memmapOffNodeBytes: number;
  memmapWastedBytes: number;
  bootMemmapBytes: number;
  giganticPageSize: number;
  giganticWindows: number;
  giganticPossible: number;
  giganticAllocated: number;
  blocks: number;
  blocksOnline: number;
  /** Memory blocks whose every page holds memmap (the 2017 RFC packing a request's memmap). */
  blocksAllMemmap: number;
  /**
   * "Blocks pinned by hosting memmap": blocks holding struct pages of other blocks that still
   * exist, so they cannot be removed before those (nor offlined, under kernel.strategy
   * node-hosts and group).
   */
  blocksPinnedByMemmap: number;
  memTotal: number;
  memFree: number;
}

/** extension: a tile's status: a window's, or a hole, or device memory. */
export type TileStatus = WindowStatus | 'hole' | 'device';

/** `count` alike tiles, `offset` tiles into their group's period. */
export interface TileMember {
  offset: number;
  count: number;
  /** Index into Tiles.patterns. */
  pattern: number;
  status: TileStatus;
  /** "possible", "allocated" or "blocked by …", in words (the accessible list reads it). */
  label: string;
  node: number;
  zone: ZoneName | null;
  /** Nodes whose RAM holds the struct pages of this tile's memory. */
  hostNodes: number[];
  /**
   * Rows (0 = the tile's first) of memory blocks pinned by hosting memmap: they hold struct
   * pages of other blocks that still exist (Summary's blocksPinnedByMemmap). Absent when none.
   * Added in engine 0.3.0.
   */
  pinnedRows?: number[];
}

/** Tiles from startAddr: a period of `period` tiles (its members), `repeat` times. */
export interface TileGroup {
  startAddr: number;
  period: number;
  repeat: number;
  members: TileMember[];
}

/**
 * extension: the map's tiles, one per gigantic-page window, rows of `rowSize`, cells of
 * `cellSize`. A pattern is a tile's cells run-length encoded: [count, a, b, fraction, param, ...]
 * (codes in output/cells.ts: `a` covers fraction/255 of the cell, `b` the rest).
 */
export interface Tiles {
  tileSize: number;
  rowSize: number;
  cellSize: number;
  patterns: number[][];
  groups: TileGroup[];
}

export interface Final {
  blocks: BlockRun[];
  memmap: MemmapRun[];
  hugetlb: HugetlbPool[];
  gigantic: GiganticZone[];
  warnings: string[];
  /** extension */
  windows: WindowRun[];
  regions: Region[];
  devices: DeviceRange[];
  tiles: Tiles;
  summary: Summary;
  /** extension: notes on how the model read the scenario (not kernel output). */
  notes: string[];
}

export interface Result {
  /** extension: the Summary one step before `final`, when asked for (what the step changed). */
  previousSummary?: Summary;
  version: typeof RESULT_VERSION;
  engine: string;
  resolved: Resolved;
  steps: Step[];
  final: Final;
  /** extension: what the kernel would print where `final` is taken (SimulateOptions.views). */
  views?: KernelViews;
}
