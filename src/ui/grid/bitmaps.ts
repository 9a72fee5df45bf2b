/**
 * A tile pattern as a small bitmap: one pixel row per tile row, SUB pixels per cell, so a cell's
 * two occupants split it in eighths (a force-padded memmap of 4 of 32 pages is one eighth, the
 * rest the padding colour). Drawn scaled without smoothing, a bitmap is crisp at any zoom and
 * costs one drawImage per tile. Struct pages of another node are striped with that node's colour.
 */
import { CELL, CELL_BYTES, type CellKind } from '../../engine/output/cells.ts';
import type { TileColumns } from '../../engine/tile-columns.ts';
import { nodeColor, type GridPalette } from './palette.ts';

export const SUB = 8;

export type BitmapFactory = (width: number, height: number, rgba: Uint8ClampedArray) => unknown;

function rgb(hex: string): [number, number, number] {
  const value = Number.parseInt(hex.slice(1), 16);
  return [(value >> 16) & 255, (value >> 8) & 255, value & 255];
}

export interface TileShape {
  rows: number;
  cellsPerRow: number;
}

export const shapeOf = (tiles: TileColumns): TileShape => ({
  rows: Math.round(tiles.tileSize / tiles.rowSize),
  cellsPerRow: Math.round(tiles.rowSize / tiles.cellSize),
});

/** How many rows of a tile row's tiles are blocks pinned by hosting memmap (the hatch). */
export function pinnedRowCount(tiles: TileColumns, member: number): number {
  const { rows } = shapeOf(tiles);
  let count = 0;
  for (let r = 0; r < rows; r++) count += tiles.pinned[member * rows + r]!;
  return count;
}

/** A colour as one 32-bit pixel, in the platform's byte order (read back through the same view). */
function pixel(hex: string): number {
  const [r, g, b] = rgb(hex);
  return new Uint32Array(new Uint8ClampedArray([r, g, b, 255]).buffer)[0]!;
}

/** Each cell kind's pixel, per palette: a repaint builds dozens of bitmaps from these. */
const kindPixels = new WeakMap<GridPalette, Uint32Array>();

function pixelsOf(palette: GridPalette): Uint32Array {
  let table = kindPixels.get(palette);
  if (!table) {
    const kinds = Object.values(CELL);
    table = new Uint32Array(Math.max(...kinds) + 1);
    for (const kind of kinds) table[kind] = pixel(palette.cell[kind]);
    kindPixels.set(palette, table);
  }
  return table;
}

/** The RGBA pixels of pattern `p` on a tile of node `node`. */
export function patternPixels(
  tiles: TileColumns,
  p: number,
  node: number,
  palette: GridPalette,
): { width: number; height: number; rgba: Uint8ClampedArray } {
  const { rows, cellsPerRow } = shapeOf(tiles);
  const width = cellsPerRow * SUB;
  const rgba = new Uint8ClampedArray(width * rows * 4);
  const out = new Uint32Array(rgba.buffer);
  const kinds = pixelsOf(palette);
  const stripes = new Map<number, number>();
  const base = p * tiles.cellsPerTile * CELL_BYTES;
  for (let cell = 0; cell < tiles.cellsPerTile; cell++) {
    const o = base + cell * CELL_BYTES;
    const a = tiles.cells[o]!;
    const split = Math.max(1, Math.round((tiles.cells[o + 2]! / 255) * SUB));
    const param = tiles.cells[o + 3]!;
    const aPixel = kinds[a]!;
    const bPixel = kinds[tiles.cells[o + 1]!]!;
    let stripe = aPixel;
    if (a === CELL.memmapRam && param !== node) {
      stripe = stripes.get(param) ?? pixel(nodeColor(palette, param));
      stripes.set(param, stripe);
    }
    const row = Math.floor(cell / cellsPerRow);
    const px = row * width + (cell % cellsPerRow) * SUB;
    for (let s = 0; s < SUB; s++)
      out[px + s] = s < split ? (s % 2 === 1 ? stripe : aPixel) : bPixel;
  }
  return { width, height: rows, rgba };
}

