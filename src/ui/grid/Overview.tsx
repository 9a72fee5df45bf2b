/**
 * The overview strip above the grid: the whole physical address space on one line (holes
 * squeezed to a fixed gap, so a device far away still shows), node by node, with the part the
 * grid shows marked. A click or a drag there moves the grid to that memory.
 */
import { useCallback, useEffect, useMemo, useRef } from 'react';
import { sideColumns, sideResult, type SideName } from '../edited.ts';
import { hex } from '../../engine/units.ts';
import { addressScale, segmentsOf, type Segment } from './scale.ts';
import { useApp, useAppStoreApi } from '../store-context.tsx';
import { gridPalette, nodeColor } from './palette.ts';
import { slotOf, type GridLayout } from './layout.ts';

const HEIGHT = 34;

export function Overview({
  layout,
  side = 'a',
  width: viewWidth,
}: {
  layout: GridLayout | null;
  side?: SideName;
  /** The map's width (measured by its ResizeObserver): reading clientWidth here would force a layout. */
  width: number;
}) {
  const store = useAppStoreApi();
  const columns = useApp(useMemo(() => sideColumns(side), [side]));
  const result = useApp(useMemo(() => sideResult(side), [side]));
  const window = useApp((s) => s.view.window);
  const canvasRef = useRef<HTMLCanvasElement>(null);
  const segments = useRef<Segment[]>([]);

  const scaleFor = useCallback((width: number) => addressScale(segments.current, 8, width - 8), []);

  useEffect(() => {
    const canvas = canvasRef.current;
    if (!canvas || !columns || !result || !layout) return;
    const width = viewWidth;
    const dpr = globalThis.devicePixelRatio || 1;
    // Resizing a canvas reallocates it: only when the size really changed.
    if (canvas.width !== Math.round(width * dpr)) canvas.width = Math.round(width * dpr);
    if (canvas.height !== Math.round(HEIGHT * dpr)) canvas.height = Math.round(HEIGHT * dpr);
    const ctx = canvas.getContext('2d');
    if (!ctx) return;
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    const palette = gridPalette(
      globalThis.matchMedia?.('(prefers-color-scheme: dark)').matches ?? false,
    );
    segments.current = segmentsOf(columns, result.resolved.blockSize);
    const scale = scaleFor(width);
    ctx.fillStyle = palette.background;
    ctx.fillRect(0, 0, width, HEIGHT);
    for (const band of layout.bands) {
      const x0 = scale(band.startAddr);
      const x1 = scale(band.endAddr);
      ctx.fillStyle = nodeColor(palette, band.node);
      ctx.globalAlpha = band.device ? 0.45 : 0.8;
      ctx.fillRect(x0, 8, Math.max(2, x1 - x0), 14);
      ctx.globalAlpha = 1;
    }
    for (let i = 1; i < segments.current.length; i++) {
      const x = scale(segments.current[i - 1]!.end);
      ctx.fillStyle = palette.muted;
      ctx.fillRect(x + 4, 14, 10, 2);
    }
    const shown = window ?? {
      start: segments.current[0]?.start ?? 0,
      end: segments.current.at(-1)?.end ?? 1,
    };
    const x0 = scale(shown.start);
    const x1 = scale(shown.end);
    ctx.strokeStyle = palette.text;
    ctx.lineWidth = 2;
    ctx.strokeRect(x0, 5, Math.max(4, x1 - x0), 20);
    ctx.fillStyle = palette.muted;
    ctx.font = '10px ui-monospace, monospace';
    ctx.textBaseline = 'alphabetic';
    ctx.textAlign = 'left';
    ctx.fillText(hex(segments.current[0]?.start ?? 0), 8, HEIGHT - 1);
    ctx.textAlign = 'right';
    ctx.fillText(hex((segments.current.at(-1)?.end ?? 1) - 1), width - 8, HEIGHT - 1);
  }, [columns, result, layout, window, scaleFor, viewWidth]);

  const moveTo = (clientX: number) => {
    const canvas = canvasRef.current;
    if (!canvas || !layout || segments.current.length === 0) return;
    const rect = canvas.getBoundingClientRect();
    const addr = scaleFor(rect.width).invert(clientX - rect.left);
    const slot = slotOf(layout, addr) ?? nearestSlot(layout, addr);
    if (slot) store.getState().setView({ window: { start: slot.startAddr, end: slot.endAddr } });
  };

  return (
    <canvas
      ref={canvasRef}
      className="grid-overview"
      height={HEIGHT}
      aria-label="Overview of the physical address space: click or drag to move the map there"
      role="img"
      data-testid="overview"
      onPointerDown={(event) => {
        event.currentTarget.setPointerCapture(event.pointerId);
        moveTo(event.clientX);
      }}
      onPointerMove={(event) => {
        if (event.buttons) moveTo(event.clientX);
      }}
    />
  );
}

function nearestSlot(layout: GridLayout, addr: number) {
  let best = layout.slots[0] ?? null;
  for (const slot of layout.slots) if (slot.startAddr <= addr) best = slot;
  return best;
}
