/**
 * The map's tiles as typed arrays: every tile pattern expanded to its cells (4 bytes each, see
 * output/cells.ts), and one row per group member. Labels travel once, as a string table.
 */
import { CELL_BYTES } from './output/cells.ts';
import type { Tiles, TileStatus } from './result.ts';
import type { Run } from './rangeset.ts';

export const TILE_STATUSES: readonly TileStatus[] = [
  'possible',
  'allocated',
  'memmap',
  'movable',
  'boot',
  'kernel',
  'offline',
  'mixed',
  'in-use',
  'hole',
  'device',
];

/** The hostNode column: no RAM memmap, or several host nodes. */
export const HOST_NONE = -1;
export const HOST_SEVERAL = -2;

export interface TileColumns {
  count: number;
  tileSize: number;
  rowSize: number;
  cellSize: number;
  cellsPerTile: number;
  /** patterns × cellsPerTile × CELL_BYTES. */
  cells: Uint8Array;
  patternCount: number;
  group: Int32Array;
  groupStart: Float64Array;
  groupPeriod: Float64Array;
  groupRepeat: Float64Array;
  offset: Float64Array;
  tiles: Float64Array;
  pattern: Int32Array;
  status: Uint8Array;
  node: Uint16Array;
  zone: Uint8Array;
  hostNode: Int32Array;
  label: Int32Array;
  /** Rows of a tile (tileSize / rowSize) per row: 1 where its block is pinned by hosting memmap. */
  pinned: Uint8Array;
}

/** Rows of a tile. */
export const rowsOf = (tiles: Pick<Tiles, 'tileSize' | 'rowSize'>) =>
  Math.max(1, Math.round(tiles.tileSize / tiles.rowSize));

/** A column row's tiles as one periodic run of addresses. */
export function memberRun(t: TileColumns, row: number): Run {
  const tile = t.tileSize;
  return {
    start: t.groupStart[row]! + t.offset[row]! * tile,
    len: t.tiles[row]! * tile,
    stride: t.groupPeriod[row]! * tile,
    reps: t.groupRepeat[row]!,
  };
}

export function toTileColumns(
  tiles: Tiles,
  zoneCode: (zone: Tiles['groups'][number]['members'][number]['zone']) => number,
): { columns: TileColumns; labels: string[] } {
  const cellsPerTile = tiles.tileSize / tiles.cellSize;
  const cells = new Uint8Array(tiles.patterns.length * cellsPerTile * CELL_BYTES);
  tiles.patterns.forEach((rle, p) => {
    let cell = p * cellsPerTile;
    for (let i = 0; i + 4 < rle.length; i += 5) {
      for (let k = 0; k < rle[i]!; k++, cell++) {
        const o = cell * CELL_BYTES;
        cells[o] = rle[i + 1]!;
        cells[o + 1] = rle[i + 2]!;
        cells[o + 2] = rle[i + 3]!;
        cells[o + 3] = rle[i + 4]!;
      }
    }
  });
  const rows = tiles.groups.flatMap((g, gi) => g.members.map((m) => ({ g, gi, m })));
  const labels: string[] = [];
  const labelIndex = new Map<string, number>();
  const n = rows.length;
  const rowsPerTile = rowsOf(tiles);
  const columns: TileColumns = {
    count: n,
    tileSize: tiles.tileSize,
    rowSize: tiles.rowSize,
    cellSize: tiles.cellSize,
    cellsPerTile,
    cells,
    patternCount: tiles.patterns.length,
    group: new Int32Array(n),
    groupStart: new Float64Array(n),
    groupPeriod: new Float64Array(n),
    groupRepeat: new Float64Array(n),
    offset: new Float64Array(n),
    tiles: new Float64Array(n),
    pattern: new Int32Array(n),
    status: new Uint8Array(n),
    node: new Uint16Array(n),
    zone: new Uint8Array(n),
    hostNode: new Int32Array(n),
    label: new Int32Array(n),
    pinned: new Uint8Array(n * rowsPerTile),
  };
  rows.forEach(({ g, gi, m }, i) => {
    columns.group[i] = gi;
    columns.groupStart[i] = g.startAddr;
    columns.groupPeriod[i] = g.period;
    columns.groupRepeat[i] = g.repeat;
    columns.offset[i] = m.offset;
    columns.tiles[i] = m.count;
    columns.pattern[i] = m.pattern;
    columns.status[i] = TILE_STATUSES.indexOf(m.status);
    columns.node[i] = m.node;
    columns.zone[i] = zoneCode(m.zone);
    columns.hostNode[i] =
      m.hostNodes.length === 0
        ? HOST_NONE
        : m.hostNodes.length > 1
          ? HOST_SEVERAL
          : m.hostNodes[0]!;
    let index = labelIndex.get(m.label);
    if (index === undefined) {
      index = labels.length;
      labels.push(m.label);
      labelIndex.set(m.label, index);
    }
    columns.label[i] = index;
    for (const row of m.pinnedRows ?? []) columns.pinned[i * rowsPerTile + row] = 1;
  });
  return { columns, labels };
}

/** The word a tile's badge shows for its status (the accessible list reads the full label). */
export const TILE_BADGES: Record<TileStatus, string> = {
  possible: 'possible',
  allocated: 'allocated',
  memmap: 'memmap',
  movable: 'MOVABLE',
  boot: 'boot mem',
  kernel: 'kernel',
  offline: 'offline',
  mixed: '2 zones',
  'in-use': 'in use',
  hole: 'hole',
  device: 'device',
};
