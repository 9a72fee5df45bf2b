/**
 * The arch rules of kernel/versions.ts, each run through simulate at the releases on both sides
 * of its version: the x86 block size, arm64 hotplug and section size, memmap_on_memory on ppc64
 * Radix and s390, s390's section size, riscv64 hotplug. Versions are written out here, never read
 * from RULES, so a wrong `since` in the table fails a test.
 */
import { describe, expect, it } from 'vitest';
import type { Result } from './result.ts';
import { run, step } from './testing.ts';
import { GiB, MiB } from './units.ts';

const at = (kernelVersion: string, scenario: Record<string, unknown> = {}): Result =>
  run({ version: 1, kernelVersion, ...scenario });

/** An x86 machine whose boot RAM ends at `endGiB` (2 GiB low, the rest from 4 GiB). */
const x86 = (kernelVersion: string, virtual: boolean, endGiB: number, events: unknown[] = []) =>
  at(kernelVersion, {
    machine: {
      virtual,
      nodes: [
        {
          id: 0,
          ram: [
            { start: 0, size: '2G' },
            { start: '4G', size: `${endGiB - 4}G` },
          ],
        },
      ],
    },
    events,
  });

describe('x86 probe_memory_block_size() by version (x86BlockEndAligned 4.17, x86BlockBareMetalMax 5.9)', () => {
  const rows: [string, boolean, number, number][] = [
    // version, virtual, end of boot RAM (GiB), block size (GiB)
    ['4.16', true, 130, 2],
    ['4.16', true, 129, 2],
    ['4.16', false, 130, 2],
    ['4.16', false, 129, 2],
    ['4.17', true, 130, 2],
    ['4.17', true, 129, 1],
    ['4.17', false, 130, 2],
    ['4.17', false, 129, 1],
    ['5.8', true, 129, 1],
    ['5.8', false, 129, 1],
    ['5.9', true, 130, 2],
    ['5.9', true, 129, 1],
    ['5.9', false, 130, 2],
    ['5.9', false, 129, 2],
  ];
  for (const [version, virtual, endGiB, blockGiB] of rows) {
    it(`${version}, ${virtual ? 'VM' : 'bare metal'} ending at ${endGiB} GiB: ${blockGiB} GiB blocks`, () => {
      const result = x86(version, virtual, endGiB);
      expect(result.resolved.blockSize).toBe(blockGiB * GiB);
      expect(result.steps[0]!.log).toContain(`x86/mm: Memory block size: ${blockGiB * 1024}MB`);
    });
  }

  it('a 1 GiB DIMM right after 129 GiB of boot RAM: refused by 4.16 (2 GiB blocks), added by 4.17', () => {
    const dimm = [{ op: 'add', start: '129G', size: '1G' }];
    const old = step(x86('4.16', true, 129, dimm), 0);
    expect(old.ok).toBe(false);
    expect(old.error).toContain('unaligned hotplug range');
    const aligned = step(x86('4.17', true, 129, dimm), 0);
    expect(aligned.ok).toBe(true);
    expect(aligned.blocksAdded).toBe(1);
  });

  it('the same DIMM on bare metal: added by 5.8, refused by 5.9 (always 2 GiB)', () => {
    const dimm = [{ op: 'add', start: '129G', size: '1G' }];
    expect(step(x86('5.8', false, 129, dimm), 0).ok).toBe(true);
    expect(step(x86('5.9', false, 129, dimm), 0).ok).toBe(false);
  });

  it('below 64 GiB nothing changes: 128 MiB at every version', () => {
    for (const version of ['4.13', '4.17', '5.9', '6.12']) {
      expect(x86(version, false, 8).resolved.blockSize).toBe(128 * MiB);
      expect(x86(version, true, 8).resolved.blockSize).toBe(128 * MiB);
    }
  });
});

describe('arm64: hotplug from 5.0 (arm64Hotplug), small sections from 5.12 (arm64SmallSections)', () => {
  it('4.20 refuses a hot-add step with the version in the reason; 5.0 adds the memory', () => {
    const events = [{ op: 'add', start: '4G', size: '1G' }];
    const old = at('4.20', { arch: 'arm64-4k', events });
    const refused = step(old, 0);
    expect(refused.ok).toBe(false);
    expect(refused.error).toContain('v5.0');
    expect(refused.memTotal).toBe(old.steps[0]!.memTotal);
    expect(old.final.blocks.some((b) => b.event === 0)).toBe(false);
    const added = step(at('5.0', { arch: 'arm64-4k', events }), 0);
    expect(added.ok).toBe(true);
    expect(added.blocksAdded).toBe(1);
  });

  const sections: [string, number][] = [
    ['arm64-4k', 128 * MiB],
    ['arm64-16k', 128 * MiB],
    ['arm64-64k', 512 * MiB],
  ];
  for (const [arch, small] of sections) {
    it(`${arch}: 1 GiB sections and blocks in 5.11, ${small / MiB} MiB in 5.12`, () => {
      const events = [{ op: 'add', start: '4G', size: small }];
      const old = at('5.11', { arch, events });
      expect(old.resolved.sectionSize).toBe(GiB);
      expect(old.resolved.blockSize).toBe(GiB);
      expect(step(old, 0).ok).toBe(false);
      expect(step(old, 0).error).toContain('unaligned hotplug range');
      const now = at('5.12', { arch, events });
      expect(now.resolved.sectionSize).toBe(small);
      expect(now.resolved.blockSize).toBe(small);
      expect(step(now, 0).blocksAdded).toBe(1);
    });
  }
});

