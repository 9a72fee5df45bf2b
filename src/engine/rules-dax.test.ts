/**
 * The device-memory rules of kernel/versions.ts, each run through simulate at the releases on
 * both sides of its version: dax/kmem (5.1), the kept ZONE_DEVICE span (5.5), virtio-mem (5.8),
 * the devdax vmemmap savings (5.18; ppc64 Radix 6.6; riscv64 6.11), kmem's memmap_on_memory (6.8)
 * and the per-device knob (6.9). The machine is the recordings': 2 GiB on node 0, node 1
 * memoryless, a 4 GiB namespace at 4 GiB whose firmware node is 1. Versions are written out.
 */
import { describe, expect, it } from 'vitest';
import type { Result } from './result.ts';
import { run, step, zoneOf } from './testing.ts';
import { KiB, MiB } from './units.ts';

const machine = {
  nodes: [
    { id: 0, ram: [{ start: 0, size: '2G' }] },
    { id: 1, ram: [] },
  ],
};

const at = (kernelVersion: string, scenario: Record<string, unknown> = {}): Result =>
  run({ version: 1, kernelVersion, machine, ...scenario });

const namespace = (extra: Record<string, unknown> = {}) => ({
  op: 'pmem',
  start: '4G',
  size: '4G',
  node: 1,
  map: 'dev',
  mode: 'devdax',
  ...extra,
});

/** RAM a step took: memmap and page tables. */
const ramTaken = (result: Result, event: number) =>
  (event === 0 ? result.steps[0]! : step(result, event - 1)).memFree - step(result, event).memFree;

describe('dax/kmem from 5.1 (kmem)', () => {
  it('5.0 has no kmem: an add via kmem and a dax-kmem event are refused, naming 5.1', () => {
    const add = step(
      at('5.0', { events: [{ op: 'add', start: '4G', size: '1G', via: 'kmem' }] }),
      0,
    );
    expect(add.ok).toBe(false);
    expect(add.error).toContain('v5.1');
    const old = at('5.0', { events: [namespace(), { op: 'dax-kmem' }] });
    expect(step(old, 1).ok).toBe(false);
    expect(step(old, 1).error).toContain('v5.1');
    expect(old.final.devices).toHaveLength(1);
  });

  it('5.1 adds the whole blocks of the dax range on the target node: 31 blocks from 4224 MiB', () => {
    const result = at('5.1', { events: [namespace(), { op: 'dax-kmem' }] });
    const kmem = step(result, 1);
    expect(kmem.ok).toBe(true);
    expect(kmem.blocksAdded).toBe(31);
    expect(kmem.resolvedStart).toBe(4224 * MiB);
    expect(kmem.resolvedNode).toBe(1);
    expect(result.final.devices).toHaveLength(0);
    expect(
      step(at('5.1', { events: [{ op: 'add', start: '4G', size: '1G', via: 'kmem' }] }), 0).ok,
    ).toBe(true);
  });
});

describe('the ZONE_DEVICE span is kept after the device goes, from 5.5 (zoneDeviceSpanKept)', () => {
  it('after dax-kmem, 5.4 shrinks node 0 Device to nothing; 5.5 keeps 1048576 spanned pages', () => {
    const events = [namespace(), { op: 'dax-kmem' }];
    const old = at('5.4', { events });
    expect(zoneOf(step(old, 0), 0, 'Device').spannedPages).toBe(1048576);
    expect(zoneOf(step(old, 1), 0, 'Device').spannedPages).toBe(0);
    const now = at('5.5', { events });
    expect(zoneOf(step(now, 1), 0, 'Device').spannedPages).toBe(1048576);
    expect(zoneOf(step(now, 1), 0, 'Device').presentPages).toBe(0);
  });
});

describe('virtio-mem from 5.8 (virtioMem)', () => {
  it('5.7 refuses a virtio-mem add naming 5.8; 5.8 plugs it', () => {
    const events = [{ op: 'add', start: '4G', size: '1G', via: 'virtio-mem' }];
    const old = step(at('5.7', { events }), 0);
    expect(old.ok).toBe(false);
    expect(old.error).toContain('v5.8');
    expect(step(at('5.8', { events }), 0).blocksAdded).toBe(8);
  });
});

