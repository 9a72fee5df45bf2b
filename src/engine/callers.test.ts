/**
 * What each hot-add caller does that the version work settled (issue 14): pseries DLPAR onlines
 * its LMBs itself, auto-movable decides memory without a memory group block by block, virtio-mem
 * plugs device blocks (partial memory blocks: present whole, managed only where plugged), and the
 * page tables a hot-add takes from RAM are reported apart from the memmap.
 */
import { describe, expect, it } from 'vitest';
import { simulate } from './simulate.ts';
import type { Result } from './result.ts';
import { run, step, zoneOf } from './testing.ts';
import { KiB, MiB } from './units.ts';

const at = (kernelVersion: string, scenario: Record<string, unknown> = {}): Result =>
  run({ version: 1, kernelVersion, ...scenario });

const memoryless1 = {
  nodes: [
    { id: 0, ram: [{ start: 0, size: '2G' }] },
    { id: 1, ram: [] },
  ],
};

const blockStates = (result: Result, event: number) =>
  result.final.blocks
    .filter((b) => b.event === event)
    .flatMap((b) => Array.from({ length: b.count }, () => `${b.state}/${b.zone ?? '-'}`));

describe('pseries DLPAR onlines each LMB itself (dlpar_online_lmb)', () => {
  const dlpar = (autoOnline: string) =>
    at('6.12', {
      arch: 'ppc64-radix-64k',
      machine: memoryless1,
      kernel: { autoOnline },
      events: [{ op: 'add', start: '2G', size: '1G', node: 1, via: 'dlpar' }],
    });

  for (const autoOnline of ['offline', 'online', 'online_kernel']) {
    it(`auto-online ${autoOnline}: all 4 LMBs online in node 1 Normal`, () => {
      const result = dlpar(autoOnline);
      expect(blockStates(result, 0)).toEqual(Array(4).fill('online/Normal'));
      expect(step(result, 0).zonesChosen).toEqual(['node 1 Normal']);
      expect(zoneOf(step(result, 0), 1, 'Normal').presentPages).toBe(16384);
    });
  }

  it('an ACPI DIMM with auto-online offline stays offline (the core does not online it)', () => {
    const result = at('6.12', {
      machine: memoryless1,
      events: [{ op: 'add', start: '4G', size: '1G', node: 1 }],
    });
    expect(blockStates(result, 0)).toEqual(Array(8).fill('offline/-'));
  });

  it('also before memmap_on_memory existed on ppc64 (6.1)', () => {
    const result = at('6.1', {
      arch: 'ppc64-radix-64k',
      machine: memoryless1,
      events: [{ op: 'add', start: '2G', size: '1G', node: 1, via: 'dlpar' }],
    });
    expect(blockStates(result, 0)).toEqual(Array(4).fill('online/Normal'));
  });
});

describe('auto-movable without a memory group: block by block (DLPAR, probe)', () => {
  // 1 GiB of boot kernel memory: ZONE_MOVABLE may hold up to 301 % of it, 3.01 GiB.
  const oneGiB = { nodes: [{ id: 0, ram: [{ start: 0, size: '1G' }] }] };

  it('a 4 GiB DLPAR add splits: 12 LMBs of 256 MiB fit the budget and go Movable, 4 go Normal', () => {
    const result = at('6.12', {
      arch: 'ppc64-radix-64k',
      machine: oneGiB,
      kernel: { onlinePolicy: 'auto-movable' },
      events: [{ op: 'add', start: '4G', size: '4G', via: 'dlpar' }],
    });
    expect(blockStates(result, 0)).toEqual([
      ...Array(12).fill('online/Movable'),
      ...Array(4).fill('online/Normal'),
    ]);
    expect(step(result, 0).zonesChosen).toEqual(['node 0 Movable', 'node 0 Normal']);
  });

  it('the sysfs probe on x86, onlined later: 24 blocks of 128 MiB Movable, 8 Normal', () => {
    const result = at('6.12', {
      machine: oneGiB,
      kernel: { onlinePolicy: 'auto-movable' },
      events: [{ op: 'add', start: '4G', size: '4G', via: 'probe' }, { op: 'online' }],
    });
    expect(blockStates(result, 0)).toEqual([
      ...Array(24).fill('online/Movable'),
      ...Array(8).fill('online/Normal'),
    ]);
  });

  it('an ACPI DIMM is one static group: 4 GiB does not fit and goes Normal whole, 2 GiB goes Movable whole', () => {
    const dimm = (size: string) =>
      at('6.12', {
        machine: oneGiB,
        kernel: { onlinePolicy: 'auto-movable', autoOnline: 'online' },
        events: [{ op: 'add', start: '4G', size }],
      });
    expect(new Set(blockStates(dimm('4G'), 0))).toEqual(new Set(['online/Normal']));
    expect(new Set(blockStates(dimm('2G'), 0))).toEqual(new Set(['online/Movable']));
  });

  it('a memoryless node has no kernel memory of its own: every LMB goes Normal (NUMA aware)', () => {
    const result = at('6.12', {
      arch: 'ppc64-radix-64k',
      machine: memoryless1,
      kernel: { onlinePolicy: 'auto-movable' },
      events: [{ op: 'add', start: '2G', size: '1G', node: 1, via: 'dlpar' }],
    });
    expect(blockStates(result, 0)).toEqual(Array(4).fill('online/Normal'));
  });

  it('5.14 has no auto-movable: the same DLPAR add goes Normal whole', () => {
    const result = at('5.14', {
      arch: 'ppc64-radix-64k',
      machine: oneGiB,
      kernel: { onlinePolicy: 'auto-movable' },
      events: [{ op: 'add', start: '4G', size: '4G', via: 'dlpar' }],
    });
    expect(new Set(blockStates(result, 0))).toEqual(new Set(['online/Normal']));
  });
});

