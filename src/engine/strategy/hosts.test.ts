/**
 * node-hosts (option b) and group: where their memmap goes, what it costs the 1 GiB pages, and
 * the price: host blocks that refuse offline and remove while they serve other blocks.
 */
import { describe, expect, it } from 'vitest';
import { toColumns } from '../columns.ts';
import { inspectAddress } from '../inspect.ts';
import { violations } from '../invariants.ts';
import type { Result } from '../result.ts';
import { run, step } from '../testing.ts';
import { GiB, MiB, TiB } from '../units.ts';
import { rfcLeftOpen } from './testing.ts';

const summary = (strategy?: unknown) => run(rfcLeftOpen(strategy)).final.summary;

/** Two 16 GiB DIMMs on node 0 of the demo VM, each onlined, then `more` events. */
function twoDimms(strategy: unknown, more: unknown[]): Result {
  const base = rfcLeftOpen(strategy);
  return run({
    ...base,
    events: [
      { op: 'add', start: '20G', size: '16G' },
      { op: 'online' },
      { op: 'add', start: '40G', size: '16G' },
      { op: 'online', start: '40G', size: '16G' },
      ...more,
    ],
  });
}

describe('the demo machine, strategy by strategy', () => {
  it('trades memmap in RAM, 1 GiB pages and pinned blocks as docs/strategies.md says', () => {
    const figures = (strategy?: unknown) => {
      const s = summary(strategy);
      return [
        s.memmapFromRamBytes / MiB,
        s.memmapSelfHostedBytes / MiB,
        s.giganticPossible,
        s.blocksPinnedByMemmap,
      ];
    };
    expect(figures()).toEqual([0, 1024, 0, 0]);
    expect(figures({ kind: 'ram' })).toEqual([1024, 0, 64, 0]);
    expect(figures({ kind: 'bigger-blocks', blockSize: '2G' })).toEqual([0, 1024, 32, 0]);
    // 1 GiB of memmap fills the first eight 128 MiB blocks, the first 1 GiB window.
    expect(figures({ kind: 'node-hosts' })).toEqual([0, 1024, 63, 8]);
    // 2 GiB groups keep their upper 1 GiB whole; 1 GiB groups keep none.
    expect(figures({ kind: 'group', groupBlocks: 16 })).toEqual([0, 1024, 32, 32]);
    expect(figures({ kind: 'group', groupBlocks: 8 })).toEqual([0, 1024, 0, 64]);
  });
});

describe('node-hosts (option b)', () => {
  it("packs a later add's memmap into the first add's blocks: the first hot-add pays for it", () => {
    const result = twoDimms({ kind: 'node-hosts' }, []);
    const before = step(result, 1).memTotal;
    const second = step(result, 2);
    expect(second.memmapSelfHostedBytes).toBe(256 * MiB);
    // The new blocks are offline; the first DIMM's online memory gives up 256 MiB.
    expect(second.memTotal).toBe(before - 256 * MiB);
    const hosts = result.final.blocks.filter((b) => b.event === 0 && b.memmapPages > 0);
    expect(hosts.reduce((sum, b) => sum + b.count * b.memmapPages, 0) * 4096).toBe(512 * MiB);
    expect(result.final.blocks.filter((b) => b.event === 2).every((b) => b.memmapPages === 0)).toBe(
      true,
    );
    expect(violations(result)).toEqual([]);
  });

  it('a host block refuses offline and remove while the blocks it describes are there', () => {
    const result = twoDimms({ kind: 'node-hosts' }, [
      { op: 'offline', start: '20G', size: '16G' },
      { op: 'remove', start: '20G', size: '16G' },
      { op: 'offline', start: '40G', size: '16G' },
      { op: 'offline', start: '20G', size: '16G' },
      { op: 'remove', start: '20G', size: '16G' },
      { op: 'remove', start: '40G', size: '16G' },
      { op: 'remove', start: '20G', size: '16G' },
    ]);
    const offline = step(result, 4);
    expect(offline.ok).toBe(false);
    expect(offline.error).toMatch(
      /2 blocks .* host the struct pages of other blocks .*node-hosts.*-EBUSY/,
    );
    // The first DIMM's own host blocks went offline with it; the two holding the second's stayed.
    expect(offline.blocksChanged).toBe(126);
    expect(step(result, 5).error).toMatch(/is onlined/);
    expect(step(result, 6).ok).toBe(true);
    // With the blocks it describes offline, the host may go offline too.
    expect(step(result, 7)).toMatchObject({ ok: true, blocksChanged: 2 });
    const removeHost = step(result, 8);
    expect(removeHost.ok).toBe(false);
    expect(removeHost.error).toMatch(/holds the struct pages of \[mem 0xa00000000-0xdffffffff\]/);
    expect(step(result, 9).ok).toBe(true);
    expect(step(result, 10).ok).toBe(true);
    expect(result.final.summary.blocks).toBe(
      result.final.blocks.filter((b) => b.event < 0).reduce((s, b) => s + b.count, 0),
    );
    expect(violations(result)).toEqual([]);
  });

  it('counts the host blocks as pinned while they serve others', () => {
    const result = twoDimms({ kind: 'node-hosts' }, []);
    expect(result.final.summary.blocksPinnedByMemmap).toBe(4);
  });
});

