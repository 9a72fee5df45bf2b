/**
 * What is drawn over the tiles: compare mode's differing cells, a refused step where it would
 * have landed, and the outline of the cell (or page) holding an address.
 */
import type { LiteResult } from '../../engine/columns.ts';
import type { TileDiff } from '../../engine/compare-tiles.ts';
import { hex } from '../../engine/units.ts';
import { pinnedRowCount, shapeOf } from './bitmaps.ts';
import type { GridFrame } from './draw.ts';
import { screen } from './hit.ts';

/**
 * Marks where B differs from A: the tile outlined, and each differing run of cells underlined
 * (outlined once cells are big enough to see one by one).
 */
export function drawDiff(
  frame: GridFrame,
  diff: TileDiff,
  mask: number,
  x: number,
  y: number,
  size: number,
): void {
  const { ctx, palette, tiles } = frame;
  const { rows, cellsPerRow } = shapeOf(tiles);
  const rowPx = size / rows;
  const cellPx = size / cellsPerRow;
  const base = mask * tiles.cellsPerTile;
  ctx.save();
  ctx.strokeStyle = palette.differs;
  ctx.fillStyle = palette.differs;
  ctx.lineWidth = 2;
  ctx.setLineDash([5, 3]);
  ctx.strokeRect(x - 3, y - 3, size + 6, size + 6);
  ctx.setLineDash([]);
  // A tile that differs everywhere needs only its outline.
  let all = true;
  for (let i = 0; i < tiles.cellsPerTile && all; i++) all = diff.masks[base + i] === 1;
  for (let r = 0; r < rows && !all; r++) {
    for (let c = 0; c < cellsPerRow; c++) {
      if (!diff.masks[base + r * cellsPerRow + c]) continue;
      let end = c + 1;
      while (end < cellsPerRow && diff.masks[base + r * cellsPerRow + end]) end++;
      if (cellPx >= 6)
        ctx.strokeRect(x + c * cellPx + 1, y + r * rowPx + 1, (end - c) * cellPx - 2, rowPx - 2);
      else
        ctx.fillRect(
          x + c * cellPx,
          y + r * rowPx + rowPx - Math.max(1.5, rowPx * 0.25),
          (end - c) * cellPx,
          Math.max(1.5, rowPx * 0.25),
        );
      c = end - 1;
    }
  }
  ctx.restore();
}

/**
 * Rows whose memory block is pinned by hosting other blocks' memmap (it cannot be removed
 * before them): outlined and hatched in ink over what the block holds, so at overview zoom the
 * Summary's "Blocks pinned by hosting memmap" is where the map shows it.
 */
export function drawPinned(
  frame: GridFrame,
  member: number,
  x: number,
  y: number,
  size: number,
): void {
  const { ctx, palette, tiles } = frame;
  if (pinnedRowCount(tiles, member) === 0) return;
  const { rows } = shapeOf(tiles);
  const rowPx = size / rows;
  ctx.save();
  ctx.strokeStyle = palette.pinned;
  for (let r = 0; r < rows; r++) {
    if (tiles.pinned[member * rows + r] !== 1) continue;
    // Runs of pinned rows make one box.
    let end = r + 1;
    while (end < rows && tiles.pinned[member * rows + end] === 1) end++;
    const top = y + r * rowPx;
    const height = (end - r) * rowPx;
    ctx.lineWidth = 1;
    ctx.globalAlpha = 0.55;
    ctx.beginPath();
    const step = Math.max(5, Math.min(10, rowPx / 2));
    for (let d = step; d < size + height; d += step) {
      // Diagonals from the bottom edge up to the right, clipped to the box by hand.
      const x0 = x + Math.max(0, d - height);
      const y0 = top + Math.min(height, d);
      const x1 = x + Math.min(size, d);
      const y1 = top + Math.max(0, d - size);
      ctx.moveTo(x0, y0);
      ctx.lineTo(x1, y1);
    }
    ctx.stroke();
    ctx.globalAlpha = 1;
    ctx.lineWidth = 2;
    ctx.strokeRect(x + 1, top + 1, size - 2, height - 2);
    r = end - 1;
  }
  ctx.restore();
}

