/**
 * From the screen back to memory: which address a point of the grid shows, and which part of the
 * layout the view shows (the zoom window the store keeps, as an address range).
 */
import type { TileColumns } from '../../engine/tile-columns.ts';
import { shapeOf } from './bitmaps.ts';
import { pageGrid } from './pages.ts';
import type { Transform } from './draw.ts';
import type { GridLayout, Slot } from './layout.ts';

/** A layout point on screen. */
export const screen = (t: Transform, x: number, y: number): [number, number] => [
  x * t.k + t.x,
  y * t.k + t.y,
];

/** The address under a screen point (page-exact), or null over no tile. */
export function addressAt(
  layout: GridLayout,
  tiles: TileColumns,
  transform: Transform,
  sx: number,
  sy: number,
  pageSize: number,
): number | null {
  const x = (sx - transform.x) / transform.k;
  const y = (sy - transform.y) / transform.k;
  const slot = layout.slots.find(
    (s) => x >= s.x && x < s.x + s.size && y >= s.y && y < s.y + s.size,
  );
  if (!slot) return null;
  return addressInSlot(slot, tiles, (x - slot.x) / slot.size, (y - slot.y) / slot.size, pageSize);
}

/** The address at a fraction (fx, fy) of a slot's first tile: rows down, cells across, pages in a cell. */
export function addressInSlot(
  slot: Slot,
  tiles: TileColumns,
  fx: number,
  fy: number,
  pageSize: number,
): number {
  const { rows, cellsPerRow } = shapeOf(tiles);
  const rowF = fy * rows;
  const row = Math.min(rows - 1, Math.floor(rowF));
  const cellF = fx * cellsPerRow;
  const cell = Math.min(cellsPerRow - 1, Math.floor(cellF));
  // Pages of a cell are drawn line by line (see pages.ts): the same arrangement here.
  const pagesPerCell = tiles.cellSize / pageSize;
  const { across, down } = pageGrid(pagesPerCell);
  const line = Math.min(down - 1, Math.floor((rowF - row) * down));
  const column = Math.min(across - 1, Math.floor((cellF - cell) * across));
  const page = Math.min(pagesPerCell - 1, line * across + column);
  return slot.startAddr + row * tiles.rowSize + cell * tiles.cellSize + page * pageSize;
}

/** The part of a slot's first tile that an address range covers, in layout units. */
interface Rect {
  x0: number;
  y0: number;
  x1: number;
  y1: number;
}

/**
 * Within one tile a window is whole rows, or cells of one row: the deep zoom a link keeps (a
 * demo opens on the first pageblocks of a block). Null when the range is not inside one tile.
 */
function rectInSlot(layout: GridLayout, slot: Slot, start: number, end: number): Rect | null {
  if (start < slot.startAddr || end > slot.startAddr + layout.tileSize) return null;
  if (end - start >= layout.tileSize) return null;
  const rows = Math.round(layout.tileSize / layout.rowSize);
  const cells = Math.round(layout.rowSize / layout.cellSize);
  const rowPx = slot.size / rows;
  const offset = start - slot.startAddr;
  const r0 = Math.floor(offset / layout.rowSize);
  const r1 = Math.ceil((end - slot.startAddr) / layout.rowSize);
  if (r1 - r0 > 1)
    return { x0: slot.x, y0: slot.y + r0 * rowPx, x1: slot.x + slot.size, y1: slot.y + r1 * rowPx };
  const rowStart = slot.startAddr + r0 * layout.rowSize;
  const c0 = Math.floor((start - rowStart) / layout.cellSize);
  const c1 = Math.max(c0 + 1, Math.ceil((end - rowStart) / layout.cellSize));
  const cellPx = slot.size / cells;
  return {
    x0: slot.x + c0 * cellPx,
    y0: slot.y + r0 * rowPx,
    x1: slot.x + c1 * cellPx,
    y1: slot.y + (r0 + 1) * rowPx,
  };
}

/**
 * The address range the view shows: the slots on screen, or, when one slot fills the view, the
 * rows (or the cells of one row) of it that are on screen. Null when it shows everything.
 */
