/**
 * Draws one frame of the grid: node bands, holes, repeat frames, tiles (one bitmap each), their
 * badges, and the highlights. Only what is on screen is drawn; the level of detail follows the
 * size of a cell on screen: whole tiles, then row and cell lines, then the pages of a cell.
 */
import { formatCount } from '../format.ts';
import { TILE_BADGES, TILE_STATUSES } from '../../engine/tile-columns.ts';
import { hex } from '../../engine/units.ts';
import { CELL } from '../../engine/output/cells.ts';
import { shapeOf, type BitmapCache } from './bitmaps.ts';
import type { GridLayout, Slot } from './layout.ts';
import { nodeColor, type GridPalette } from './palette.ts';
import type { TileColumns } from '../../engine/tile-columns.ts';
import type { TileDiff } from '../../engine/compare-tiles.ts';
import { drawDiff, drawGhost, drawPinned, markAddress } from './marks.ts';
import { screen } from './hit.ts';
import { BAND_HEAD } from './layout.ts';

/** The canvas calls the grid makes (a recording context implements them in tests). */
export type DrawContext = Pick<
  CanvasRenderingContext2D,
  | 'fillRect'
  | 'strokeRect'
  | 'fillText'
  | 'measureText'
  | 'beginPath'
  | 'moveTo'
  | 'lineTo'
  | 'stroke'
  | 'save'
  | 'restore'
  | 'setLineDash'
> & {
  drawImage(image: unknown, dx: number, dy: number, dw: number, dh: number): void;
  fillStyle: string | CanvasGradient | CanvasPattern;
  strokeStyle: string | CanvasGradient | CanvasPattern;
  lineWidth: number;
  font: string;
  textAlign: CanvasTextAlign;
  textBaseline: CanvasTextBaseline;
  globalAlpha: number;
  imageSmoothingEnabled: boolean;
};

export interface Transform {
  k: number;
  x: number;
  y: number;
}

export interface GridFrame {
  ctx: DrawContext;
  width: number;
  height: number;
  layout: GridLayout;
  tiles: TileColumns;
  transform: Transform;
  palette: GridPalette;
  bitmaps: BitmapCache;
  badges: boolean;
  /** Addresses to mark: the cell under the pointer, the selected page, the keyboard cursor. */
  hover: number | null;
  selection: number | null;
  cursor: number | null;
  /** Tiles that changed in the last step (outlined while the change is new). */
  changed: ReadonlySet<number>;
  /** A failed step drawn where it would have landed. */
  ghost: { startAddr: number; endAddr: number; label: string } | null;
  /** Compare mode's B: which cells differ from A (engine/compare-tiles.ts). */
  diff?: TileDiff | null;
}

/** The narrowest a memmap run is drawn, in CSS pixels. */
export const MIN_MEMMAP_PX = 3;

function visible(frame: GridFrame, x: number, y: number, w: number, h: number): boolean {
  const [sx, sy] = screen(frame.transform, x, y);
  const k = frame.transform.k;
  return sx + w * k >= 0 && sy + h * k >= 0 && sx <= frame.width && sy <= frame.height;
}

export function drawGrid(frame: GridFrame): void {
  const { ctx, palette, layout } = frame;
  ctx.fillStyle = palette.background;
  ctx.fillRect(0, 0, frame.width, frame.height);
  ctx.imageSmoothingEnabled = false;
  for (const band of layout.bands) drawBand(frame, band);
  for (const gap of layout.gaps) drawGap(frame, gap);
  for (const slot of layout.slots)
    if (visible(frame, slot.x, slot.y, slot.size, slot.size)) drawSlot(frame, slot);
  for (const box of layout.frames) drawRepeat(frame, box);
  drawGhost(frame);
  for (const [addr, colour, dashed] of [
    [frame.hover, palette.text, false],
    [frame.selection, palette.selection, false],
    [frame.cursor, palette.cursor, true],
  ] as const) {
    if (addr !== null) markAddress(frame, addr, colour, dashed);
  }
}

