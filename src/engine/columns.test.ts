/**
 * The column codec: every column of every row reads back as the result's field, through codes
 * restated here by name (HOST.self, never 1), so a reordered table or a mis-read column fails.
 */
import { describe, expect, it } from 'vitest';
import { ZONES } from './arch.ts';
import {
  DEVICE_KIND,
  DEVICE_KINDS,
  HOST,
  HOSTS,
  MEMMAP_KIND,
  MEMMAP_KINDS,
  PLACEMENT,
  PLACEMENTS,
  REGION_KIND,
  REGION_KINDS,
  toColumns,
  transferables,
  WINDOW_STATUS,
  WINDOW_STATUSES,
  ZONE_CODES,
  type MapColumns,
} from './columns.ts';
import { inspectAddress } from './inspect.ts';
import type { Final, Result } from './result.ts';
import { q35, run } from './testing.ts';
import { GiB, MiB } from './units.ts';

const twoNodes = (extra: Record<string, unknown> = {}) => ({
  nodes: [
    { id: 0, ram: [{ start: 0, size: '4G' }] },
    { id: 1, ram: [] },
  ],
  hotpluggable: [{ start: '4G', size: '64G', node: 1 }],
  ...extra,
});

/** Between them they reach every host, memmap kind and device kind, and every block placement. */
const SCENARIOS: Record<string, unknown> = {
  'memmap_on_memory, onlined, gigantic pages': {
    version: 1,
    machine: q35(4),
    kernel: { memmapOnMemory: 'on', bootUsed: { 0: '64M' } },
    events: [
      { op: 'add', start: '6G', size: '4G' },
      { op: 'online' },
      { op: 'hugetlb', pageSize: '1G', count: 2 },
      { op: 'consume', size: '256M', node: 0 },
    ],
  },
  'memmap in RAM, off-node, left offline': {
    version: 1,
    machine: twoNodes(),
    kernel: { movableNode: true },
    events: [{ op: 'add', size: '2G', node: 1 }],
  },
  'memmap in RAM, 1 GiB pages allocated': {
    version: 1,
    machine: q35(4),
    events: [
      { op: 'add', start: '6G', size: '4G' },
      { op: 'online' },
      { op: 'hugetlb', pageSize: '1G', count: 2 },
    ],
  },
  'memmap grouped behind one altmap': {
    version: 1,
    machine: q35(16),
    kernel: { memmapOnMemory: 'on', strategy: { kind: 'group', groupBlocks: 16 } },
    events: [{ op: 'add', start: '20G', size: '16G' }, { op: 'online' }],
  },
  'memmap on node host blocks': {
    version: 1,
    machine: q35(16),
    kernel: { memmapOnMemory: 'on', strategy: { kind: 'node-hosts' } },
    events: [{ op: 'add', start: '20G', size: '16G' }, { op: 'online' }],
  },
  'RFC v1 packing': {
    version: 1,
    era: 'RFC1',
    machine: q35(4),
    kernel: { memmapOnMemory: 'on' },
    events: [{ op: 'add', start: '6G', size: '2G' }, { op: 'online' }],
  },
  'pmem in both maps and device-private memory': {
    version: 1,
    machine: twoNodes({ virtual: false }),
    events: [
      { op: 'pmem', start: '0x1000000000', size: '16G', node: 1, map: 'dev', align: '1G' },
      { op: 'pmem', start: '0x1400000000', size: '4G', node: 0, map: 'mem' },
      { op: 'device-private', size: '2G', node: 1 },
    ],
  },
};

const zoneByName = (zone: string | null) => (zone === null ? 0 : ZONES.indexOf(zone as never) + 1);

/**
 * The encoder restated column by column: what each column must hold for its row. A column the
 * codec gains without a line here fails the completeness check below.
 */
