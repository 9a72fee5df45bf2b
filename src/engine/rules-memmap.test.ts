/**
 * The memmap_on_memory rules of kernel/versions.ts and their neighbours, each run through
 * simulate at the releases on both sides of its version: the feature itself (5.13), HVO's
 * exclusion (5.14 to 5.19), force and its boot line (6.6), the per-block split (6.8), the
 * auto-movable policy (5.15) and the off-node warning (once from 6.0). Versions are written out.
 */
import { describe, expect, it } from 'vitest';
import type { Result } from './result.ts';
import { run, step, zoneOf } from './testing.ts';
import { KiB, MiB } from './units.ts';

const at = (kernelVersion: string, scenario: Record<string, unknown> = {}): Result =>
  run({ version: 1, kernelVersion, ...scenario });

const oneBlock = (kernelVersion: string, kernel: Record<string, unknown>) =>
  at(kernelVersion, {
    kernel,
    events: [{ op: 'add', start: '4G', size: '128M' }, { op: 'online' }],
  });

const WASTE = /^Memory hotplug will waste (\d+) pages in each memory block$/;

describe('memmap_on_memory arrives in 5.13 (memmapOnMemory)', () => {
  it('5.12 takes the 2 MiB memmap of a 128 MiB block from RAM; 5.13 puts it in the block', () => {
    const old = oneBlock('5.12', { memmapOnMemory: 'on' });
    expect(old.resolved.era).toBe('LEGACY');
    expect(step(old, 0).placement).toBe('ram');
    expect(step(old, 0).memmapFromRamBytes).toBe(2 * MiB);
    expect(old.resolved.controls.memmapOnMemory).toContain('v5.13');
    const now = oneBlock('5.13', { memmapOnMemory: 'on' });
    expect(now.resolved.era).toBe('U1');
    const add = step(now, 0);
    expect(add.placement).toBe('self-per-block');
    expect(add.memmapFromRamBytes).toBe(0);
    expect(add.memmapSelfHostedBytes).toBe(2 * MiB);
    // Online: 512 memmap pages present in the zone, never managed.
    const normal = zoneOf(step(now, 1), 0, 'Normal');
    const before = zoneOf(step(now, 0), 0, 'Normal');
    expect(normal.presentPages - before.presentPages).toBe(32768);
    expect(normal.managedPages - before.managedPages).toBe(32768 - 512);
  });
});

describe('hugetlb_free_vmemmap against memmap_on_memory (hvo 5.14, hvoWithMemmapOnMemory 6.0)', () => {
  const rows: [string, string, string | null][] = [
    // 5.13 has no HVO, so the switch changes nothing; 5.14-5.19 refuse; 6.0 lets both work.
    ['5.13', 'self-per-block', 'v5.14'],
    ['5.14', 'ram', null],
    ['5.19', 'ram', null],
    ['6.0', 'self-per-block', null],
  ];
  for (const [version, placement, hvoHint] of rows) {
    it(`${version} with hvo and memmap_on_memory on: ${placement}`, () => {
      const result = oneBlock(version, { memmapOnMemory: 'on', hvo: true });
      expect(step(result, 0).placement).toBe(placement);
      expect(step(result, 0).memmapFromRamBytes).toBe(placement === 'ram' ? 2 * MiB : 0);
      if (hvoHint) expect(result.resolved.controls.hvo).toContain(hvoHint);
      else expect(result.resolved.controls.hvo).toBeNull();
    });
  }

  it('without hvo 5.14 and 5.19 self-host as usual (the switch is what refuses)', () => {
    for (const version of ['5.14', '5.19'])
      expect(step(oneBlock(version, { memmapOnMemory: 'on' }), 0).placement).toBe('self-per-block');
  });
});

describe('memmap_on_memory=force from 6.6 (memmapOnMemoryForce)', () => {
  it('x86, 6.5: force reads as false: memmap from RAM and no boot line', () => {
    const old = oneBlock('6.5', { memmapOnMemory: 'force' });
    expect(step(old, 0).placement).toBe('ram');
    expect(old.steps[0]!.log.some((line) => WASTE.test(line))).toBe(false);
    expect(old.final.warnings.some((line) => WASTE.test(line))).toBe(false);
    expect(old.resolved.controls.force).toContain('v6.6');
  });

  it('x86, 6.6: self-hosted, and the boot line is printed even for 0 pages', () => {
    const now = oneBlock('6.6', { memmapOnMemory: 'force' });
    expect(step(now, 0).placement).toBe('self-per-block');
    const lines = now.steps[0]!.log.filter((line) => WASTE.test(line));
    expect(lines).toEqual(['Memory hotplug will waste 0 pages in each memory block']);
    expect(now.final.warnings).toContain(lines[0]);
    expect(step(now, 0).memmapWastedBytes).toBe(0);
  });

  it('6.6 prints the line only for force, not for on', () => {
    const on = oneBlock('6.6', { memmapOnMemory: 'on' });
    expect(on.steps[0]!.log.some((line) => WASTE.test(line))).toBe(false);
  });

  it('arm64 16K, 6.6: the line says 2016 pages, but the PMD test still refuses (memmap from RAM)', () => {
    const result = at('6.6', {
      arch: 'arm64-16k',
      kernel: { memmapOnMemory: 'force' },
      events: [{ op: 'add', start: '4G', size: '128M' }],
    });
    expect(result.steps[0]!.log).toContain(
      'Memory hotplug will waste 2016 pages in each memory block',
    );
    expect(step(result, 0).placement).toBe('ram');
  });
});