export function visibleWindow(
  layout: GridLayout,
  transform: Transform,
  width: number,
  height: number,
): { start: number; end: number } | null {
  const shown = layout.slots.filter((s) => {
    const x = s.x * transform.k + transform.x;
    const y = s.y * transform.k + transform.y;
    const size = s.size * transform.k;
    return x + size > 0 && y + size > 0 && x < width && y < height;
  });
  if (shown.length === 0) return null;
  // The slot under the middle of the view: when the view shows only part of it, the window is
  // that part (the tiles around it are context).
  const middle = shown.find((s) => {
    const x = s.x * transform.k + transform.x;
    const y = s.y * transform.k + transform.y;
    const size = s.size * transform.k;
    return x <= width / 2 && x + size >= width / 2 && y <= height / 2 && y + size >= height / 2;
  });
  if (!middle && shown.length === layout.slots.length) return null;
  if (middle) {
    const slot = middle;
    const size = slot.size * transform.k;
    const sx = slot.x * transform.k + transform.x;
    const sy = slot.y * transform.k + transform.y;
    const clamp = (v: number) => Math.max(0, Math.min(1, v));
    const fx0 = clamp(-sx / size);
    const fx1 = clamp((width - sx) / size);
    const fy0 = clamp(-sy / size);
    const fy1 = clamp((height - sy) / size);
    const rows = Math.round(layout.tileSize / layout.rowSize);
    const cells = Math.round(layout.rowSize / layout.cellSize);
    const r0 = Math.floor(fy0 * rows);
    const r1 = Math.min(rows, Math.max(r0 + 1, Math.ceil(fy1 * rows - 1e-9)));
    if (fx0 > 0 || fx1 < 1) {
      // Part of a row's width: an address range holds cells of one row, so the middle one's.
      const row = Math.min(rows - 1, Math.floor(((fy0 + fy1) / 2) * rows));
      const c0 = Math.floor(fx0 * cells);
      const c1 = Math.min(cells, Math.max(c0 + 1, Math.ceil(fx1 * cells - 1e-9)));
      const rowStart = slot.startAddr + row * layout.rowSize;
      return { start: rowStart + c0 * layout.cellSize, end: rowStart + c1 * layout.cellSize };
    }
    if (r0 > 0 || r1 < rows)
      return {
        start: slot.startAddr + r0 * layout.rowSize,
        end: slot.startAddr + r1 * layout.rowSize,
      };
  }
  if (shown.length === layout.slots.length) return null;
  return {
    start: Math.min(...shown.map((s) => s.startAddr)),
    end: Math.max(...shown.map((s) => s.endAddr)),
  };
}

/** A transform that shows the given address range (or everything), fitted to the view. */
export function transformFor(
  layout: GridLayout,
  window: { start: number; end: number } | null,
  width: number,
  height: number,
): Transform {
  const slots = window
    ? layout.slots.filter((s) => s.endAddr > window.start && s.startAddr < window.end)
    : layout.slots;
  const chosen = slots.length ? slots : layout.slots;
  if (chosen.length === 0) return { k: 1, x: 0, y: 0 };
  const inside =
    window && chosen.length === 1 ? rectInSlot(layout, chosen[0]!, window.start, window.end) : null;
  if (inside) {
    // Fitted exactly (no margin), so the window read back from the view is this one. Cells of
    // one row fill the width (a row can be far taller than the view: its middle is shown).
    const partRow = inside.x1 - inside.x0 < layout.slots[0]!.size - 1e-9;
    const k = Math.min(
      width / (inside.x1 - inside.x0),
      partRow ? Infinity : height / (inside.y1 - inside.y0),
      1e5,
    );
    return {
      k,
      x: (width - (inside.x1 - inside.x0) * k) / 2 - inside.x0 * k,
      y: (height - (inside.y1 - inside.y0) * k) / 2 - inside.y0 * k,
    };
  }
  const x0 = window ? Math.min(...chosen.map((s) => s.x)) - 8 : 0;
  const y0 = window ? Math.min(...chosen.map((s) => s.y)) - 24 : 0;
  const x1 = window ? Math.max(...chosen.map((s) => s.x + s.size)) + 8 : layout.width;
  const y1 = window ? Math.max(...chosen.map((s) => s.y + s.size)) + 8 : layout.height;
  const k = Math.min(width / (x1 - x0), height / (y1 - y0), window ? 1e5 : 2.5);
  return { k, x: (width - (x1 - x0) * k) / 2 - x0 * k, y: window ? -y0 * k + 4 : 0 };
}
