/**
 * The bulk parts of a result as typed arrays (columns), so the worker can transfer them to the
 * page without copying and the map can draw them without allocating. One row per run.
 */
import { ZONES, type ZoneName } from './arch.ts';
import type { Final, MemmapHost, RegionKind, Result, WindowStatus } from './result.ts';
import { toTileColumns, type TileColumns } from './tile-columns.ts';

export const ZONE_CODES: readonly (ZoneName | null)[] = [null, ...ZONES];
export const zoneCode = (zone: ZoneName | null) => ZONE_CODES.indexOf(zone);
export const PLACEMENTS = [
  'boot',
  'ram',
  'self-per-block',
  'self-per-request',
  'device-altmap',
  'self-per-group',
  'node-host',
] as const;
export const HOSTS: readonly MemmapHost[] = ['ram', 'self', 'device'];
export const MEMMAP_KINDS = ['boot', 'hotplug', 'pmem', 'device-private'] as const;
export const REGION_KINDS: readonly RegionKind[] = [
  'memmap',
  'boot-memmap',
  'boot-used',
  'consume',
  'kernel',
  'page-tables',
  'hugetlb',
  'device',
];
export const WINDOW_STATUSES: readonly WindowStatus[] = [
  'possible',
  'allocated',
  'memmap',
  'movable',
  'boot',
  'kernel',
  'offline',
  'mixed',
  'in-use',
];
export const DEVICE_KINDS = ['pmem', 'device-private'] as const;

/*
 * The codes by name, for readers of the columns: `memmap.host[i] === HOST.self`, never `=== 1`.
 * They are the tables' positions, written out so that reordering a table fails a test
 * (columns.test.ts) instead of silently recolouring the map; a code that changes meaning is a
 * protocol change (worker/protocol.ts).
 */
export const HOST = { ram: 0, self: 1, device: 2 } as const satisfies Record<MemmapHost, number>;
export const MEMMAP_KIND = {
  boot: 0,
  hotplug: 1,
  pmem: 2,
  'device-private': 3,
} as const satisfies Record<(typeof MEMMAP_KINDS)[number], number>;
export const REGION_KIND = {
  memmap: 0,
  'boot-memmap': 1,
  'boot-used': 2,
  consume: 3,
  kernel: 4,
  'page-tables': 5,
  hugetlb: 6,
  device: 7,
} as const satisfies Record<RegionKind, number>;
export const WINDOW_STATUS = {
  possible: 0,
  allocated: 1,
  memmap: 2,
  movable: 3,
  boot: 4,
  kernel: 5,
  offline: 6,
  mixed: 7,
  'in-use': 8,
} as const satisfies Record<WindowStatus, number>;
export const DEVICE_KIND = { pmem: 0, 'device-private': 1 } as const satisfies Record<
  (typeof DEVICE_KINDS)[number],
  number
>;
export const PLACEMENT = {
  boot: 0,
  ram: 1,
  'self-per-block': 2,
  'self-per-request': 3,
  'device-altmap': 4,
  'self-per-group': 5,
  'node-host': 6,
} as const satisfies Record<(typeof PLACEMENTS)[number], number>;

export interface BlockColumns {
  count: number;
  start: Float64Array;
  blocks: Float64Array;
  firstBlock: Float64Array;
  node: Uint16Array;
  zone: Uint8Array;
  online: Uint8Array;
  memmapBytes: Float64Array;
  wasteBytes: Float64Array;
  presentBytes: Float64Array;
  event: Int32Array;
  placement: Uint8Array;
  /** The node holding this run's memmap in RAM: -1 none, -2 several. */
  memmapHostNode: Int32Array;
}

export interface MemmapColumns {
  count: number;
  describesStart: Float64Array;
  describesSize: Float64Array;
  describesNode: Uint16Array;
  hostStart: Float64Array;
  hostSize: Float64Array;
  hostNode: Uint16Array;
  hostZone: Uint8Array;
  host: Uint8Array;
  kind: Uint8Array;
  /** Repetitions of the row (1 when it does not repeat) and the two periods, bytes. */
  repeat: Float64Array;
  describesPeriod: Float64Array;
  hostPeriod: Float64Array;
  basePages: Uint8Array;
  event: Int32Array;
}

export interface RegionColumns {
  count: number;
  start: Float64Array;
  size: Float64Array;
  repeat: Float64Array;
  period: Float64Array;
  kind: Uint8Array;
  node: Uint16Array;
  zone: Uint8Array;
  pageSize: Float64Array;
}

export interface WindowColumns {
  count: number;
  start: Float64Array;
  /** Consecutive windows in one repetition of the row. */
  windows: Float64Array;
  repeat: Float64Array;
  period: Float64Array;
  status: Uint8Array;
  node: Uint16Array;
  zone: Uint8Array;
}

export interface DeviceColumns {
  count: number;
  start: Float64Array;
  size: Float64Array;
  kind: Uint8Array;
  node: Uint16Array;
  dataOffset: Float64Array;
}

export interface MapColumns {
  blocks: BlockColumns;
  memmap: MemmapColumns;
  regions: RegionColumns;
  windows: WindowColumns;
  devices: DeviceColumns;
  tiles: TileColumns;
}

