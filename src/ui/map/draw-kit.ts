/** Shared pieces of the map drawing: the frame being drawn and clipped span helpers. */
import type { ScaleLinear } from 'd3-scale';
import type { MapColumns } from '../../engine/columns.ts';
import type { Layout, Segment, Track } from './geometry.ts';
import type { Palette } from './palette.ts';

export interface Frame {
  ctx: CanvasRenderingContext2D;
  layout: Layout;
  scale: ScaleLinear<number, number>;
  segments: readonly Segment[];
  columns: MapColumns;
  blockSize: number;
  sectionSize: number;
  pageblockSize: number;
  pageSize: number;
  windowSize: number;
  palette: Palette;
  dark: boolean;
  showWindows: boolean;
  hover: number | null;
  selection: number | null;
  /** Where the hovered or selected page's struct page is, to draw the pointer to it. */
  structPageOf: (addr: number) => number | null;
}

export const MIN_FEATURE_PX = 1.5;
export const DETAIL_PX = 3;

export function span(frame: Frame, start: number, end: number): [number, number] | null {
  const { scale, layout } = frame;
  const x0 = scale(start);
  const x1 = scale(end);
  if (x1 < layout.left || x0 > layout.right) return null;
  return [x0, x1];
}

export function fillSpan(
  frame: Frame,
  track: Track,
  x0: number,
  x1: number,
  color: string,
  top = 0,
  height = track.height,
): void {
  const { ctx, layout } = frame;
  const a = Math.max(layout.left, x0);
  const b = Math.min(layout.right, Math.max(x1, x0 + MIN_FEATURE_PX));
  if (b <= a) return;
  ctx.fillStyle = color;
  ctx.fillRect(a, track.y + top, b - a, height);
}

export function hatch(frame: Frame, track: Track, x0: number, x1: number, color: string): void {
  const { ctx, layout } = frame;
  const a = Math.max(layout.left, x0);
  const b = Math.min(layout.right, x1);
  if (b - a < 2) return;
  ctx.save();
  ctx.beginPath();
  ctx.rect(a, track.y, b - a, track.height);
  ctx.clip();
  ctx.strokeStyle = color;
  ctx.lineWidth = 1;
  ctx.beginPath();
  for (let x = a - track.height; x < b; x += 6) {
    ctx.moveTo(x, track.y + track.height);
    ctx.lineTo(x + track.height, track.y);
  }
  ctx.stroke();
  ctx.restore();
}

/** Indices of units of `size` bytes from `start` that are visible, at most `limit` of them. */
export function visibleUnits(
  frame: Frame,
  start: number,
  end: number,
  size: number,
  limit = 4000,
): [number, number] | null {
  const { scale, layout } = frame;
  const from = Math.max(start, scale.invert(layout.left));
  const to = Math.min(end, scale.invert(layout.right));
  if (to <= from) return null;
  const first = Math.floor((from - start) / size);
  const last = Math.min(Math.ceil((to - start) / size), first + limit);
  return [first, last];
}

/**
 * Calls draw(start, end) for each visible repetition of a repeating row; when repetitions are
 * closer than a few pixels, once for the whole stretch with `band` set.
 */
export function eachRepetition(
  frame: Frame,
  start: number,
  size: number,
  period: number,
  repeat: number,
  draw: (start: number, end: number, band: boolean) => void,
): void {
  if (repeat <= 1) {
    draw(start, start + size, false);
    return;
  }
  const end = start + (repeat - 1) * period + size;
  const s = span(frame, start, end);
  if (!s) return;
  if ((s[1] - s[0]) / repeat < DETAIL_PX) {
    draw(start, end, true);
    return;
  }
  const range = visibleUnits(frame, start, start + repeat * period, period);
  if (!range) return;
  for (let k = range[0]; k < Math.min(range[1], repeat); k++)
    draw(start + k * period, start + k * period + size, false);
}