describe('requests of many blocks are split per block from 6.8 (memmapOnMemorySplit)', () => {
  it('a 1 GiB DIMM with memmap_on_memory on: 6.7 takes 16 MiB from RAM; 6.8 self-hosts 8 blocks', () => {
    const dimm = (kernelVersion: string) =>
      at(kernelVersion, {
        kernel: { memmapOnMemory: 'on' },
        events: [{ op: 'add', start: '4G', size: '1G' }],
      });
    const old = dimm('6.7');
    expect(step(old, 0).placement).toBe('ram');
    expect(step(old, 0).memmapFromRamBytes).toBe(16 * MiB);
    const now = dimm('6.8');
    expect(step(now, 0).placement).toBe('self-per-block');
    expect(step(now, 0).memmapSelfHostedBytes).toBe(16 * MiB);
    const blocks = now.final.blocks.filter((b) => b.event === 0);
    expect(blocks.reduce((sum, b) => sum + b.count, 0)).toBe(8);
    expect(blocks.every((b) => b.memmapPages === 512)).toBe(true);
  });
});

describe('online_policy=auto-movable from 5.15 (autoMovable)', () => {
  const policy = (kernelVersion: string) =>
    at(kernelVersion, {
      kernel: { onlinePolicy: 'auto-movable' },
      events: [{ op: 'add', start: '4G', size: '1G' }, { op: 'online' }],
    });

  it('a 1 GiB DIMM on a 4 GiB VM, plain online: 5.14 (contig-zones) ZONE_NORMAL, 5.15 ZONE_MOVABLE', () => {
    const old = policy('5.14');
    expect(step(old, 1).zonesChosen).toEqual(['node 0 Normal']);
    expect(old.resolved.controls.onlinePolicy).toContain('v5.15');
    const now = policy('5.15');
    expect(step(now, 1).zonesChosen).toEqual(['node 0 Movable']);
    expect(now.resolved.controls.onlinePolicy).toBeNull();
  });
});

describe('"potential offnode page_structs": every page before 6.0, once from 6.0 (offnodeWarnOnce)', () => {
  // arm64 64K maps the vmemmap with base pages: 1 GiB of memmap for memoryless node 1 is 16 pages
  // of node 0's RAM, each checked by vmemmap_verify().
  const twoAdds = (kernelVersion: string) =>
    at(kernelVersion, {
      arch: 'arm64-64k',
      machine: {
        nodes: [
          { id: 0, ram: [{ start: 0, size: '2G' }] },
          { id: 1, ram: [] },
        ],
      },
      events: [
        { op: 'add', start: '4G', size: '1G', node: 1 },
        { op: 'add', start: '5G', size: '1G', node: 1 },
      ],
    });
  const offnode = (log: string[]) => log.filter((line) => line.includes('offnode'));

  it('5.19: each add warns for its first page and counts 15 more lines', () => {
    const result = twoAdds('5.19');
    for (const event of [0, 1]) {
      const log = step(result, event).log;
      expect(offnode(log)).toHaveLength(1);
      expect(log).toContain(
        '(and 15 more such lines: before 6.0 the warning is printed for every page)',
      );
    }
    expect(offnode(step(result, 0).log)[0]).toBe(
      '[fffffc0000400000-fffffc000040ffff] potential offnode page_structs',
    );
  });

  it('6.0: one line at the first add, nothing at the second', () => {
    const result = twoAdds('6.0');
    expect(step(result, 0).log).toEqual([
      '[fffffc0000400000-fffffc000040ffff] potential offnode page_structs',
    ]);
    expect(offnode(step(result, 1).log)).toEqual([]);
    expect(offnode(result.final.warnings)).toHaveLength(1);
  });

  it('x86 maps the memmap with 2 MiB blocks: no warning at any version (as the recordings show)', () => {
    for (const kernelVersion of ['5.19', '6.12']) {
      const result = at(kernelVersion, {
        machine: {
          nodes: [
            { id: 0, ram: [{ start: 0, size: '2G' }] },
            { id: 1, ram: [] },
          ],
        },
        events: [{ op: 'add', start: '4G', size: '1G', node: 1 }],
      });
      expect(step(result, 0).memmapFromRamByNode).toEqual({ '0': 16 * MiB });
      expect(offnode(step(result, 0).log)).toEqual([]);
    }
  });

  it('the memmap itself is the same on both sides: 1 MiB of node 0 RAM per GiB', () => {
    for (const kernelVersion of ['5.19', '6.0'])
      expect(step(twoAdds(kernelVersion), 0).memmapFromRamByNode).toEqual({ '0': 1024 * KiB });
  });
});