describe('group', () => {
  it("a group's first block refuses offline alone, not with its group, and remove without it", () => {
    const result = twoDimms({ kind: 'group', groupBlocks: 16 }, [
      { op: 'offline', start: '40G', size: '128M' },
      { op: 'offline', start: '42G', size: '2G' },
      { op: 'remove', start: '40G', size: '2G' },
      { op: 'offline', start: '40G', size: '16G' },
      { op: 'remove', start: '40G', size: '16G' },
    ]);
    expect(step(result, 4).ok).toBe(false);
    expect(step(result, 4).error).toMatch(/1 block .* host the struct pages of other blocks/);
    expect(step(result, 5).ok).toBe(true);
    expect(step(result, 6).error).toMatch(/is onlined/);
    expect(step(result, 7).ok).toBe(true);
    expect(step(result, 8).ok).toBe(true);
    expect(violations(result)).toEqual([]);
  });

  it('refuses removing a host whose group stays', () => {
    const result = run({
      ...rfcLeftOpen({ kind: 'group', groupBlocks: 16 }),
      events: [
        { op: 'add', start: '20G', size: '4G' },
        { op: 'remove', start: '20G', size: '128M' },
        { op: 'remove', start: '20608M', size: '1920M' },
        { op: 'remove', start: '20G', size: '128M' },
      ],
    });
    expect(step(result, 1).error).toMatch(
      /holds the struct pages of \[mem 0x500000000-0x57fffffff\]/,
    );
    // The rest of the group may go; its struct pages stay reserved in the host until it goes.
    expect(step(result, 2).ok).toBe(true);
    expect(step(result, 3).ok).toBe(true);
    expect(violations(result)).toEqual([]);
  });

  it('is one run per add: every 16th block holds the group memmap', () => {
    const result = run(rfcLeftOpen({ kind: 'group', groupBlocks: 16 }));
    const added = result.final.blocks.filter((b) => b.event === 0);
    expect(added).toHaveLength(1);
    expect(added[0]).toMatchObject({
      count: 512,
      memmapPages: 8192,
      memmapEvery: 16,
      memmapPhase: 144 % 16,
    });
    const memmap = result.final.memmap.filter((m) => m.event === 0);
    expect(memmap).toEqual([
      expect.objectContaining({
        describesSize: 2 * GiB,
        hostSize: 32 * MiB,
        repeat: 32,
        hostPeriod: 2 * GiB,
      }),
    ]);
    expect(step(result, 1).memTotal - step(result, -1).memTotal).toBe(63 * GiB);
  });

  it('onlines part of a run from mid-group: only the one host inside it keeps its memmap back', () => {
    // Blocks 3..18 of the add: 13 of the first group (no host) and 3 of the second, its host first.
    const result = run({
      ...rfcLeftOpen({ kind: 'group', groupBlocks: 16 }),
      events: [
        { op: 'add', size: '64G' },
        { op: 'online', start: `${18 * 1024 + 384}M`, size: '2G' },
      ],
    });
    const [added, onlined] = [step(result, 0), step(result, 1)];
    expect(onlined.memTotal - added.memTotal).toBe(2 * GiB - 32 * MiB);
    expect(onlined.memFree - added.memFree).toBe(2 * GiB - 32 * MiB);
    expect(violations(result)).toEqual([]);
  });

  it('tells the inspector which block holds the memmap and where a struct page lives', () => {
    const result = run(rfcLeftOpen({ kind: 'group', groupBlocks: 16 }));
    const columns = toColumns(result.final, result.resolved.pageSize);
    const at = (addr: number) => inspectAddress(columns, result.resolved, addr);
    const start = 18 * GiB;
    expect(at(start).selfHostedMemmap).toBe(true);
    expect(at(start + 128 * MiB).selfHostedMemmap).toBe(false);
    // Block 1 of the group: its struct pages sit 2 MiB into block 0.
    expect(at(start + 128 * MiB).structPage).toMatchObject({ addr: start + 2 * MiB, host: 'self' });
  });

  it('keeps a 64 TiB machine a few runs: one 62 TiB add in 2 GiB blocks, groups of 16', () => {
    const result = run({
      version: 1,
      machine: { virtual: false, nodes: [{ id: 0, ram: [{ start: 0, size: '2T' }] }] },
      kernel: {
        memmapOnMemory: 'on',
        bootUsed: { 0: '1G' },
        strategy: { kind: 'group', groupBlocks: 16 },
      },
      events: [
        { op: 'add', start: '2T', size: '62T' },
        { op: 'online' },
        { op: 'hugetlb', pageSize: '1G', count: 100_000 },
      ],
    });
    expect(result.resolved.blockSize).toBe(2 * GiB);
    expect(result.final.summary.blocks).toBe(32 * 1024);
    expect(result.final.blocks.length).toBeLessThanOrEqual(3);
    expect(result.final.memmap.filter((m) => m.kind === 'hotplug')).toHaveLength(1);
    expect(result.final.summary.blocksPinnedByMemmap).toBe((62 * TiB) / (32 * GiB));
    expect(result.final.windows.length).toBeLessThan(20);
    // 512 MiB of memmap per 32 GiB group: 31 of its 32 windows hold a 1 GiB page.
    expect(result.final.summary.giganticAllocated).toBe(31 * 1984);
  });
});