describe('ppc64 Radix memmap_on_memory from 6.6 (ppc64MemmapOnMemory)', () => {
  const lmb = (kernelVersion: string, arch: string, memmapOnMemory: string) =>
    at(kernelVersion, {
      arch,
      kernel: { memmapOnMemory },
      events: [{ op: 'add', start: '4G', size: '256M', via: 'dlpar' }],
    });

  it('force on 64K pages: 6.5 takes the 4 memmap pages from RAM; 6.6 self-hosts 32 pages, 28 of them waste', () => {
    const old = lmb('6.5', 'ppc64-radix-64k', 'force');
    expect(step(old, 0).placement).toBe('ram');
    expect(step(old, 0).memmapFromRamBytes).toBe(4 * 64 * 1024);
    expect(old.resolved.controls.memmapOnMemory).toContain('v6.6');
    const now = lmb('6.6', 'ppc64-radix-64k', 'force');
    const add = step(now, 0);
    expect(add.placement).toBe('self-per-block');
    expect(add.memmapFromRamBytes).toBe(0);
    expect(add.memmapWastedBytes).toBe(28 * 64 * 1024);
    const block = now.final.blocks.find((b) => b.event === 0)!;
    expect([block.memmapPages, block.wastePages]).toEqual([32, 28]);
    expect(now.steps[0]!.log).toContain('Memory hotplug will waste 28 pages in each memory block');
  });

  it('plain on, 6.6: 64K pages fall back silently (4 pages are no pageblock); 4K pages self-host', () => {
    expect(step(lmb('6.6', 'ppc64-radix-64k', 'on'), 0).placement).toBe('ram');
    expect(step(lmb('6.5', 'ppc64-radix-4k', 'on'), 0).placement).toBe('ram');
    expect(step(lmb('6.6', 'ppc64-radix-4k', 'on'), 0).placement).toBe('self-per-block');
  });

  it('the Hash MMU never gets it', () => {
    expect(step(lmb('6.12', 'ppc64-hash-64k', 'force'), 0).placement).toBe('ram');
  });
});

describe('s390x: memmap_on_memory from 6.9 (s390MemmapOnMemory), 128 MiB sections from 6.13 (s390SmallSections)', () => {
  it('standby memory with memmap_on_memory on: 6.8 from RAM, 6.9 in each 256 MiB block (1024 pages)', () => {
    const add = (kernelVersion: string) =>
      at(kernelVersion, {
        arch: 's390x',
        kernel: { memmapOnMemory: 'on' },
        events: [{ op: 'add', start: '4G', size: '512M' }],
      });
    const old = step(add('6.8'), 0);
    expect(old.placement).toBe('ram');
    expect(old.memmapFromRamBytes).toBe(8 * MiB);
    const now = add('6.9');
    expect(step(now, 0).placement).toBe('self-per-block');
    expect(now.final.blocks.find((b) => b.event === 0)!.memmapPages).toBe(1024);
  });

  it('6.12 has 256 MiB sections and blocks and refuses a 128 MiB add; 6.13 takes it', () => {
    const events = [{ op: 'add', start: '4G', size: '128M' }];
    const old = at('6.12', { arch: 's390x', events });
    expect([old.resolved.sectionSize, old.resolved.blockSize]).toEqual([256 * MiB, 256 * MiB]);
    expect(step(old, 0).ok).toBe(false);
    const now = at('6.13', { arch: 's390x', events });
    expect([now.resolved.sectionSize, now.resolved.blockSize]).toEqual([128 * MiB, 128 * MiB]);
    expect(step(now, 0).blocksAdded).toBe(1);
  });
});

describe('riscv64: hotplug and memmap_on_memory from 6.11 (riscvHotplug)', () => {
  const riscv = (kernelVersion: string) =>
    at(kernelVersion, {
      arch: 'riscv64',
      kernel: { memmapOnMemory: 'on' },
      events: [{ op: 'add', start: '4G', size: '128M' }],
    });

  it('6.10 refuses the add; 6.11 adds it with the memmap in the block', () => {
    const old = riscv('6.10');
    expect(step(old, 0).ok).toBe(false);
    expect(step(old, 0).error).toContain('v6.11');
    expect(old.resolved.controls.memmapOnMemory).toContain('6.11');
    const now = riscv('6.11');
    expect(step(now, 0).ok).toBe(true);
    expect(step(now, 0).placement).toBe('self-per-block');
    expect(now.resolved.controls.memmapOnMemory).toBeNull();
  });
});
