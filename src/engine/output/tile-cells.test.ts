/**
 * The map's cells are classified only where some role starts or ends; every other cell copies its
 * left neighbour. For random machines and events that must give exactly the tiles a cell-by-cell
 * classification gives, and, tile by tile, what a naive (expanded) range representation gives.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { withNaiveRanges } from '../rangeset.ts';
import type { Tiles } from '../result.ts';
import { simulate } from '../simulate.ts';
import { scenarioArb } from '../testing-arbitraries.ts';
import { withEveryCellClassified } from './tile-cells.ts';

function tilesOf(scenario: unknown): Tiles {
  const outcome = simulate(scenario);
  if (!outcome.ok) throw new Error(outcome.errors.map((e) => e.message).join('; '));
  return outcome.result.final.tiles;
}

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

describe('tile cells', () => {
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