/** A refused step, as a dashed outline with the kernel's reason in the row kept for it. */
export function drawGhost(frame: GridFrame): void {
  const ghost = frame.ghost;
  if (!ghost) return;
  const { ctx, palette, transform, layout } = frame;
  // Where it would have landed: in the row kept below the bands, a dashed outline with the reason.
  const [x, y] = screen(transform, 12, layout.ghostY ?? layout.height);
  const width = (layout.width - 24) * transform.k;
  ctx.save();
  ctx.strokeStyle = palette.blocked;
  ctx.lineWidth = 2;
  ctx.setLineDash([8, 4]);
  ctx.strokeRect(x, y, width, 40 * transform.k);
  ctx.restore();
  ctx.fillStyle = palette.blocked;
  ctx.textAlign = 'left';
  ctx.textBaseline = 'middle';
  // As large as fits the box, between 10 and 15 px; cut short with an ellipsis past that.
  let text = `${hex(ghost.startAddr)}–${hex(ghost.endAddr - 1)}: ${ghost.label}`;
  let size = 15;
  ctx.font = `600 ${size}px system-ui, sans-serif`;
  while (size > 10 && ctx.measureText(text).width > width - 16) {
    size -= 1;
    ctx.font = `600 ${size}px system-ui, sans-serif`;
  }
  while (text.length > 8 && ctx.measureText(text).width > width - 16)
    text = `${text.slice(0, -2)}…`;
  ctx.fillText(text, x + 8, y + 20 * transform.k);
}

/** Outlines the cell (or page, when pages are large enough to see) holding an address. */
export function markAddress(frame: GridFrame, addr: number, colour: string, dashed: boolean): void {
  const rect = cellRect(frame, addr);
  if (!rect) return;
  const { ctx } = frame;
  ctx.save();
  ctx.strokeStyle = colour;
  ctx.lineWidth = 2;
  if (dashed) ctx.setLineDash([3, 2]);
  ctx.strokeRect(rect.x - 1, rect.y - 1, Math.max(3, rect.w) + 2, Math.max(3, rect.h) + 2);
  ctx.restore();
}

/** Screen rectangle of the cell holding addr (in the slot that stands for it). */
export function cellRect(frame: Pick<GridFrame, 'layout' | 'tiles' | 'transform'>, addr: number) {
  const { layout, tiles, transform } = frame;
  for (const slot of layout.slots) {
    if (addr < slot.startAddr || addr >= slot.endAddr) continue;
    const tileIndex = Math.floor((addr - slot.startAddr) / layout.tileSize);
    if (slot.repeat > 1 ? tileIndex % slot.every >= slot.tiles : false) continue;
    const offset = (addr - slot.startAddr) % layout.tileSize;
    const { rows, cellsPerRow } = shapeOf(tiles);
    const row = Math.floor(offset / tiles.rowSize);
    const col = Math.floor((offset % tiles.rowSize) / tiles.cellSize);
    const size = slot.size * transform.k;
    const [x, y] = screen(transform, slot.x, slot.y);
    return {
      x: x + (col * size) / cellsPerRow,
      y: y + (row * size) / rows,
      w: size / cellsPerRow,
      h: size / rows,
    };
  }
  return null;
}

/** A refused step, drawn where it would have landed. */
export function ghostOf(result: LiteResult | null, at: number): GridFrame['ghost'] {
  const step = result?.steps[Math.min(result.steps.length - 1, at)];
  if (!step || step.ok || step.resolvedStart === undefined || step.resolvedSize === undefined)
    return null;
  return {
    startAddr: step.resolvedStart,
    endAddr: step.resolvedStart + step.resolvedSize,
    label: `refused: ${step.error ?? 'failed'}`,
  };
}
