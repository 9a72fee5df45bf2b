/** Which cells of B differ from A, by address: against a naive cell-by-cell comparison. */
import { describe, expect, it } from 'vitest';
import { toColumns } from './columns.ts';
import { compareTiles } from './compare-tiles.ts';
import { CELL_BYTES } from './output/cells.ts';
import { simulate } from './simulate.ts';
import type { TileColumns } from './tile-columns.ts';

const tilesOf = (scenario: unknown) => {
  const outcome = simulate(scenario);
  if (!outcome.ok) throw new Error(JSON.stringify(outcome.errors));
  return toColumns(outcome.result.final, outcome.result.resolved.pageSize).tiles;
};

/** Every tile's address and pattern, expanded. */
function expand(t: TileColumns): Map<number, number> {
  const map = new Map<number, number>();
  for (let row = 0; row < t.count; row++)
    for (let r = 0; r < t.groupRepeat[row]!; r++)
      for (let i = 0; i < t.tiles[row]!; i++)
        map.set(
          t.groupStart[row]! + (r * t.groupPeriod[row]! + t.offset[row]! + i) * t.tileSize,
          t.pattern[row]!,
        );
  return map;
}

const machine = (memmapOnMemory: string, extra: object = {}) => ({
  version: 1,
  kernel: { memmapOnMemory },
  events: [
    { op: 'add', start: '4G', size: '16G' },
    { op: 'online' },
    ...((extra as { events?: object[] }).events ?? []),
  ],
});

describe('compareTiles', () => {
  it('marks exactly the cells that differ at the same address', () => {
    const a = tilesOf(machine('on'));
    const b = tilesOf(machine('off', { events: [{ op: 'hugetlb', pageSize: '1G', count: 3 }] }));
    const diff = compareTiles(a, b)!;
    const aTiles = expand(a);
    for (let row = 0; row < b.count; row++) {
      const addresses = [...expand({ ...b, count: row + 1 } as TileColumns)].filter(
        ([, p]) => p === b.pattern[row],
      );
      let naive = new Array(b.cellsPerTile).fill(0);
      for (const [addr, pb] of addresses) {
        const pa = aTiles.get(addr);
        for (let cell = 0; cell < b.cellsPerTile; cell++) {
          const differs =
            pa === undefined ||
            [0, 1, 2, 3].some(
              (k) =>
                a.cells[(pa * a.cellsPerTile + cell) * CELL_BYTES + k] !==
                b.cells[(pb * b.cellsPerTile + cell) * CELL_BYTES + k],
            );
          if (differs) naive[cell] = 1;
        }
      }
      const mask = diff.rowMask[row]!;
      const got =
        mask < 0
          ? new Array(b.cellsPerTile).fill(0)
          : [...diff.masks.subarray(mask * b.cellsPerTile, (mask + 1) * b.cellsPerTile)];
      if (!naive.includes(1)) naive = new Array(b.cellsPerTile).fill(0);
      expect(got, `row ${row}`).toEqual(naive);
    }
    expect(diff.rowsDiffering).toBeGreaterThan(0);
  });

  it('marks every cell of a tile A does not have', () => {
    const a = tilesOf({ version: 1, events: [] });
    const b = tilesOf({ version: 1, events: [{ op: 'add', start: '4G', size: '2G' }] });
    const diff = compareTiles(a, b)!;
    const added = [...Array(b.count).keys()].filter((row) => b.groupStart[row]! >= 4 * 1024 ** 3);
    expect(added.length).toBeGreaterThan(0);
    for (const row of added) {
      const mask = diff.rowMask[row]!;
      expect(mask).toBeGreaterThanOrEqual(0);
      expect(
        diff.masks
          .subarray(mask * b.cellsPerTile, (mask + 1) * b.cellsPerTile)
          .every((m) => m === 1),
      ).toBe(true);
    }
  });

  it('finds nothing between a map and itself, and refuses maps tiled differently', () => {
    const a = tilesOf(machine('on'));
    expect(compareTiles(a, a)!.rowsDiffering).toBe(0);
    const arm = tilesOf({ version: 1, arch: 'arm64-64k', events: [{ op: 'add', size: '4G' }] });
    expect(compareTiles(a, arm)).toBeNull();
  });

  it('costs what the runs cost, not the memory: two 64 TiB maps', () => {
    const big = (memmapOnMemory: string) =>
      tilesOf({
        version: 1,
        machine: { virtual: false, nodes: [{ id: 0, ram: [{ start: 0, size: '4T' }] }] },
        kernel: { memmapOnMemory },
        events: [{ op: 'add', start: '4T', size: '60T' }, { op: 'online' }],
      });
    const started = performance.now();
    const diff = compareTiles(big('on'), big('off'))!;
    expect(diff.rowsDiffering).toBeGreaterThan(0);
    expect(diff.rowMask.length).toBeLessThan(100);
    expect(performance.now() - started).toBeLessThan(2000);
  });
});
