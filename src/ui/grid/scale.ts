/**
 * The overview's address axis. It is broken: every stretch of present memory (boot RAM, memory
 * blocks, device ranges) gets width in proportion to its size, and each hole between them a
 * fixed narrow gap, so a device at the top of a 64 TiB address space does not shrink the rest to
 * nothing. d3's polylinear scale does the piecewise mapping.
 */
import { scaleLinear, type ScaleLinear } from 'd3-scale';
import type { MapColumns } from '../../engine/columns.ts';

export interface Segment {
  start: number;
  end: number;
}

export const HOLE_PX = 18;

/** Merges present ranges (blocks and devices) into sorted, disjoint segments. */
export function segmentsOf(columns: MapColumns, blockSize: number): Segment[] {
  const ranges: Segment[] = [];
  const { blocks, devices } = columns;
  for (let i = 0; i < blocks.count; i++)
    ranges.push({ start: blocks.start[i]!, end: blocks.start[i]! + blocks.blocks[i]! * blockSize });
  for (let i = 0; i < devices.count; i++)
    ranges.push({ start: devices.start[i]!, end: devices.start[i]! + devices.size[i]! });
  ranges.sort((a, b) => a.start - b.start);
  const merged: Segment[] = [];
  for (const range of ranges) {
    const last = merged[merged.length - 1];
    if (last && range.start <= last.end) last.end = Math.max(last.end, range.end);
    else merged.push({ ...range });
  }
  return merged;
}

/** A scale from physical address to x in [left, right], holes squeezed to HOLE_PX. */
export function addressScale(
  segments: readonly Segment[],
  left: number,
  right: number,
): ScaleLinear<number, number> {
  if (segments.length === 0) return scaleLinear().domain([0, 1]).range([left, right]);
  const gaps = segments.length - 1;
  const usable = Math.max(1, right - left - gaps * HOLE_PX);
  const total = segments.reduce((sum, s) => sum + (s.end - s.start), 0);
  const domain: number[] = [];
  const range: number[] = [];
  let x = left;
  segments.forEach((segment, i) => {
    if (i > 0) x += HOLE_PX;
    domain.push(segment.start, segment.end);
    range.push(x, (x += ((segment.end - segment.start) / total) * usable));
  });
  return scaleLinear().domain(domain).range(range).clamp(false);
}
