/**
 * The zoomable map: one canvas, one requestAnimationFrame loop, d3-zoom for mouse, touch and
 * wheel, keys for everything else. Zoom and hover never go through React renders: they live in
 * refs and the store is only told what it keeps (the zoom window, the hovered address).
 */
import { select } from 'd3-selection';
import { zoom as d3zoom, zoomIdentity, type ZoomBehavior, type ZoomTransform } from 'd3-zoom';
import { useCallback, useEffect, useRef } from 'react';
import { inspectAddress } from '../../engine/inspect.ts';
import { useApp, useAppStoreApi } from '../store-context.tsx';
import { drawFrame, type Frame } from './draw.ts';
import { addressScale, layoutFor, segmentsOf, trackById, type Segment } from './geometry.ts';
import { readPalette, type Palette } from './palette.ts';

const TRANSITION_MS = 500;
const ease = (t: number) => (t < 0.5 ? 4 * t * t * t : 1 - (-2 * t + 2) ** 3 / 2);

interface Transition {
  start: number;
  /** What was on screen, faded out; null when the axis changed (old positions mean nothing). */
  snapshot: HTMLCanvasElement | null;
}

export function MapCanvas() {
  const store = useAppStoreApi();
  const columns = useApp((s) => s.sim.columns);
  const result = useApp((s) => s.sim.result);
  const version = useApp((s) => s.sim.version);
  const showWindows = useApp((s) => s.view.gigantic);
  const containerRef = useRef<HTMLDivElement>(null);
  const canvasRef = useRef<HTMLCanvasElement>(null);
  const size = useRef({ width: 800, height: 400, dpr: 1 });
  const transform = useRef<ZoomTransform>(zoomIdentity);
  const zoomBehavior = useRef<ZoomBehavior<HTMLCanvasElement, unknown> | null>(null);
  const palette = useRef<Palette | null>(null);
  const dark = useRef(false);
  const frameRequested = useRef(false);
  const transition = useRef<Transition | null>(null);
  const segments = useRef<Segment[]>([]);
  const windowRestored = useRef(false);
  const reducedMotion = useRef(false);
  const lastPaintedVersion = useRef(-1);

  const baseScale = useCallback(() => {
    const layout = layoutFor(
      size.current.width,
      size.current.height,
      store.getState().view.gigantic,
    );
    return { layout, base: addressScale(segments.current, layout.left, layout.right) };
  }, [store]);

  const draw = useCallback(() => {
    frameRequested.current = false;
    const canvas = canvasRef.current;
    const state = store.getState();
    const { columns: cols, result: res } = state.sim;
    if (!canvas || !cols || !res || !palette.current) return;
    const ctx = canvas.getContext('2d');
    if (!ctx) return;
    const { width, height, dpr } = size.current;
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    const { layout, base } = baseScale();
    const scale = transform.current.rescaleX(base);
    const frame: Frame = {
      ctx,
      layout,
      scale,
      segments: segments.current,
      columns: cols,
      blockSize: res.resolved.blockSize,
      sectionSize: res.resolved.sectionSize,
      pageblockSize: res.resolved.pageblockSize,
      pageSize: res.resolved.pageSize,
      windowSize: Math.max(...res.resolved.hugePageSizes),
      palette: palette.current,
      dark: dark.current,
      showWindows: state.view.gigantic,
      hover: state.hover,
      selection: state.view.selection,
      structPageOf: (addr) => inspectAddress(cols, res.resolved, addr).structPage?.addr ?? null,
    };
    const drawStart = performance.now();
    drawFrame(frame);
    canvas.dataset.drawMs = (performance.now() - drawStart).toFixed(1);
    // State for tests and tools: what this frame shows.
    canvas.dataset.painted = String(state.sim.version);
    canvas.dataset.tracks = layout.tracks.map((track) => track.id).join(' ');
    canvas.dataset.zoom = transform.current.k.toFixed(3);
    if (!performance.getEntriesByName('map-first-paint').length)
      performance.mark('map-first-paint');
    if (lastPaintedVersion.current !== state.sim.version) {
      // One mark per new result painted: what the UI benchmark times a toggle against.
      lastPaintedVersion.current = state.sim.version;
      performance.clearMarks('map-paint');
      performance.mark('map-paint');
    }
    const running = transition.current;
    if (running) {
      const t = Math.min(1, (performance.now() - running.start) / TRANSITION_MS);
      const k = ease(t);
      ctx.globalAlpha = 1 - k;
      if (running.snapshot) ctx.drawImage(running.snapshot, 0, 0, width, height);
      ctx.globalAlpha = 1;
      drawMovingChunks(frame, k);
      if (t < 1) {
        frameRequested.current = true;
        requestAnimationFrame(() => drawRef.current());
      } else transition.current = null;
    }
    canvas.dataset.animating = transition.current ? 'true' : 'false';
  }, [baseScale, store]);

  // The one requestAnimationFrame loop: every redraw request merges into the next frame.
  const drawRef = useRef(draw);
  useEffect(() => {
    drawRef.current = draw;
  }, [draw]);
  const requestFrame = useCallback(() => {
    if (frameRequested.current) return;
    frameRequested.current = true;
    requestAnimationFrame(() => drawRef.current());
  }, []);

  // Theme and motion preferences.
  useEffect(() => {
    const media = window.matchMedia('(prefers-color-scheme: dark)');
    const motion = window.matchMedia('(prefers-reduced-motion: reduce)');
    const update = () => {
      dark.current = media.matches;
      reducedMotion.current = motion.matches;
      if (containerRef.current) palette.current = readPalette(containerRef.current);
      requestFrame();
    };
    update();
    media.addEventListener('change', update);
    motion.addEventListener('change', update);
    return () => {
      media.removeEventListener('change', update);
      motion.removeEventListener('change', update);
    };
  }, [requestFrame]);

  // Size follows the container.
  useEffect(() => {
    const container = containerRef.current;
    const canvas = canvasRef.current;
    if (!container || !canvas) return;
    const observer = new ResizeObserver(() => {
      const rect = container.getBoundingClientRect();
      const dpr = window.devicePixelRatio || 1;
      const next = { width: Math.max(200, rect.width), height: Math.max(220, rect.height), dpr };
      const same =
        next.width === size.current.width &&
        next.height === size.current.height &&
        next.dpr === size.current.dpr;
      // Setting a canvas's size, even to the same value, reallocates and clears it: only on change.
      if (same && canvas.width > 0 && canvas.dataset.sized === 'true') return;
      size.current = next;
      canvas.width = Math.round(next.width * dpr);
      canvas.height = Math.round(next.height * dpr);
      canvas.style.width = `${next.width}px`;
      canvas.style.height = `${next.height}px`;
      canvas.dataset.sized = 'true';
      canvas.dataset.resizes = String(Number(canvas.dataset.resizes ?? 0) + 1);
      draw();
    });
    observer.observe(container);
    return () => observer.disconnect();
  }, [draw]);

  // New data: new segments, and a transition from what was on screen.
  useEffect(() => {
    if (!columns || !result) return;
    const canvas = canvasRef.current;
    const next = segmentsOf(columns, result.resolved.blockSize);
    const sameAxis =
      next.length === segments.current.length &&
      next.every(
        (s, i) => s.start === segments.current[i]!.start && s.end === segments.current[i]!.end,
      );
    if (canvas && version > 1 && !reducedMotion.current) {
      // Struct-page chunks always travel to where they land; the old frame fades out only when
      // the axis is the same (after an add the memory has moved on screen).
      let snapshot: HTMLCanvasElement | null = null;
      if (sameAxis) {
        snapshot = document.createElement('canvas');
        snapshot.width = canvas.width;
        snapshot.height = canvas.height;
        snapshot.getContext('2d')?.drawImage(canvas, 0, 0);
      }
      transition.current = { start: performance.now(), snapshot };
    }
    segments.current = next;
    if (!sameAxis && windowRestored.current) {
      transform.current = zoomIdentity;
      if (canvas) select(canvas).property('__zoom', zoomIdentity);
    }
    if (!windowRestored.current) {
      windowRestored.current = true;
      const window = store.getState().view.window;
      if (window && canvas && zoomBehavior.current) {
        const { layout, base } = baseScale();
        const x0 = base(window.start);
        const x1 = base(window.end);
        if (x1 > x0) {
          const k = (layout.right - layout.left) / (x1 - x0);
          const t = zoomIdentity.translate(layout.left - x0 * k, 0).scale(k);
          select(canvas).call(zoomBehavior.current.transform, t);
        }
      }
    }
    requestFrame();
  }, [columns, result, version, store, baseScale, requestFrame]);

  useEffect(() => requestFrame(), [showWindows, requestFrame]);

  // Hover and selection redraw without React.
  useEffect(
    () =>
      store.subscribe((state, previous) => {
        if (state.hover !== previous.hover || state.view.selection !== previous.view.selection)
          requestFrame();
      }),
    [store, requestFrame],
  );

  // d3-zoom on the x axis only; the kept window goes to the store when the gesture ends.
  useEffect(() => {
    const canvas = canvasRef.current;
    if (!canvas) return;
    let settle: ReturnType<typeof setTimeout> | undefined;
    const behavior = d3zoom<HTMLCanvasElement, unknown>()
      .scaleExtent([1, 2 ** 44])
      .on('zoom', (event: { transform: ZoomTransform }) => {
        transform.current = event.transform;
        transition.current = null;
        requestFrame();
        clearTimeout(settle);
        settle = setTimeout(() => {
          const { layout, base } = baseScale();
          const scale = event.transform.rescaleX(base);
          const identity = event.transform.k === 1 && event.transform.x === 0;
          store.getState().setView({
            window: identity
              ? null
              : {
                  start: Math.max(0, Math.floor(scale.invert(layout.left))),
                  end: Math.ceil(scale.invert(layout.right)),
                },
          });
        }, 250);
      });
    zoomBehavior.current = behavior;
    select(canvas).call(behavior).on('dblclick.zoom', null);
    return () => {
      clearTimeout(settle);
      select(canvas).on('.zoom', null);
    };
  }, [store, baseScale, requestFrame]);

  const addressAt = useCallback(
    (clientX: number): number | null => {
      const canvas = canvasRef.current;
      if (!canvas || segments.current.length === 0) return null;
      const x = clientX - canvas.getBoundingClientRect().left;
      const { base } = baseScale();
      const addr = transform.current.rescaleX(base).invert(x);
      return segments.current.some((s) => addr >= s.start && addr < s.end)
        ? Math.floor(addr)
        : null;
    },
    [baseScale],
  );

  const onKeyDown = (event: React.KeyboardEvent<HTMLCanvasElement>) => {
    const canvas = canvasRef.current;
    const behavior = zoomBehavior.current;
    if (!canvas || !behavior) return;
    const selection = select(canvas);
    const { layout } = baseScale();
    const center: [number, number] = [(layout.left + layout.right) / 2, layout.height / 2];
    const pan = (layout.right - layout.left) / 8;
    const actions: Record<string, () => void> = {
      ArrowLeft: () => selection.call(behavior.translateBy, pan / transform.current.k, 0),
      ArrowRight: () => selection.call(behavior.translateBy, -pan / transform.current.k, 0),
      '+': () => selection.call(behavior.scaleBy, 1.6, center),
      '=': () => selection.call(behavior.scaleBy, 1.6, center),
      '-': () => selection.call(behavior.scaleBy, 1 / 1.6, center),
      '0': () => selection.call(behavior.transform, zoomIdentity),
    };
    const action = actions[event.key];
    if (action) {
      event.preventDefault();
      action();
    }
  };

  return (
    <div className="map-canvas" ref={containerRef}>
      <canvas
        ref={canvasRef}
        tabIndex={0}
        role="application"
        aria-roledescription="memory map"
        aria-label="Physical memory map. Arrow keys pan, plus and minus zoom, 0 resets. The table view lists the same blocks."
        data-testid="memory-map"
        onKeyDown={onKeyDown}
        onPointerMove={(event) => {
          // While a drag pans the map the inspector would only flicker; it follows the pointer again after.
          if (event.buttons === 0) store.getState().setHover(addressAt(event.clientX));
        }}
        onPointerLeave={() => store.getState().setHover(null)}
        onClick={(event) =>
          store
            .getState()
            .setView({ selection: store.getState().hover ?? addressAt(event.clientX) })
        }
      />
    </div>
  );
}