function expectations(final: Final, pageSize: number) {
  return {
    blocks: {
      rows: final.blocks,
      columns: {
        start: (b) => b.startAddr,
        blocks: (b) => b.count,
        firstBlock: (b) => b.firstBlock,
        node: (b) => b.node,
        zone: (b) => zoneByName(b.zone),
        online: (b) => (b.state === 'online' ? 1 : 0),
        memmapBytes: (b) => b.memmapPages * pageSize,
        wasteBytes: (b) => b.wastePages * pageSize,
        presentBytes: (b) => b.presentPages * pageSize,
        event: (b) => b.event,
        placement: (b) => PLACEMENT[b.placement as keyof typeof PLACEMENT],
        memmapHostNode: (b) =>
          b.memmapHostNodes.length === 0
            ? -1
            : b.memmapHostNodes.length > 1
              ? -2
              : b.memmapHostNodes[0]!,
      },
    } satisfies Group<Final['blocks'][number]>,
    memmap: {
      rows: final.memmap,
      columns: {
        describesStart: (m) => m.describesStart,
        describesSize: (m) => m.describesSize,
        describesNode: (m) => m.describesNode,
        hostStart: (m) => m.hostStart,
        hostSize: (m) => m.hostSize,
        hostNode: (m) => m.hostNode,
        hostZone: (m) => zoneByName(m.hostZone),
        host: (m) => HOST[m.host],
        kind: (m) => MEMMAP_KIND[m.kind],
        repeat: (m) => m.repeat ?? 1,
        describesPeriod: (m) => m.describesPeriod ?? m.describesSize,
        hostPeriod: (m) => m.hostPeriod ?? m.hostSize,
        basePages: (m) => (m.basePages ? 1 : 0),
        event: (m) => m.event,
      },
    } satisfies Group<Final['memmap'][number]>,
    regions: {
      rows: final.regions,
      columns: {
        start: (r) => r.startAddr,
        size: (r) => r.size,
        repeat: (r) => r.repeat ?? 1,
        period: (r) => r.period ?? r.size,
        kind: (r) => REGION_KIND[r.kind],
        node: (r) => r.node,
        zone: (r) => zoneByName(r.zone),
        pageSize: (r) => r.pageSize ?? 0,
      },
    } satisfies Group<Final['regions'][number]>,
    windows: {
      rows: final.windows,
      columns: {
        start: (w) => w.startAddr,
        windows: (w) => w.count,
        repeat: (w) => w.repeat ?? 1,
        period: (w) => w.period ?? 0,
        status: (w) => WINDOW_STATUS[w.status],
        node: (w) => w.node,
        zone: (w) => zoneByName(w.zone),
      },
    } satisfies Group<Final['windows'][number]>,
    devices: {
      rows: final.devices,
      columns: {
        start: (d) => d.startAddr,
        size: (d) => d.size,
        kind: (d) => DEVICE_KIND[d.kind],
        node: (d) => d.node,
        dataOffset: (d) => d.dataOffset ?? 0,
      },
    } satisfies Group<Final['devices'][number]>,
  };
}
interface Group<Row> {
  rows: Row[];
  columns: Record<string, (row: Row) => number>;
}
/** The map's tiles have their own codec (tile-columns.ts) and tests. */
const ELSEWHERE = new Set(['tiles']);

const results: [string, Result][] = Object.entries(SCENARIOS).map(([name, s]) => [name, run(s)]);

describe('column codes', () => {
  const tables: [string, readonly (string | null)[], Record<string, number>][] = [
    ['HOSTS', HOSTS, HOST],
    ['MEMMAP_KINDS', MEMMAP_KINDS, MEMMAP_KIND],
    ['REGION_KINDS', REGION_KINDS, REGION_KIND],
    ['WINDOW_STATUSES', WINDOW_STATUSES, WINDOW_STATUS],
    ['DEVICE_KINDS', DEVICE_KINDS, DEVICE_KIND],
    ['PLACEMENTS', PLACEMENTS, PLACEMENT],
  ];
  for (const [name, table, named] of tables) {
    it(`${name}: each entry sits at the code its name gives`, () => {
      expect(Object.keys(named).sort()).toEqual(table.map(String).sort());
      for (const [entry, code] of Object.entries(named)) expect(table[code]).toBe(entry);
    });
  }

  it('the pinned codes the map and the inspector read', () => {
    expect(HOST).toEqual({ ram: 0, self: 1, device: 2 });
    expect(MEMMAP_KIND.boot).toBe(0);
    expect(WINDOW_STATUS.possible).toBe(0);
    expect(ZONE_CODES[0]).toBeNull();
  });
});

