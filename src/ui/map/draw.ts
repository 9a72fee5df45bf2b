/**
 * Draws one frame of the map. Everything comes from the engine's columns; this file only decides
 * how runs look at the current zoom (level of detail): at full view whole runs, then single
 * blocks, sections, pageblocks and pages as they grow wider than a few pixels. Only what is
 * visible is iterated, so a million blocks cost what fits on the screen.
 */
import type { ScaleLinear } from 'd3-scale';
import {
  REGION_KINDS,
  WINDOW_STATUSES,
  ZONE_CODES,
  type MapColumns,
} from '../../engine/columns.ts';
import {
  addressLabel,
  ticksFor,
  trackById,
  type Layout,
  type Segment,
  type Track,
} from './geometry.ts';
import { nodeColor, type Palette } from './palette.ts';

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

const MIN_FEATURE_PX = 1.5;
const DETAIL_PX = 3;

function span(frame: Frame, start: number, end: number): [number, number] | null {
  const { scale, layout } = frame;
  const x0 = scale(start);
  const x1 = scale(end);
  if (x1 < layout.left || x0 > layout.right) return null;
  return [x0, x1];
}

function fillSpan(
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

function hatch(frame: Frame, track: Track, x0: number, x1: number, color: string): void {
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
function visibleUnits(
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

function drawAxes(frame: Frame): void {
  const { ctx, layout, scale, segments, palette, pageSize } = frame;
  ctx.font = '11px system-ui, sans-serif';
  ctx.fillStyle = palette.muted;
  ctx.strokeStyle = palette.grid;
  ctx.textAlign = 'center';
  ctx.textBaseline = 'alphabetic';
  const ticks = ticksFor(scale, segments, layout.left, layout.right, 110);
  ctx.beginPath();
  for (const tick of ticks) {
    ctx.moveTo(tick.x + 0.5, layout.axisTop - 4);
    ctx.lineTo(tick.x + 0.5, layout.axisBottom + 4);
  }
  ctx.globalAlpha = 0.5;
  ctx.stroke();
  ctx.globalAlpha = 1;
  // At fine zoom binary units stop being readable; kernel people read hex addresses there.
  const fine = ticks.length > 1 && ticks[1]!.addr - ticks[0]!.addr < 1024 * 1024;
  let topRight = -Infinity;
  let bottomRight = -Infinity;
  for (const tick of ticks) {
    const top = fine ? `0x${tick.addr.toString(16)}` : addressLabel(tick.addr);
    const bottom = `pfn 0x${(tick.addr / pageSize).toString(16)}`;
    const width = Math.max(ctx.measureText(top).width, ctx.measureText(bottom).width);
    // Labels near the edges align inward so they are not cut off; overlapping ones are skipped.
    const align =
      tick.x < layout.left + width / 2
        ? 'left'
        : tick.x > layout.right - width / 2
          ? 'right'
          : 'center';
    const from =
      align === 'left' ? tick.x : align === 'right' ? tick.x - width : tick.x - width / 2;
    ctx.textAlign = align;
    if (from > topRight + 8) {
      ctx.fillText(top, tick.x, layout.axisTop - 8);
      topRight = from + ctx.measureText(top).width;
    }
    if (from > bottomRight + 8) {
      ctx.fillText(bottom, tick.x, layout.axisBottom + 18);
      bottomRight = from + ctx.measureText(bottom).width;
    }
  }
  ctx.textAlign = 'left';
  ctx.fillText('physical address', layout.left, 12);
  // Holes: a break mark and a label.
  for (let i = 1; i < segments.length; i++) {
    const x0 = scale(segments[i - 1]!.end);
    const x1 = scale(segments[i]!.start);
    if (x1 < layout.left || x0 > layout.right) continue;
    const mid = (x0 + x1) / 2;
    ctx.strokeStyle = palette.hole;
    ctx.beginPath();
    for (let y = layout.axisTop; y < layout.axisBottom; y += 8) {
      ctx.moveTo(mid - 3, y);
      ctx.lineTo(mid + 3, y + 4);
      ctx.lineTo(mid - 3, y + 8);
    }
    ctx.stroke();
  }
}

function drawTrackLabels(frame: Frame): void {
  const { ctx, layout, palette } = frame;
  ctx.font = '600 11px system-ui, sans-serif';
  ctx.fillStyle = palette.muted;
  ctx.textAlign = 'left';
  for (const track of layout.tracks) ctx.fillText(track.label, layout.left, track.y - 3);
}

function drawNodes(frame: Frame): void {
  const track = trackById(frame.layout, 'nodes');
  if (!track) return;
  const { blocks, devices } = frame.columns;
  const { ctx } = frame;
  const label = (x0: number, x1: number, node: number) => {
    if (x1 - x0 < 44) return;
    ctx.fillStyle = frame.palette.text;
    ctx.font = '10px system-ui, sans-serif';
    ctx.textAlign = 'center';
    const x = (Math.max(frame.layout.left, x0) + Math.min(frame.layout.right, x1)) / 2;
    ctx.fillText(`node ${node}`, x, track.y + track.height - 4);
  };
  let runStart = -1;
  let runNode = -1;
  let runEnd = 0;
  const flush = () => {
    if (runStart < 0) return;
    const s = span(frame, runStart, runEnd);
    if (s) {
      fillSpan(frame, track, s[0], s[1], nodeColor(runNode, frame.dark));
      label(s[0], s[1], runNode);
    }
  };
  for (let i = 0; i < blocks.count; i++) {
    const start = blocks.start[i]!;
    const end = start + blocks.blocks[i]! * frame.blockSize;
    if (blocks.node[i] === runNode && start === runEnd) {
      runEnd = end;
      continue;
    }
    flush();
    runStart = start;
    runEnd = end;
    runNode = blocks.node[i]!;
  }
  flush();
  for (let i = 0; i < devices.count; i++) {
    const s = span(frame, devices.start[i]!, devices.start[i]! + devices.size[i]!);
    if (s) fillSpan(frame, track, s[0], s[1], nodeColor(devices.node[i]!, frame.dark));
  }
}

/** Grid lines of the finest units that are at least 6 px apart: blocks, sections, pageblocks, pages. */
function drawGrid(frame: Frame, track: Track, start: number, end: number): void {
  const { ctx, scale, palette } = frame;
  const bytesPerPx = (end - start) / Math.max(1e-9, scale(end) - scale(start));
  const units = [frame.blockSize, frame.sectionSize, frame.pageblockSize, frame.pageSize];
  ctx.strokeStyle = palette.grid;
  for (const unit of units) {
    const px = unit / bytesPerPx;
    if (px < 6) break;
    const range = visibleUnits(frame, start, end, unit, 2000);
    if (!range) continue;
    ctx.globalAlpha = unit === frame.blockSize ? 0.9 : unit === frame.pageSize ? 0.35 : 0.55;
    ctx.beginPath();
    for (let k = range[0]; k <= range[1]; k++) {
      const x = Math.round(scale(start + k * unit)) + 0.5;
      ctx.moveTo(x, track.y);
      ctx.lineTo(x, track.y + track.height);
    }
    ctx.stroke();
  }
  ctx.globalAlpha = 1;
}

function drawMemory(frame: Frame): void {
  const track = trackById(frame.layout, 'memory');
  if (!track) return;
  const { blocks, devices } = frame.columns;
  const { palette, blockSize } = frame;
  for (let i = 0; i < blocks.count; i++) {
    const start = blocks.start[i]!;
    const end = start + blocks.blocks[i]! * blockSize;
    const s = span(frame, start, end);
    if (!s) continue;
    const online = blocks.online[i] === 1;
    const zone = ZONE_CODES[blocks.zone[i]!];
    fillSpan(
      frame,
      track,
      s[0],
      s[1],
      online && zone ? (palette.zone[zone] ?? palette.offline) : palette.offline,
    );
    if (!online) hatch(frame, track, s[0], s[1], palette.hole);
    const memmapBytes = blocks.memmapBytes[i]!;
    if (memmapBytes > 0) drawSelfHosted(frame, track, i, start, end, s);
    drawGrid(frame, track, start, end);
  }
  for (let i = 0; i < devices.count; i++) {
    const s = span(frame, devices.start[i]!, devices.start[i]! + devices.size[i]!);
    if (!s) continue;
    fillSpan(frame, track, s[0], s[1], palette.zone.Device ?? palette.offline);
    hatch(frame, track, s[0], s[1], palette.panel);
    drawGrid(frame, track, devices.start[i]!, devices.start[i]! + devices.size[i]!);
  }
}

/** Self-hosted memmap at the start of each block: per block when blocks are wide, a band when not. */
function drawSelfHosted(
  frame: Frame,
  track: Track,
  i: number,
  start: number,
  end: number,
  s: [number, number],
): void {
  const { blocks } = frame.columns;
  const { palette, blockSize, scale } = frame;
  const memmapBytes = blocks.memmapBytes[i]!;
  const wasteBytes = blocks.wasteBytes[i]!;
  const blockPx = (s[1] - s[0]) / blocks.blocks[i]!;
  if (blockPx < DETAIL_PX && memmapBytes < blockSize) {
    // Blocks too narrow to show each memmap: a striped band along the top says "a slice of every
    // block here is memmap" without painting the blocks themselves orange.
    const band = Math.max(4, track.height * 0.16);
    const { ctx } = frame;
    ctx.save();
    ctx.beginPath();
    ctx.rect(
      Math.max(frame.layout.left, s[0]),
      track.y,
      Math.min(frame.layout.right, s[1]) - Math.max(frame.layout.left, s[0]),
      band,
    );
    ctx.clip();
    ctx.strokeStyle = palette.memmapSelf;
    ctx.lineWidth = 2;
    ctx.beginPath();
    for (
      let x = Math.max(frame.layout.left, s[0]) - band;
      x < Math.min(frame.layout.right, s[1]);
      x += 4
    ) {
      ctx.moveTo(x, track.y + band);
      ctx.lineTo(x + band, track.y);
    }
    ctx.stroke();
    ctx.restore();
    ctx.lineWidth = 1;
    return;
  }
  const range = visibleUnits(frame, start, end, blockSize);
  if (!range) return;
  for (let k = range[0]; k < range[1]; k++) {
    const blockStart = start + k * blockSize;
    const x0 = scale(blockStart);
    const used = memmapBytes - wasteBytes;
    fillSpan(frame, track, x0, scale(blockStart + used), palette.memmapSelf);
    if (wasteBytes > 0)
      fillSpan(
        frame,
        track,
        scale(blockStart + used),
        scale(blockStart + memmapBytes),
        palette.memmapWaste,
      );
  }
}

function drawMemmapHosts(frame: Frame): void {
  const track = trackById(frame.layout, 'memmap');
  if (!track) return;
  const { memmap } = frame.columns;
  const { palette, blockSize, scale } = frame;
  for (let i = 0; i < memmap.count; i++) {
    const host = memmap.host[i]!;
    const color =
      host === 0
        ? memmap.kind[i] === 0
          ? palette.memmapBoot
          : palette.memmapRam
        : host === 2
          ? palette.memmapDevice
          : palette.memmapSelf;
    if (memmap.perBlock[i]) {
      const start = memmap.describesStart[i]!;
      const end = start + memmap.describesSize[i]!;
      const s = span(frame, start, end);
      if (!s) continue;
      const blockPx = (s[1] - s[0]) / (memmap.describesSize[i]! / blockSize);
      if (blockPx < DETAIL_PX) {
        fillSpan(frame, track, s[0], s[1], color, track.height * 0.25, track.height * 0.5);
        continue;
      }
      const range = visibleUnits(frame, start, end, blockSize);
      if (!range) continue;
      for (let k = range[0]; k < range[1]; k++) {
        const x0 = scale(start + k * blockSize);
        fillSpan(frame, track, x0, scale(start + k * blockSize + memmap.perBlockSize[i]!), color);
      }
      continue;
    }
    const s = span(frame, memmap.hostStart[i]!, memmap.hostStart[i]! + memmap.hostSize[i]!);
    if (!s) continue;
    fillSpan(frame, track, s[0], s[1], color);
    if (memmap.hostNode[i] !== memmap.describesNode[i]) {
      frame.ctx.strokeStyle = palette.offNode;
      frame.ctx.lineWidth = 2;
      frame.ctx.strokeRect(
        Math.max(frame.layout.left, s[0]) - 1,
        track.y - 1,
        Math.max(3, s[1] - s[0]) + 2,
        track.height + 2,
      );
      frame.ctx.lineWidth = 1;
    }
  }
}

/** Bands from the memory a RAM-hosted memmap describes down to where it landed; off-node ones stand out. */
function drawLinks(frame: Frame): void {
  const memory = trackById(frame.layout, 'memory');
  const hosts = trackById(frame.layout, 'memmap');
  if (!memory || !hosts) return;
  const { memmap } = frame.columns;
  const { ctx, scale, palette, layout } = frame;
  const yTop = memory.y + memory.height;
  const yBottom = hosts.y;
  for (let i = 0; i < memmap.count; i++) {
    if (memmap.host[i] === 1) continue;
    const d0 = scale(memmap.describesStart[i]!);
    const d1 = Math.max(d0 + 1, scale(memmap.describesStart[i]! + memmap.describesSize[i]!));
    const h0 = scale(memmap.hostStart[i]!);
    const h1 = Math.max(h0 + 1.5, scale(memmap.hostStart[i]! + memmap.hostSize[i]!));
    if (Math.max(d1, h1) < layout.left || Math.min(d0, h0) > layout.right) continue;
    const offNode = memmap.hostNode[i] !== memmap.describesNode[i];
    const boot = memmap.kind[i] === 0;
    const mid = (yTop + yBottom) / 2;
    ctx.beginPath();
    ctx.moveTo(d0, yTop);
    ctx.bezierCurveTo(d0, mid, h0, mid, h0, yBottom);
    ctx.lineTo(h1, yBottom);
    ctx.bezierCurveTo(h1, mid, d1, mid, d1, yTop);
    ctx.closePath();
    ctx.fillStyle = boot ? palette.memmapBoot : palette.memmapRam;
    ctx.globalAlpha = offNode ? 0.45 : boot ? 0.07 : 0.22;
    ctx.fill();
    ctx.globalAlpha = 1;
    if (offNode) {
      // A solid outline: dashed curves are very slow to rasterise without a GPU.
      ctx.strokeStyle = palette.offNode;
      ctx.lineWidth = 2;
      ctx.stroke();
      ctx.lineWidth = 1;
    }
  }
}

function drawAllocations(frame: Frame): void {
  const track = trackById(frame.layout, 'allocations');
  if (!track) return;
  const { regions } = frame.columns;
  const { palette } = frame;
  for (let i = 0; i < regions.count; i++) {
    const kind = REGION_KINDS[regions.kind[i]!];
    if (kind === 'memmap' || kind === 'boot-memmap') continue;
    const s = span(frame, regions.start[i]!, regions.start[i]! + regions.size[i]!);
    if (!s) continue;
    const color =
      kind === 'hugetlb'
        ? regions.pageSize[i]! >= frame.windowSize
          ? palette.gigantic
          : palette.huge
        : kind === 'consume'
          ? palette.consume
          : kind === 'boot-used'
            ? palette.bootUsed
            : palette.kernel;
    fillSpan(frame, track, s[0], s[1], color);
  }
}

const WINDOW_FILL: Record<string, keyof Palette> = {
  possible: 'windowPossible',
  allocated: 'gigantic',
  memmap: 'memmapSelf',
  movable: 'zone',
  boot: 'bootUsed',
  kernel: 'kernel',
  'in-use': 'huge',
};

function drawWindows(frame: Frame): void {
  const track = trackById(frame.layout, 'windows');
  if (!track) return;
  const { windows } = frame.columns;
  const { ctx, palette, scale, windowSize } = frame;
  for (let i = 0; i < windows.count; i++) {
    const status = WINDOW_STATUSES[windows.status[i]!]!;
    if (status === 'offline' || status === 'mixed') continue;
    const start = windows.start[i]!;
    const end = start + windows.windows[i]! * windowSize;
    const s = span(frame, start, end);
    if (!s) continue;
    const key = WINDOW_FILL[status] ?? 'windowBlocked';
    const color =
      key === 'zone' ? (palette.zone.Movable ?? palette.windowBlocked) : (palette[key] as string);
    const cellPx = (s[1] - s[0]) / windows.windows[i]!;
    if (cellPx < 4) {
      ctx.globalAlpha = status === 'possible' || status === 'allocated' ? 1 : 0.55;
      fillSpan(frame, track, s[0], s[1], color);
      ctx.globalAlpha = 1;
      continue;
    }
    const range = visibleUnits(frame, start, end, windowSize);
    if (!range) continue;
    for (let k = range[0]; k < range[1]; k++) {
      const x0 = scale(start + k * windowSize) + 1;
      const x1 = scale(start + (k + 1) * windowSize) - 1;
      if (status === 'possible') {
        ctx.strokeStyle = color;
        ctx.lineWidth = 2;
        ctx.strokeRect(x0 + 1, track.y + 1, x1 - x0 - 2, track.height - 2);
        ctx.lineWidth = 1;
      } else {
        ctx.globalAlpha = status === 'allocated' ? 1 : 0.55;
        fillSpan(frame, track, x0, x1, color);
        ctx.globalAlpha = 1;
        if (status !== 'allocated' && x1 - x0 > 10) {
          ctx.strokeStyle = palette.windowBlocked;
          ctx.beginPath();
          ctx.moveTo(x0 + 3, track.y + 3);
          ctx.lineTo(x1 - 3, track.y + track.height - 3);
          ctx.moveTo(x1 - 3, track.y + 3);
          ctx.lineTo(x0 + 3, track.y + track.height - 3);
          ctx.stroke();
        }
      }
    }
  }
}

function drawCursor(frame: Frame, addr: number | null, color: string): void {
  if (addr === null) return;
  const { ctx, scale, layout } = frame;
  const x = scale(addr);
  if (x < layout.left || x > layout.right) return;
  ctx.strokeStyle = color;
  ctx.lineWidth = 1.5;
  ctx.beginPath();
  ctx.moveTo(x, layout.axisTop);
  ctx.lineTo(x, layout.axisBottom);
  ctx.stroke();
  const host = frame.structPageOf(addr);
  const memory = trackById(layout, 'memory');
  const hosts = trackById(layout, 'memmap');
  if (host !== null && memory && hosts) {
    const hx = scale(host);
    const y0 = memory.y + memory.height / 2;
    const y1 = hosts.y + hosts.height / 2;
    ctx.beginPath();
    ctx.moveTo(x, y0);
    ctx.bezierCurveTo(x, (y0 + y1) / 2, hx, (y0 + y1) / 2, hx, y1);
    ctx.stroke();
    ctx.beginPath();
    ctx.arc(hx, y1, 4, 0, Math.PI * 2);
    ctx.fillStyle = color;
    ctx.fill();
  }
  ctx.lineWidth = 1;
}

export function drawFrame(frame: Frame): void {
  const { ctx, layout, palette } = frame;
  ctx.fillStyle = palette.panel;
  ctx.fillRect(0, 0, layout.width, layout.height);
  drawAxes(frame);
  // Everything on the address axis stays inside the plot, however far off-screen it starts.
  ctx.save();
  ctx.beginPath();
  ctx.rect(
    layout.left,
    layout.axisTop - 2,
    layout.right - layout.left,
    layout.axisBottom - layout.axisTop + 4,
  );
  ctx.clip();
  drawNodes(frame);
  drawMemory(frame);
  drawLinks(frame);
  drawMemmapHosts(frame);
  drawAllocations(frame);
  if (frame.showWindows) drawWindows(frame);
  drawCursor(frame, frame.selection, palette.selection);
  drawCursor(frame, frame.hover, palette.hover);
  ctx.restore();
  drawTrackLabels(frame);
}
