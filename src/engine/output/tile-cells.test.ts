/**
 * The map's cells are classified only where some role starts or ends; every other cell copies its
 * left neighbour. For random machines and events that must give exactly the tiles a cell-by-cell
 * classification gives, and, tile by tile, what a naive (expanded) range representation gives.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { withNaiveRanges } from '../rangeset.ts';
import type { Tiles } from '../result.ts';
import { scenarioArb } from '../testing-arbitraries.ts';
import { q35, run } from '../testing.ts';
import { withEveryCellClassified } from './tile-cells.ts';

const tilesOf = (scenario: unknown): Tiles => run(scenario).final.tiles;

/** Every tile on its own: its address, its cells and what the map says of it. */
function expand(tiles: Tiles): string[] {
  const out: string[] = [];
  for (const group of tiles.groups)
    for (let r = 0; r < group.repeat; r++)
      for (const { offset, count, pattern, ...rest } of group.members)
        for (let k = 0; k < count; k++) {
          const tile = group.startAddr / tiles.tileSize + r * group.period + offset + k;
          out.push(`${tile} ${tiles.patterns[pattern]!.join(',')} ${JSON.stringify(rest)}`);
        }
  return out;
}

/** Bytes of the rows the tiles mark as pinned by hosting memmap. */
function pinnedRowBytes(tiles: Tiles): number {
  let bytes = 0;
  for (const group of tiles.groups)
    for (const member of group.members)
      bytes += (member.pinnedRows?.length ?? 0) * member.count * group.repeat * tiles.rowSize;
  return bytes;
}

describe('tile cells', () => {
  it('mark exactly the blocks the Summary counts as pinned by hosting memmap', () => {
    let seen = 0;
    fc.assert(
      fc.property(scenarioArb, (scenario) => {
        const { final, resolved } = run(scenario);
        if (final.summary.blocksPinnedByMemmap > 0) seen++;
        expect(pinnedRowBytes(final.tiles)).toBe(
          final.summary.blocksPinnedByMemmap * resolved.blockSize,
        );
      }),
      { numRuns: Number(process.env.PROPERTY_RUNS ?? 200) },
    );
    // The arbitraries reach pinned blocks (the 2017 RFC's packing, strategy group).
    expect(seen).toBeGreaterThan(0);
  });

  it('mark the rows of pinned blocks where they are, across a tile boundary too', () => {
    // RFC v1 packs a request's 256 MiB memmap into its first two 128 MiB blocks: starting
    // 128 MiB below a 1 GiB boundary, they are the last row of one tile and the first of the next.
    const tiles = tilesOf({
      version: 1,
      era: 'RFC1',
      machine: q35(4),
      events: [{ op: 'add', start: '7040M', size: '16G' }, { op: 'online' }],
    });
    const pinned = expand(tiles).filter((line) => line.includes('pinnedRows'));
    expect(
      pinned.map((line) => [
        line.split(' ')[0],
        JSON.parse(line.slice(line.indexOf('{'))).pinnedRows,
      ]),
    ).toEqual([
      ['6', [7]],
      ['7', [0]],
    ]);
  });

  it('copied between edges are the cells classified one by one', () => {
    fc.assert(
      fc.property(scenarioArb, (scenario) => {
        expect(tilesOf(scenario)).toEqual(withEveryCellClassified(() => tilesOf(scenario)));
      }),
      { numRuns: Number(process.env.PROPERTY_RUNS ?? 200) },
    );
  });

  it('are, tile by tile, the tiles of the naive range representation', () => {
    fc.assert(
      fc.property(scenarioArb, (scenario) => {
        const naive = withNaiveRanges(() => withEveryCellClassified(() => tilesOf(scenario)));
        expect(expand(tilesOf(scenario))).toEqual(expand(naive));
      }),
      // Expanded, a random machine's thousands of tiles cost a few hundred ms a case.
      { numRuns: Math.ceil(Number(process.env.PROPERTY_RUNS ?? 200) / 5) },
    );
  });
});
