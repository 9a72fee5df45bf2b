/**
 * The deepest zoom: a cell split into its pages. When a cell is wide enough on screen its pages
 * are drawn as a grid, and a page that holds struct pages says which pfns it describes (a 4 KiB
 * page holds 64 of them). Only the cells on screen are visited.
 */
import type { MapColumns } from '../../engine/columns.ts';
import { describedBy } from '../../engine/inspect.ts';
import { hex } from '../../engine/units.ts';
import { CELL_BYTES, type CellKind } from '../../engine/output/cells.ts';
import { shapeOf } from './bitmaps.ts';
import { CELL_SHORT } from './palette.ts';
import type { GridFrame } from './draw.ts';

/** Cell width on screen from which its pages are drawn. */
export const PAGES_FROM_PX = 160;
/** Cell width on screen from which a cell says where it is and what it holds. */
export const CAPTIONS_FROM_PX = 64;

/**
 * Between the overview and the pages: each cell on screen captioned with its address and what
 * it holds, with the page count of each part of a split cell ("struct pages: 4 of 32 pages").
 */
function drawCaptions(
  frame: GridFrame,
  geometry: { pageSize: number },
  slot: GridFrame['layout']['slots'][number],
  x0: number,
  y0: number,
  cellW: number,
  rowH: number,
): void {
  const { ctx, tiles, palette } = frame;
  const { rows, cellsPerRow } = shapeOf(tiles);
  const pagesPerCell = tiles.cellSize / geometry.pageSize;
  const firstCol = Math.max(0, Math.floor(-x0 / cellW));
  const lastCol = Math.min(cellsPerRow - 1, Math.floor((frame.width - x0) / cellW));
  const firstRow = Math.max(0, Math.floor(-y0 / rowH));
  const lastRow = Math.min(rows - 1, Math.floor((frame.height - y0) / rowH));
  const size = Math.min(12, Math.max(8, cellW / 9.5));
  ctx.textAlign = 'left';
  ctx.textBaseline = 'top';
  for (let r = firstRow; r <= lastRow; r++) {
    // A row taller than the view keeps its captions at the top of what is visible.
    const top = Math.max(y0 + r * rowH, 0) + 4;
    for (let c = firstCol; c <= lastCol; c++) {
      const o = (tiles.pattern[slot.row]! * tiles.cellsPerTile + r * cellsPerRow + c) * CELL_BYTES;
      const a = tiles.cells[o] as CellKind;
      const b = tiles.cells[o + 1] as CellKind;
      const aPages = Math.round((tiles.cells[o + 2]! / 255) * pagesPerCell);
      const lines = [hex(slot.startAddr + r * tiles.rowSize + c * tiles.cellSize)];
      if (a === b || aPages >= pagesPerCell) lines.push(CELL_SHORT[a]);
      else
        lines.push(
          `${CELL_SHORT[a]} ${aPages}/${pagesPerCell}`,
          `${CELL_SHORT[b]} ${pagesPerCell - aPages}/${pagesPerCell}`,
        );
      const x = x0 + c * cellW + 4;
      ctx.font = `${size}px ui-monospace, monospace`;
      lines.forEach((line, i) => {
        let text = line;
        while (text.length > 4 && ctx.measureText(text).width > cellW - 8)
          text = `${text.slice(0, -2)}…`;
        const w = ctx.measureText(text).width;
        ctx.fillStyle = palette.background;
        ctx.globalAlpha = 0.85;
        ctx.fillRect(x - 2, top + i * (size + 4) - 1, w + 4, size + 3);
        ctx.globalAlpha = 1;
        ctx.fillStyle = palette.text;
        ctx.fillText(text, x, top + i * (size + 4));
      });
    }
  }
}

/** How a cell's pages are arranged: `across` per line, `down` lines, in address order. */
export function pageGrid(pagesPerCell: number): { across: number; down: number } {
  const across = Math.max(1, Math.round(Math.sqrt(pagesPerCell * 2)));
  return { across, down: Math.ceil(pagesPerCell / across) };
}

export function drawPages(
  frame: GridFrame,
  columns: MapColumns,
  geometry: { pageSize: number; structPageSize: number },
): void {
  const { ctx, tiles, transform, layout, palette } = frame;
  const { rows, cellsPerRow } = shapeOf(tiles);
  const pagesPerCell = tiles.cellSize / geometry.pageSize;
  const { across, down } = pageGrid(pagesPerCell);
  for (const slot of layout.slots) {
    const size = slot.size * transform.k;
    const cellW = size / cellsPerRow;
    if (cellW < CAPTIONS_FROM_PX) return;
    const x0 = slot.x * transform.k + transform.x;
    const y0 = slot.y * transform.k + transform.y;
    if (x0 > frame.width || y0 > frame.height || x0 + size < 0 || y0 + size < 0) continue;
    const rowH = size / rows;
    if (cellW < PAGES_FROM_PX) {
      drawCaptions(frame, geometry, slot, x0, y0, cellW, rowH);
      continue;
    }
    const firstCol = Math.max(0, Math.floor(-x0 / cellW));
    const lastCol = Math.min(cellsPerRow - 1, Math.floor((frame.width - x0) / cellW));
    const firstRow = Math.max(0, Math.floor(-y0 / rowH));
    const lastRow = Math.min(rows - 1, Math.floor((frame.height - y0) / rowH));
    for (let r = firstRow; r <= lastRow; r++) {
      for (let c = firstCol; c <= lastCol; c++) {
        const cellAddr = slot.startAddr + r * tiles.rowSize + c * tiles.cellSize;
        const cx = x0 + c * cellW;
        const cy = y0 + r * rowH;
        const pw = cellW / across;
        const ph = rowH / down;
        ctx.strokeStyle = palette.background;
        ctx.lineWidth = 1;
        ctx.beginPath();
        for (let i = 1; i < across; i++) {
          ctx.moveTo(cx + i * pw, cy);
          ctx.lineTo(cx + i * pw, cy + rowH);
        }
        for (let j = 1; j < down; j++) {
          ctx.moveTo(cx, cy + j * ph);
          ctx.lineTo(cx + cellW, cy + j * ph);
        }
        ctx.stroke();
        if (pw < 90 || ph < 22) continue;
        ctx.font = `${Math.min(13, ph / 3)}px ui-monospace, monospace`;
        ctx.textAlign = 'left';
        ctx.textBaseline = 'top';
        for (let p = 0; p < pagesPerCell; p++) {
          const px = cx + (p % across) * pw;
          const py = cy + Math.floor(p / across) * ph;
          if (px > frame.width || py > frame.height || px + pw < 0 || py + ph < 0) continue;
          const addr = cellAddr + p * geometry.pageSize;
          const held = describedBy(columns, geometry, addr);
          ctx.fillStyle = palette.text;
          ctx.fillText(`pfn ${hex(addr / geometry.pageSize)}`, px + 3, py + 3);
          if (held) {
            ctx.fillStyle = palette.text;
            ctx.fillText(
              `struct pages of pfn ${hex(held.firstPfn)}–${hex(held.firstPfn + held.pfns - 1)}`,
              px + 3,
              py + 3 + ph / 3,
            );
          }
        }
      }
    }
  }
}