describe('virtio-mem device blocks', () => {
  const plug = (size: string, deviceBlockSize?: string) =>
    at('6.12', {
      events: [
        {
          op: 'add',
          start: '4G',
          size,
          via: 'virtio-mem',
          ...(deviceBlockSize ? { deviceBlockSize } : {}),
        },
        { op: 'online' },
      ],
    });

  it('a size that is not a multiple of the device block is refused (default block: 2 MiB)', () => {
    const refused = step(plug('100M', '8M'), 0);
    expect(refused.ok).toBe(false);
    expect(refused.error).toBe(
      'virtio_mem: requested size 0x6400000 is not a multiple of the device block size 0x800000',
    );
    expect(step(plug('101M'), 0).ok).toBe(false);
    expect(step(plug('100M'), 0).ok).toBe(true);
  });

  it('200 MiB in 8 MiB device blocks: two memory blocks, present whole, managed only the 200 MiB', () => {
    const result = plug('200M', '8M');
    const add = step(result, 0);
    expect(add.blocksAdded).toBe(2);
    expect(add.resolvedSize).toBe(200 * MiB);
    expect(add.memmapBytes).toBe(4 * MiB);
    const before = zoneOf(add, 0, 'Normal');
    const after = zoneOf(step(result, 1), 0, 'Normal');
    expect(after.presentPages - before.presentPages).toBe(65536);
    expect(after.managedPages - before.managedPages).toBe(51200);
    expect(step(result, 1).memTotal - add.memTotal).toBe(200 * MiB);
  });

  it('a device block of two memory blocks (Big Block Mode): adds 256 MiB at a time', () => {
    expect(step(plug('512M', '256M'), 0).narrative[0]).toContain('in 2 requests of 256 MiB');
    expect(step(plug('512M'), 0).narrative[0]).toContain('in 4 requests of 128 MiB');
  });

  it('deviceBlockSize belongs to virtio-mem and must be a power of two', () => {
    const invalid = (event: Record<string, unknown>) => {
      const outcome = simulate({ version: 1, events: [{ op: 'add', size: '1G', ...event }] });
      return outcome.ok ? [] : outcome.errors.map((e) => e.path);
    };
    expect(invalid({ via: 'acpi', deviceBlockSize: '2M' })).toEqual(['events[0].deviceBlockSize']);
    expect(invalid({ via: 'virtio-mem', deviceBlockSize: '3M' })).toEqual([
      'events[0].deviceBlockSize',
    ]);
    expect(invalid({ via: 'virtio-mem', deviceBlockSize: '4M' })).toEqual([]);
  });
});

describe('page tables of a hot-add, apart from the memmap', () => {
  it('arm64 maps the new memory page by page: 256 KiB per 128 MiB block, even with memmap_on_memory', () => {
    const result = at('6.12', {
      arch: 'arm64-4k',
      kernel: { memmapOnMemory: 'on' },
      events: [{ op: 'add', start: '4G', size: '128M' }],
    });
    const add = step(result, 0);
    expect(add.placement).toBe('self-per-block');
    expect(add.memmapFromRamBytes).toBe(0);
    expect(add.pageTablesBytes).toBe(256 * KiB);
    expect(result.steps[0]!.memFree - add.memFree).toBe(256 * KiB);
  });

  it('x86: a 1 GiB-aligned DIMM maps with 1 GiB pages (none); split per block from 6.8 it needs one table', () => {
    const dimm = (memmapOnMemory: string) =>
      step(
        at('6.12', {
          kernel: { memmapOnMemory },
          events: [{ op: 'add', start: '4G', size: '1G' }],
        }),
        0,
      );
    expect(dimm('off').pageTablesBytes).toBeUndefined();
    expect(dimm('on').pageTablesBytes).toBe(4 * KiB);
  });
});
