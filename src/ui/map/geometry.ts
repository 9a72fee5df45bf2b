/**
 * Map geometry: the physical address axis and the tracks drawn along it.
 *
 * The axis is broken: every stretch of present memory (boot RAM, memory blocks, device ranges)
 * gets width in proportion to its size, and each hole between them a fixed narrow gap, so a
 * device at the top of a 64 TiB address space does not shrink the rest to nothing. d3's
 * polylinear scale does the piecewise mapping; zooming rescales its range.
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

export interface Track {
  id: 'nodes' | 'memory' | 'memmap' | 'allocations' | 'windows';
  label: string;
  y: number;
  height: number;
}

export interface Layout {
  width: number;
  height: number;
  left: number;
  right: number;
  axisTop: number;
  axisBottom: number;
  tracks: Track[];
}

/** Tracks from top to bottom; the memmap track sits below memory so links read downward. */
export function layoutFor(width: number, height: number, showWindows: boolean): Layout {
  const left = 12;
  const right = width - 12;
  const axisTop = 34;
  const axisBottom = height - 30;
  const specs: [Track['id'], string, number][] = [
    ['nodes', 'NUMA nodes', 16],
    ['memory', 'Memory blocks (zone, state)', 0],
    ['memmap', 'Where struct pages live', 34],
    ['allocations', 'Kernel allocations and huge pages', 20],
  ];
  if (showWindows) specs.push(['windows', '1 GiB windows', 22]);
  const fixed = specs.reduce((sum, [, , h]) => sum + h, 0);
  const labelGap = 14;
  const free0 = axisBottom - axisTop - fixed - labelGap * specs.length;
  // The memory track takes what is left up to 160 px; the links between memory and struct pages get the rest.
  const linkGap = Math.max(40, free0 - Math.min(160, Math.max(40, free0 - 70)));
  const free = free0 - linkGap;
  const tracks: Track[] = [];
  let y = axisTop + 6;
  for (const [id, label, fixedHeight] of specs) {
    y += labelGap;
    const height = fixedHeight || Math.max(40, Math.min(160, free));
    tracks.push({ id, label, y, height });
    y += height + (id === 'memory' ? linkGap : 0);
  }
  return { width, height, left, right, axisTop, axisBottom, tracks };
}

export const trackById = (layout: Layout, id: Track['id']) =>
  layout.tracks.find((track) => track.id === id);

const UNITS: [number, string][] = [
  [1024 ** 5, 'P'],
  [1024 ** 4, 'T'],
  [1024 ** 3, 'G'],
  [1024 ** 2, 'M'],
  [1024, 'K'],
];

/** Address label in binary units: 6G, 6.5G, 1536M. */
export function addressLabel(addr: number): string {
  if (addr === 0) return '0';
  for (const [unit, suffix] of UNITS) {
    if (addr >= unit && Number.isInteger((addr / unit) * 8))
      return `${+(addr / unit).toFixed(3)}${suffix}`;
  }
  return `0x${addr.toString(16)}`;
}

export interface Tick {
  addr: number;
  x: number;
}

/**
 * Ticks at power-of-two addresses, at least `minSpacing` px apart, inside each visible segment
 * (a polylinear scale's own ticks would land in the holes).
 */
export function ticksFor(
  scale: ScaleLinear<number, number>,
  segments: readonly Segment[],
  left: number,
  right: number,
  minSpacing = 90,
): Tick[] {
  const ticks: Tick[] = [];
  for (const segment of segments) {
    const x0 = scale(segment.start);
    const x1 = scale(segment.end);
    if (x1 < left || x0 > right || x1 - x0 < 1) continue;
    const bytesPerPx = (segment.end - segment.start) / (x1 - x0);
    let step = 4096;
    while (step * 2 <= 2 ** 62 && step / bytesPerPx < minSpacing) step *= 2;
    const visibleStart = Math.max(segment.start, scale.invert(Math.max(left, x0)));
    const visibleEnd = Math.min(segment.end, scale.invert(Math.min(right, x1)));
    for (
      let addr = Math.ceil(visibleStart / step) * step;
      addr <= visibleEnd && ticks.length < 400;
      addr += step
    ) {
      const x = scale(addr);
      const last = ticks[ticks.length - 1];
      if (!last || x - last.x >= minSpacing * 0.6) ticks.push({ addr, x });
    }
  }
  return ticks;
}