function fill<T>(
  rows: readonly T[],
  columns: Record<string, (row: T) => number>,
  types: Record<string, 'f64' | 'u8' | 'u16' | 'i32'>,
) {
  const out: Record<string, Float64Array | Uint8Array | Uint16Array | Int32Array | number> = {
    count: rows.length,
  };
  for (const [name, read] of Object.entries(columns)) {
    const type = types[name] ?? 'f64';
    const array =
      type === 'u8'
        ? new Uint8Array(rows.length)
        : type === 'u16'
          ? new Uint16Array(rows.length)
          : type === 'i32'
            ? new Int32Array(rows.length)
            : new Float64Array(rows.length);
    rows.forEach((row, i) => (array[i] = read(row)));
    out[name] = array;
  }
  return out;
}

export function toColumns(final: Final, pageSize: number): MapColumns {
  const blocks = fill(
    final.blocks,
    {
      start: (b) => b.startAddr,
      blocks: (b) => b.count,
      firstBlock: (b) => b.firstBlock,
      node: (b) => b.node,
      zone: (b) => zoneCode(b.zone),
      online: (b) => (b.state === 'online' ? 1 : 0),
      memmapBytes: (b) => b.memmapPages * pageSize,
      wasteBytes: (b) => b.wastePages * pageSize,
      presentBytes: (b) => b.presentPages * pageSize,
      event: (b) => b.event,
      placement: (b) => PLACEMENTS.indexOf(b.placement),
      memmapHostNode: (b) =>
        b.memmapHostNodes.length === 0
          ? -1
          : b.memmapHostNodes.length > 1
            ? -2
            : b.memmapHostNodes[0]!,
    },
    { node: 'u16', zone: 'u8', online: 'u8', event: 'i32', placement: 'u8', memmapHostNode: 'i32' },
  ) as unknown as BlockColumns;
  const memmap = fill(
    final.memmap,
    {
      describesStart: (m) => m.describesStart,
      describesSize: (m) => m.describesSize,
      describesNode: (m) => m.describesNode,
      hostStart: (m) => m.hostStart,
      hostSize: (m) => m.hostSize,
      hostNode: (m) => m.hostNode,
      hostZone: (m) => zoneCode(m.hostZone),
      host: (m) => HOSTS.indexOf(m.host),
      kind: (m) => MEMMAP_KINDS.indexOf(m.kind),
      repeat: (m) => m.repeat ?? 1,
      describesPeriod: (m) => m.describesPeriod ?? m.describesSize,
      hostPeriod: (m) => m.hostPeriod ?? m.hostSize,
      basePages: (m) => (m.basePages ? 1 : 0),
      event: (m) => m.event,
    },
    {
      describesNode: 'u16',
      hostNode: 'u16',
      hostZone: 'u8',
      host: 'u8',
      kind: 'u8',
      basePages: 'u8',
      event: 'i32',
    },
  ) as unknown as MemmapColumns;
  const regions = fill(
    final.regions,
    {
      start: (r) => r.startAddr,
      size: (r) => r.size,
      repeat: (r) => r.repeat ?? 1,
      period: (r) => r.period ?? r.size,
      kind: (r) => REGION_KINDS.indexOf(r.kind),
      node: (r) => r.node,
      zone: (r) => zoneCode(r.zone),
      pageSize: (r) => r.pageSize ?? 0,
    },
    { kind: 'u8', node: 'u16', zone: 'u8' },
  ) as unknown as RegionColumns;
  const windows = fill(
    final.windows,
    {
      start: (w) => w.startAddr,
      windows: (w) => w.count,
      repeat: (w) => w.repeat ?? 1,
      period: (w) => w.period ?? 0,
      status: (w) => WINDOW_STATUSES.indexOf(w.status),
      node: (w) => w.node,
      zone: (w) => zoneCode(w.zone),
    },
    { status: 'u8', node: 'u16', zone: 'u8' },
  ) as unknown as WindowColumns;
  const devices = fill(
    final.devices,
    {
      start: (d) => d.startAddr,
      size: (d) => d.size,
      kind: (d) => DEVICE_KINDS.indexOf(d.kind),
      node: (d) => d.node,
      dataOffset: (d) => d.dataOffset ?? 0,
    },
    { kind: 'u8', node: 'u16' },
  ) as unknown as DeviceColumns;
  const { columns: tiles } = toTileColumns(final.tiles, zoneCode);
  return { blocks, memmap, regions, windows, devices, tiles };
}

/** The ArrayBuffers behind the columns, for postMessage's transfer list. */
export function transferables(columns: MapColumns): ArrayBuffer[] {
  const buffers: ArrayBuffer[] = [];
  for (const group of Object.values(columns)) {
    for (const value of Object.values(group as Record<string, unknown>)) {
      if (ArrayBuffer.isView(value)) buffers.push(value.buffer as ArrayBuffer);
    }
  }
  return buffers;
}

/** A result without its bulk arrays (sent beside the columns instead of inside the result). */
export type LiteResult = Omit<Result, 'final'> & {
  final: Omit<Final, 'blocks' | 'memmap' | 'regions' | 'windows' | 'devices' | 'tiles'> & {
    /** The tiles' labels (the columns hold indices into it). */
    tileLabels: string[];
  };
};

export function liteResult(result: Result): LiteResult {
  const {
    blocks: _b,
    memmap: _m,
    regions: _r,
    windows: _w,
    devices: _d,
    tiles,
    ...rest
  } = result.final;
  return { ...result, final: { ...rest, tileLabels: toTileColumns(tiles, zoneCode).labels } };
}
