/**
 * Which cells of one map (B) differ from another (A) at the same addresses: compare mode marks
 * them. Tiles are compared as address sets, run by run (a run's tiles repeat periodically), so a
 * 2 PiB pair costs what a small one does: for every B row and every A pattern, does any tile of
 * the row sit where A has that pattern? Each pair of patterns that meets is compared cell by
 * cell once.
 */
import { RangeSet } from './rangeset.ts';
import { CELL_BYTES } from './output/cells.ts';
import { memberRun, type TileColumns } from './tile-columns.ts';

export interface TileDiff {
  /** Per B row: index of its cell mask in `masks`, or -1 when the row matches A. */
  rowMask: Int32Array;
  /** masks × cellsPerTile: 1 where the cell differs. */
  masks: Uint8Array;
  /** B rows that differ, and cells that differ summed over every tile. */
  rowsDiffering: number;
}

function patternSets(t: TileColumns): Map<number, RangeSet> {
  const sets = new Map<number, RangeSet>();
  for (let row = 0; row < t.count; row++) {
    const p = t.pattern[row]!;
    let set = sets.get(p);
    if (!set) sets.set(p, (set = new RangeSet()));
    set.addRun(memberRun(t, row));
  }
  return sets;
}

function cellsDiffer(
  a: TileColumns,
  pa: number,
  b: TileColumns,
  pb: number,
  out: Uint8Array,
): void {
  const bytes = a.cellsPerTile * CELL_BYTES;
  const aBase = pa * bytes;
  const bBase = pb * bytes;
  for (let cell = 0; cell < a.cellsPerTile; cell++) {
    const o = cell * CELL_BYTES;
    for (let k = 0; k < CELL_BYTES; k++) {
      if (a.cells[aBase + o + k] !== b.cells[bBase + o + k]) {
        out[cell] = 1;
        break;
      }
    }
  }
}

/**
 * null when the two maps are not tiled alike (another window or pageblock size): their cells do
 * not stand for the same addresses.
 */
export function compareTiles(a: TileColumns, b: TileColumns): TileDiff | null {
  if (a.tileSize !== b.tileSize || a.cellSize !== b.cellSize) return null;
  const cells = b.cellsPerTile;
  const aSets = patternSets(a);
  const anyA = new RangeSet();
  for (const set of aSets.values()) anyA.addRuns(set.runs());
  const rowMask = new Int32Array(b.count).fill(-1);
  const masks: Uint8Array[] = [];
  const maskIndex = new Map<string, number>();
  let rowsDiffering = 0;
  for (let row = 0; row < b.count; row++) {
    const run = memberRun(b, row);
    const mask = new Uint8Array(cells);
    const mine = new RangeSet();
    mine.addRun(run);
    const outside = mine.clone();
    outside.removeRuns(anyA.runs());
    if (!outside.isEmpty()) mask.fill(1);
    else
      for (const [pa, set] of aSets) {
        const rest = mine.clone();
        rest.removeRuns(set.runs());
        if (rest.total() === mine.total()) continue;
        cellsDiffer(a, pa, b, b.pattern[row]!, mask);
      }
    if (!mask.includes(1)) continue;
    rowsDiffering++;
    const key = mask.join('');
    let index = maskIndex.get(key);
    if (index === undefined) {
      index = masks.length;
      masks.push(mask);
      maskIndex.set(key, index);
    }
    rowMask[row] = index;
  }
  const flat = new Uint8Array(masks.length * cells);
  masks.forEach((mask, i) => flat.set(mask, i * cells));
  return { rowMask, masks: flat, rowsDiffering };
}
