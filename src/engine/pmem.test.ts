/**
 * pmem namespaces as issue 14 settled them: ZONE_DEVICE on the region's numa_node (the nearest
 * node with memory to the firmware's node), the data offset and lost capacity of the namespace
 * layout, and --map=dev on arm64 with 64K pages, whose vmemmap takes the altmap page by page.
 */
import { describe, expect, it } from 'vitest';
import type { Result } from './result.ts';
import { run, step, zoneOf } from './testing.ts';
import { GiB, MiB } from './units.ts';

const at = (machine: unknown, events: unknown[], extra: Record<string, unknown> = {}): Result =>
  run({ version: 1, kernelVersion: '6.12', machine, events, ...extra });

const memoryless1 = {
  nodes: [
    { id: 0, ram: [{ start: 0, size: '2G' }] },
    { id: 1, ram: [] },
  ],
};

const pmem = (extra: Record<string, unknown> = {}) => ({
  op: 'pmem',
  start: '4G',
  size: '4G',
  node: 1,
  map: 'mem',
  ...extra,
});

describe('ZONE_DEVICE on the nearest node with memory', () => {
  it('target node 1 is memoryless: the device, its zone and its memmap are node 0 (the recordings)', () => {
    const result = at(memoryless1, [pmem()]);
    const add = step(result, 0);
    expect(add.resolvedNode).toBe(0);
    expect(zoneOf(add, 0, 'Device').spannedPages).toBe(1048576);
    expect(add.zones.some((z) => z.node === 1 && z.zone === 'Device')).toBe(false);
    expect(add.memmapFromRamByNode).toEqual({ '0': 64 * MiB });
    expect(result.final.devices[0]!.node).toBe(0);
  });

  it('a target node with memory keeps the device', () => {
    const both = {
      nodes: [
        { id: 0, ram: [{ start: 0, size: '2G' }] },
        { id: 1, ram: [{ start: '2G', size: '2G' }] },
      ],
    };
    const add = step(at(both, [pmem({ start: '8G' })]), 0);
    expect(add.resolvedNode).toBe(1);
    expect(zoneOf(add, 1, 'Device').spannedPages).toBe(1048576);
    expect(add.memmapFromRamByNode).toEqual({ '1': 64 * MiB });
  });

  it('by distance: memoryless node 2 is nearer node 1 (15) than node 0 (20)', () => {
    const three = {
      nodes: [
        { id: 0, ram: [{ start: 0, size: '2G' }], distance: { '1': 20, '2': 20 } },
        { id: 1, ram: [{ start: '2G', size: '2G' }], distance: { '2': 15 } },
        { id: 2, ram: [] },
      ],
    };
    expect(step(at(three, [pmem({ start: '8G', node: 2 })]), 0).resolvedNode).toBe(1);
  });
});

describe('namespace layout: data offset and lost capacity', () => {
  const offsetOf = (extra: Record<string, unknown>) =>
    at(memoryless1, [pmem(extra)]).final.devices[0]!.dataOffset;

  it('2 MiB align: --map=mem data at 2 MiB, --map=dev at 66 MiB (the recorded namespaces)', () => {
    expect(offsetOf({ map: 'mem' })).toBe(2 * MiB);
    expect(offsetOf({ map: 'dev' })).toBe(66 * MiB);
  });

  it('1 GiB align: the data starts 1 GiB in, with --map=mem as with --map=dev', () => {
    expect(offsetOf({ map: 'mem', mode: 'devdax', align: '1G' })).toBe(GiB);
    expect(offsetOf({ map: 'dev', align: '1G' })).toBe(GiB);
  });

  it('a 4.5 GiB namespace at 1 GiB align loses its first GiB and its last 512 MiB: kmem adds 3 GiB', () => {
    const result = at(memoryless1, [
      pmem({ size: '4608M', mode: 'devdax', align: '1G' }),
      { op: 'dax-kmem' },
    ]);
    expect(step(result, 0).narrative.join(' ')).toContain(
      '1 GiB alignment the data starts 1 GiB in and 512 MiB at the end is cut: 3 GiB of 4.5 GiB hold data',
    );
    const kmem = step(result, 1);
    expect(kmem.resolvedStart).toBe(5 * GiB);
    expect(kmem.resolvedSize).toBe(3 * GiB);
    expect(kmem.blocksAdded).toBe(24);
  });

  it('a namespace too small for its own metadata at that alignment is refused', () => {
    const add = step(at(memoryless1, [pmem({ size: '1G', map: 'dev', align: '1G' })]), 0);
    expect(add.ok).toBe(false);
    expect(add.error).toContain('too small for its own metadata');
  });
});

describe('--map=dev where the vmemmap is mapped with base pages', () => {
  const onDevice = (arch: string) => {
    const result = at(memoryless1, [pmem({ map: 'dev' })], { arch });
    const memmap = result.final.memmap.filter((m) => m.event === 0);
    return { add: step(result, 0), memmap };
  };

  it('arm64 64K: works, no RAM, the memmap packed from the namespace start with no PMD padding', () => {
    const { add, memmap } = onDevice('arm64-64k');
    expect(add.ok).toBe(true);
    expect(add.placement).toBe('device-altmap');
    expect(add.memmapFromRamBytes).toBe(0);
    expect(memmap).toHaveLength(1);
    expect(memmap[0]!.host).toBe('device');
    expect(memmap[0]!.basePages).toBe(true);
    // 65536 pages of 64 KiB, 64 bytes each: exactly 4 MiB, not rounded to a 512 MiB PMD.
    expect(memmap[0]!.hostSize).toBe(4 * MiB);
    expect(memmap[0]!.hostStart - 4 * GiB).toBeLessThan(2 * 64 * 1024);
  });

  it('arm64 4K and x86 use 2 MiB mappings: the memmap starts 2 MiB in, after the padding', () => {
    for (const arch of ['arm64-4k', 'x86_64']) {
      const { add, memmap } = onDevice(arch);
      expect(add.memmapFromRamBytes).toBe(0);
      expect(memmap[0]!.basePages).toBe(false);
      expect(memmap[0]!.hostStart).toBe(4 * GiB + 2 * MiB);
      expect(memmap[0]!.hostSize).toBe(64 * MiB);
    }
  });
});