function drawBand(frame: GridFrame, band: GridLayout['bands'][number]): void {
  const { ctx, palette, transform } = frame;
  const [x, y] = screen(transform, band.x, band.y);
  const k = transform.k;
  if (y > frame.height || y + band.height * k < 0) return;
  ctx.fillStyle = palette.panel;
  ctx.fillRect(x - 6 * k, y, band.width * k + 12 * k, band.height * k - 4 * k);
  ctx.fillStyle = nodeColor(palette, band.node);
  ctx.fillRect(x - 6 * k, y, 4 * k, band.height * k - 4 * k);
  const size = Math.max(9, Math.min(15, 13 * k));
  if (size * 1.2 > BAND_HEAD * k && k < 0.6) return;
  ctx.fillStyle = palette.text;
  ctx.font = `600 ${size}px system-ui, sans-serif`;
  ctx.textAlign = 'left';
  ctx.textBaseline = 'alphabetic';
  const name = band.device ? `node ${band.node}: device memory` : `node ${band.node}`;
  ctx.fillText(name, x, y + 15 * k);
  const width = ctx.measureText(name).width;
  ctx.fillStyle = palette.muted;
  ctx.font = `${size * 0.9}px ui-monospace, monospace`;
  ctx.fillText(`${hex(band.startAddr)}–${hex(band.endAddr - 1)}`, x + width + 10, y + 15 * k);
}

function drawGap(frame: GridFrame, gap: GridLayout['gaps'][number]): void {
  const { ctx, palette, transform } = frame;
  const [x, y] = screen(transform, 12, gap.y + 9);
  if (y < -20 || y > frame.height + 20) return;
  const right = screen(transform, frame.layout.width - 12, 0)[0];
  ctx.save();
  ctx.strokeStyle = palette.line;
  ctx.setLineDash([4, 4]);
  ctx.beginPath();
  ctx.moveTo(x, y);
  ctx.lineTo(right, y);
  ctx.stroke();
  ctx.restore();
  ctx.fillStyle = palette.background;
  const size = Math.max(10, Math.min(13, 12 * transform.k));
  ctx.font = `${size}px system-ui, sans-serif`;
  const w = ctx.measureText(gap.label).width;
  ctx.fillRect(x + 16, y - size / 2 - 2, w + 8, size + 4);
  ctx.fillStyle = palette.muted;
  ctx.textBaseline = 'middle';
  ctx.textAlign = 'left';
  ctx.fillText(gap.label, x + 20, y);
}

function drawSlot(frame: GridFrame, slot: Slot): void {
  const { ctx, palette, tiles, transform } = frame;
  const [x, y] = screen(transform, slot.x, slot.y);
  const size = slot.size * transform.k;
  const row = slot.row;
  if (slot.tiles > 1) {
    // A run of alike tiles: a stack.
    ctx.fillStyle = palette.line;
    ctx.fillRect(x + Math.min(6, size * 0.05), y + Math.min(6, size * 0.05), size, size);
  }
  ctx.drawImage(frame.bitmaps.get(tiles.pattern[row]!, tiles.node[row]!), x, y, size, size);
  const { rows, cellsPerRow } = shapeOf(tiles);
  const rowPx = size / rows;
  const cellPx = size / cellsPerRow;
  if (cellPx < MIN_MEMMAP_PX) {
    // Level of detail: at overview zoom a memmap narrower than MIN_MEMMAP_PX is widened to it
    // (the legend says so), so 2 MiB in a 128 MiB block still reads as a stripe on a projector.
    for (const span of frame.bitmaps.spansOf(tiles.pattern[row]!)) {
      ctx.fillStyle = palette.cell[span.kind];
      const w = Math.max(MIN_MEMMAP_PX, (span.end - span.start) * cellPx);
      ctx.fillRect(x + span.start * cellPx, y + span.row * rowPx, w, Math.max(1, rowPx - 0.5));
    }
  }
  if (rowPx >= 6) {
    ctx.strokeStyle = palette.background;
    ctx.lineWidth = 1;
    ctx.beginPath();
    for (let r = 1; r < rows; r++) {
      ctx.moveTo(x, y + r * rowPx);
      ctx.lineTo(x + size, y + r * rowPx);
    }
    if (cellPx >= 10) {
      for (let c = 1; c < cellsPerRow; c++) {
        ctx.moveTo(x + c * cellPx, y);
        ctx.lineTo(x + c * cellPx, y + size);
      }
    }
    ctx.stroke();
  }
  drawPinned(frame, row, x, y, size);
  if (frame.diff && frame.diff.rowMask[row]! >= 0)
    drawDiff(frame, frame.diff, frame.diff.rowMask[row]!, x, y, size);
  if (frame.changed.has(row)) {
    ctx.strokeStyle = palette.selection;
    ctx.lineWidth = 2;
    ctx.strokeRect(x - 2, y - 2, size + 4, size + 4);
    ctx.lineWidth = 1;
  }
  if (size < 24) return;
  const fontSize = Math.max(10, Math.min(14, size / 9));
  ctx.font = `600 ${fontSize}px system-ui, sans-serif`;
  ctx.textBaseline = 'middle';
  if (slot.tiles > 1) {
    // The stack's count, only where it fits inside the tile and below the badge: a pill wider
    // than the tile would run under its neighbours (the accessible list and the inspector
    // still give the count).
    const text = `× ${formatCount(slot.tiles)}`;
    if (countFits(ctx.measureText(text).width, size, fontSize, frame.badges))
      pill(
        frame,
        text,
        x + size - 4,
        y + size - fontSize,
        'right',
        palette.text,
        palette.background,
      );
  }
  if (frame.badges) {
    const status = TILE_STATUSES[tiles.status[row]!]!;
    const word = TILE_BADGES[status];
    const colour =
      status === 'possible'
        ? palette.possible
        : status === 'allocated'
          ? palette.allocated
          : palette.blocked;
    const glyph = status === 'possible' ? '✓' : status === 'allocated' ? '●' : '✕';
    pill(
      frame,
      size >= 70 ? `${glyph} ${word}` : glyph,
      x + 4,
      y + fontSize,
      'left',
      colour === palette.blocked ? '#ffffff' : palette.background,
      colour,
    );
  }
  const host = tiles.hostNode[row]!;
  if (host >= 0 && size >= 70) {
    const offNode = host !== tiles.node[row];
    // The longest that fits: off-node struct pages must read at a glance at overview zoom.
    const text = [`struct pages on node ${host}`, `memmap: node ${host}`, `on node ${host}`].find(
      (t) => ctx.measureText(t).width + 16 <= size,
    );
    if (text)
      pill(
        frame,
        text,
        x + 4,
        y + size - fontSize * (slot.tiles > 1 ? 2.4 : 1),
        'left',
        offNode ? '#ffffff' : palette.text,
        offNode ? palette.cell[CELL.memmapRam] : palette.background,
      );
  }
}