/** A run of memmap cells in one row of a pattern (cells [start, end) of kind `kind`). */
export interface MemmapSpan {
  row: number;
  start: number;
  end: number;
  kind: CellKind;
}

const MEMMAP_KINDS: ReadonlySet<number> = new Set([
  CELL.memmapSelf,
  CELL.memmapPad,
  CELL.memmapRam,
  CELL.deviceMemmap,
]);

/** The memmap runs of a pattern, row by row: what the overview keeps visible. */
export function memmapSpans(tiles: TileColumns, p: number): MemmapSpan[] {
  const { rows, cellsPerRow } = shapeOf(tiles);
  const spans: MemmapSpan[] = [];
  const base = p * tiles.cellsPerTile * CELL_BYTES;
  for (let row = 0; row < rows; row++) {
    let open: MemmapSpan | null = null;
    for (let col = 0; col < cellsPerRow; col++) {
      const kind = tiles.cells[base + (row * cellsPerRow + col) * CELL_BYTES] as CellKind;
      if (open && open.kind === kind) {
        open.end = col + 1;
        continue;
      }
      open = MEMMAP_KINDS.has(kind) ? { row, start: col, end: col + 1, kind } : null;
      if (open) spans.push(open);
    }
  }
  return spans;
}

function hasRamMemmap(tiles: TileColumns, p: number): boolean {
  const base = p * tiles.cellsPerTile * CELL_BYTES;
  for (let cell = 0; cell < tiles.cellsPerTile; cell++)
    if (tiles.cells[base + cell * CELL_BYTES] === CELL.memmapRam) return true;
  return false;
}

/** Bitmaps by pattern and node, rebuilt when the data or the palette changes. */
export class BitmapCache {
  private readonly bitmaps = new Map<string, unknown>();
  private readonly spans = new Map<number, MemmapSpan[]>();

  spansOf(pattern: number): MemmapSpan[] {
    let spans = this.spans.get(pattern);
    if (!spans) this.spans.set(pattern, (spans = memmapSpans(this.tiles, pattern)));
    return spans;
  }

  constructor(
    private readonly tiles: TileColumns,
    private readonly palette: GridPalette,
    private readonly make: BitmapFactory,
  ) {}

  /** Patterns with struct pages taken from RAM: only their bitmaps depend on the tile's node. */
  private readonly striped = new Map<number, boolean>();

  get(pattern: number, node: number): unknown {
    let striped = this.striped.get(pattern);
    if (striped === undefined) {
      striped = hasRamMemmap(this.tiles, pattern);
      this.striped.set(pattern, striped);
    }
    // One bitmap per pattern, and per node only where stripes can differ: a canvas per tile row
    // cost 30 ms of a repaint on a 16-node machine.
    const key = striped ? `${pattern}:${node}` : `${pattern}`;
    let bitmap = this.bitmaps.get(key);
    if (!bitmap) {
      const { width, height, rgba } = patternPixels(this.tiles, pattern, node, this.palette);
      bitmap = this.make(width, height, rgba);
      this.bitmaps.set(key, bitmap);
    }
    return bitmap;
  }

  matches(tiles: TileColumns, palette: GridPalette): boolean {
    return tiles === this.tiles && palette === this.palette;
  }
}

/** Which cell kinds a set of tile rows shows (for the legend). */
export function kindsShown(tiles: TileColumns, rows: Iterable<number>): Set<CellKind> {
  const kinds = new Set<CellKind>();
  const patterns = new Set<number>();
  for (const row of rows) patterns.add(tiles.pattern[row]!);
  for (const p of patterns) {
    const base = p * tiles.cellsPerTile * CELL_BYTES;
    for (let cell = 0; cell < tiles.cellsPerTile; cell++) {
      kinds.add(tiles.cells[base + cell * CELL_BYTES] as CellKind);
      kinds.add(tiles.cells[base + cell * CELL_BYTES + 1] as CellKind);
    }
  }
  return kinds;
}
