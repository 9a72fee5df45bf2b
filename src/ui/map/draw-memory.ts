/** The node band and the memory track: blocks by zone and state, grids by level of detail, self-hosted memmap. */
import { ZONE_CODES } from '../../engine/columns.ts';
import { DETAIL_PX, fillSpan, hatch, span, visibleUnits, type Frame } from './draw-kit.ts';
import { trackById, type Track } from './geometry.ts';
import { nodeColor } from './palette.ts';

export function drawNodes(frame: Frame): void {
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

export function drawMemory(frame: Frame): void {
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
