/**
 * Draws one frame of the map. Everything comes from the engine's columns; these files only decide
 * how runs look at the current zoom (level of detail): at full view whole runs, then single
 * blocks, sections, pageblocks and pages as they grow wider than a few pixels. Only what is
 * visible is iterated, so a million blocks cost what fits on the screen.
 */
import type { Frame } from './draw-kit.ts';
import { drawAllocations, drawLinks, drawMemmapHosts, drawWindows } from './draw-memmap.ts';
import { drawMemory, drawNodes } from './draw-memory.ts';
import { addressLabel, ticksFor, trackById } from './geometry.ts';

export type { Frame } from './draw-kit.ts';

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