/** Does a stack's count pill fit inside a tile of `size` px, below its badge if there is one? */
export function countFits(textWidth: number, size: number, fontSize: number, badges: boolean) {
  const pillHeight = Math.max(14, fontSize + 4);
  return textWidth + 8 <= size - 6 && (!badges || size >= 2 * fontSize + pillHeight + 2);
}

export function pill(
  frame: GridFrame,
  text: string,
  x: number,
  y: number,
  align: 'left' | 'right',
  fg: string,
  bg: string,
): void {
  const { ctx } = frame;
  const w = ctx.measureText(text).width + 8;
  const h = Math.max(14, Number.parseFloat(/(\d+(?:\.\d+)?)px/.exec(ctx.font)?.[1] ?? '12') + 4);
  const left = align === 'left' ? x : x - w;
  ctx.fillStyle = bg;
  ctx.globalAlpha = 0.92;
  ctx.fillRect(left, y - h / 2, w, h);
  ctx.globalAlpha = 1;
  ctx.fillStyle = fg;
  ctx.textAlign = 'left';
  ctx.fillText(text, left + 4, y);
}

function drawRepeat(frame: GridFrame, box: GridLayout['frames'][number]): void {
  const { ctx, palette, transform } = frame;
  if (!visible(frame, box.x, box.y, box.width, box.height)) return;
  const [x, y] = screen(transform, box.x, box.y);
  ctx.save();
  ctx.strokeStyle = palette.muted;
  ctx.setLineDash([6, 3]);
  ctx.lineWidth = 1.5;
  ctx.strokeRect(x, y, box.width * transform.k, box.height * transform.k);
  ctx.restore();
  ctx.font = `600 ${Math.max(10, Math.min(13, 12 * transform.k))}px system-ui, sans-serif`;
  // Inside the frame's bottom edge: above it sits the band's own header.
  // The whole sentence where the frame is wide enough, else the count alone.
  const long = `× ${formatCount(box.repeat)} (this pattern of ${box.period} windows repeats)`;
  const text =
    ctx.measureText(long).width + 20 <= box.width * transform.k
      ? long
      : `× ${formatCount(box.repeat)}`;
  pill(
    frame,
    text,
    x + box.width * transform.k - 6,
    y + box.height * transform.k - 12,
    'right',
    palette.background,
    palette.muted,
  );
}