/** Struct-page chunks travel from the memory they describe to where they land. */
function drawMovingChunks(frame: Frame, k: number): void {
  const memory = trackById(frame.layout, 'memory');
  const hosts = trackById(frame.layout, 'memmap');
  if (!memory || !hosts || k >= 1) return;
  const { memmap } = frame.columns;
  const { ctx, scale, palette } = frame;
  ctx.globalAlpha = 0.8 * (1 - k * 0.6);
  for (let i = 0; i < memmap.count; i++) {
    if (memmap.kind[i] === 0) continue;
    const reps = memmap.repeat[i]!;
    const described = (reps - 1) * memmap.describesPeriod[i]! + memmap.describesSize[i]!;
    const d0 = scale(memmap.describesStart[i]!);
    const d1 = scale(memmap.describesStart[i]! + described);
    let h0: number;
    let h1: number;
    if (reps > 1) {
      // Repeating runs: the chunks stay in the memory they describe, at each repetition's start.
      h0 = d0;
      h1 = Math.max(d0 + 2, d0 + ((d1 - d0) * memmap.hostSize[i]!) / memmap.describesPeriod[i]!);
    } else {
      h0 = scale(memmap.hostStart[i]!);
      h1 = Math.max(h0 + 2, scale(memmap.hostStart[i]! + memmap.hostSize[i]!));
    }
    const x0 = d0 + (h0 - d0) * k;
    const x1 = d1 + (h1 - d1) * k;
    const y = memory.y + memory.height * 0.5 + (hosts.y - memory.y - memory.height * 0.5) * k;
    ctx.fillStyle = memmap.host[i] === 0 ? palette.memmapRam : palette.memmapSelf;
    ctx.fillRect(
      Math.max(frame.layout.left, x0),
      y,
      Math.max(2, Math.min(frame.layout.right, x1) - Math.max(frame.layout.left, x0)),
      8,
    );
  }
  ctx.globalAlpha = 1;
}