describe('columns', () => {
  for (const [name, result] of results) {
    it(`${name}: every column of every row reads back as its field`, () => {
      const { pageSize } = result.resolved;
      const columns = toColumns(result.final, pageSize);
      const groups = expectations(result.final, pageSize);
      expect(Object.keys(columns).filter((key) => !ELSEWHERE.has(key))).toEqual(
        Object.keys(groups),
      );
      for (const [groupName, group] of Object.entries(groups)) {
        const encoded = columns[groupName as keyof typeof groups] as unknown as Record<
          string,
          ArrayLike<number> | number
        >;
        expect(Object.keys(encoded).sort(), groupName).toEqual(
          ['count', ...Object.keys(group.columns)].sort(),
        );
        expect(encoded.count).toBe(group.rows.length);
        for (const [column, read] of Object.entries(group.columns)) {
          const values = encoded[column] as ArrayLike<number>;
          const wanted = (group.rows as never[]).map((row) => (read as (r: never) => number)(row));
          expect(Array.from(values), `${groupName}.${column}`).toEqual(wanted);
        }
      }
    });
  }

  it('the scenarios reach every host, memmap kind, device kind and block placement', () => {
    const seen = (pick: (columns: MapColumns) => ArrayLike<number>) =>
      new Set(
        results.flatMap(([, r]) => Array.from(pick(toColumns(r.final, r.resolved.pageSize)))),
      );
    expect(seen((c) => c.memmap.host)).toEqual(new Set(Object.values(HOST)));
    expect(seen((c) => c.memmap.kind)).toEqual(new Set(Object.values(MEMMAP_KIND)));
    expect(seen((c) => c.devices.kind)).toEqual(new Set(Object.values(DEVICE_KIND)));
    // device-altmap is pmem's placement, and ZONE_DEVICE memory has no memory blocks.
    const { 'device-altmap': _device, ...blockPlacements } = PLACEMENT;
    expect(seen((c) => c.blocks.placement)).toEqual(new Set(Object.values(blockPlacements)));
  });

  it('every column is a typed array in the transfer list', () => {
    const [, result] = results[0]!;
    const columns = toColumns(result.final, result.resolved.pageSize);
    const buffers = new Set(transferables(columns));
    for (const key of ['blocks', 'memmap', 'regions', 'windows', 'devices'] as const)
      for (const value of Object.values(columns[key]))
        if (typeof value !== 'number') expect(buffers.has(value.buffer as ArrayBuffer)).toBe(true);
  });
});

describe('readers of the codes', () => {
  it('the inspector reads a self-hosted struct page as HOST.self encodes it', () => {
    const [, result] = results[0]!;
    const columns = toColumns(result.final, result.resolved.pageSize);
    const row = Array.from(columns.memmap.host).indexOf(HOST.self);
    expect(row).toBeGreaterThanOrEqual(0);
    const addr = columns.memmap.describesStart[row]! + 4 * MiB;
    const found = inspectAddress(columns, result.resolved, addr);
    expect(found.structPage?.host).toBe('self');
    expect(found.selfHostedMemmap).toBe(false);
  });

  it('the inspector reads windows, regions and devices by their named codes', () => {
    const pmem = results.find(([name]) => name.startsWith('pmem'))![1];
    const columns = toColumns(pmem.final, pmem.resolved.pageSize);
    const device = Array.from(columns.devices.kind).indexOf(DEVICE_KIND.pmem);
    const found = inspectAddress(columns, pmem.resolved, columns.devices.start[device]! + GiB);
    expect(found.device?.kind).toBe('pmem');
    const mom = results.find(([name]) => name.includes('allocated'))![1];
    const momColumns = toColumns(mom.final, mom.resolved.pageSize);
    const w = Array.from(momColumns.windows.status).indexOf(WINDOW_STATUS.allocated);
    expect(w).toBeGreaterThanOrEqual(0);
    expect(
      inspectAddress(momColumns, mom.resolved, momColumns.windows.start[w]! + MiB).window?.status,
    ).toBe('allocated');
    const consumer = results[0]![1];
    const consumerColumns = toColumns(consumer.final, consumer.resolved.pageSize);
    const r = Array.from(consumerColumns.regions.kind).indexOf(REGION_KIND.consume);
    expect(r).toBeGreaterThanOrEqual(0);
    const start = consumerColumns.regions.start[r]!;
    const occupant = inspectAddress(consumerColumns, consumer.resolved, start).occupant;
    expect(occupant?.kind).toBe('consume');
  });
});