describe('devdax --map=mem keeps 2 vmemmap pages per compound page from 5.18 (daxVmemmapDedup)', () => {
  const mem = (kernelVersion: string, extra: Record<string, unknown>, arch = 'x86_64') =>
    at(kernelVersion, { arch, events: [namespace({ map: 'mem', ...extra })] });

  it('2 MiB align: 5.17 takes the full 64 MiB; 5.18 takes 16 MiB and 128 KiB of PTE tables', () => {
    const old = mem('5.17', { align: '2M' });
    expect(step(old, 0).memmapFromRamBytes).toBe(64 * MiB);
    expect(ramTaken(old, 0)).toBe(64 * MiB);
    const now = mem('5.18', { align: '2M' });
    expect(step(now, 0).memmapFromRamBytes).toBe(16 * MiB);
    expect(step(now, 0).pageTablesBytes).toBe(128 * KiB);
    expect(ramTaken(now, 0)).toBe(16 * MiB + 128 * KiB);
  });

  it('1 GiB align, 5.18: 4 compound pages of 2 vmemmap pages and the PTE tables, 160 KiB', () => {
    expect(ramTaken(mem('5.17', { align: '1G' }), 0)).toBe(64 * MiB);
    const now = mem('5.18', { align: '1G' });
    expect(step(now, 0).memmapFromRamBytes).toBe(32 * KiB);
    expect(ramTaken(now, 0)).toBe(160 * KiB);
  });

  it('fsdax never uses compound pages: 64 MiB at any version', () => {
    expect(ramTaken(mem('5.18', { mode: 'fsdax' }), 0)).toBe(64 * MiB);
    expect(ramTaken(mem('6.12', { mode: 'fsdax', align: '1G' }), 0)).toBe(64 * MiB);
  });

  it('ppc64 Radix 64K, 1 GiB align: 6.5 takes 4 MiB; 6.6 keeps 2 of 16 pages per GiB (ppc64DaxDedup)', () => {
    const old = mem('6.5', { align: '1G' }, 'ppc64-radix-64k');
    expect(step(old, 0).memmapFromRamBytes).toBe(4 * MiB);
    const now = mem('6.6', { align: '1G' }, 'ppc64-radix-64k');
    expect(step(now, 0).memmapFromRamBytes).toBe(4 * 2 * 64 * KiB);
    // With 2 MiB align one compound page has less than one vmemmap page: nothing to save.
    expect(step(mem('6.6', { align: '2M' }, 'ppc64-radix-64k'), 0).memmapFromRamBytes).toBe(
      4 * MiB,
    );
  });

  it('5.18-6.3 saved on every arch; 6.4 gated it to the arches that opt in (daxDedupGated)', () => {
    expect(step(mem('6.3', { align: '2M' }, 'arm64-4k'), 0).memmapFromRamBytes).toBe(16 * MiB);
    expect(step(mem('6.4', { align: '2M' }, 'arm64-4k'), 0).memmapFromRamBytes).toBe(64 * MiB);
    expect(step(mem('6.4', { align: '2M' }), 0).memmapFromRamBytes).toBe(16 * MiB);
  });

  it('riscv64 has the savings from 6.11, its first hotplug release; arm64 never selected them', () => {
    expect(step(mem('6.11', { align: '2M' }, 'riscv64'), 0).memmapFromRamBytes).toBe(16 * MiB);
    expect(step(mem('6.12', { align: '2M' }, 'arm64-4k'), 0).memmapFromRamBytes).toBe(64 * MiB);
  });
});

describe('dax/kmem passes memmap_on_memory from 6.8 (kmemMemmapOnMemory)', () => {
  it('a kmem add whose device asks for it (CXL): 6.7 from RAM, 6.8 in each block', () => {
    const kmem = (kernelVersion: string) =>
      at(kernelVersion, {
        kernel: { memmapOnMemory: 'on' },
        events: [
          { op: 'add', start: '4G', size: '1G', node: 0, via: 'kmem', memmapOnMemory: true },
        ],
      });
    const old = step(kmem('6.7'), 0);
    expect(old.placement).toBe('ram');
    expect(old.memmapFromRamBytes).toBe(16 * MiB);
    expect(old.narrative.join(' ')).toContain('v6.8');
    const now = step(kmem('6.8'), 0);
    expect(now.placement).toBe('self-per-block');
    expect(now.memmapSelfHostedBytes).toBe(16 * MiB);
  });

  it('a kmem add whose device does not ask stays in RAM at 6.8 too', () => {
    const result = at('6.8', {
      kernel: { memmapOnMemory: 'on' },
      events: [{ op: 'add', start: '4G', size: '1G', node: 0, via: 'kmem' }],
    });
    expect(step(result, 0).placement).toBe('ram');
  });
});

describe('daxX.Y/memmap_on_memory from 6.9 (daxMemmapKnob)', () => {
  const convert = (kernelVersion: string, global: string) =>
    at(kernelVersion, {
      kernel: { memmapOnMemory: global },
      events: [namespace(), { op: 'dax-kmem', memmapOnMemory: true }],
    });

  it('6.8 has no knob: a pmem device keeps the driver default, off, and the memmap comes from RAM', () => {
    const kmem = step(convert('6.8', 'on'), 1);
    expect(kmem.placement).toBe('ram');
    expect(kmem.memmapFromRamBytes).toBe(62 * MiB);
    expect(kmem.narrative.join(' ')).toContain('no daxX.Y/memmap_on_memory knob');
  });

  it('6.9 with the global switch on: 31 blocks, each with its 512 memmap pages', () => {
    const result = convert('6.9', 'on');
    const kmem = step(result, 1);
    expect(kmem.placement).toBe('self-per-block');
    expect(kmem.memmapFromRamBytes).toBe(0);
    const blocks = result.final.blocks.filter((b) => b.event === 1);
    expect(blocks.reduce((sum, b) => sum + b.count, 0)).toBe(31);
    expect(blocks.every((b) => b.memmapPages === 512)).toBe(true);
  });

  it('6.9 with the global switch off: the write fails with EOPNOTSUPP and kmem adds as legacy', () => {
    const kmem = step(convert('6.9', 'off'), 1);
    expect(kmem.ok).toBe(true);
    expect(kmem.placement).toBe('ram');
    expect(kmem.log).toContain('dax: memmap_on_memory is not available');
    expect(kmem.narrative.join(' ')).toContain('EOPNOTSUPP');
  });
});
