/**
 * The grid: one canvas, one requestAnimationFrame loop, d3-zoom for mouse, touch and wheel, and a
 * keyboard cursor. Zoom and hover live in refs; the store keeps what a link must restore (the
 * zoom window as an address range, the selection). Everything drawn comes from the worker's
 * tile columns; this file only decides where and how big.
 */
import { select } from 'd3-selection';
import { zoom as d3zoom, zoomIdentity, type ZoomBehavior, type ZoomTransform } from 'd3-zoom';
import {
  useCallback,
  useDeferredValue,
  useEffect,
  useMemo,
  useRef,
  useState,
  type RefObject,
} from 'react';
import { useApp, useAppStoreApi } from '../store-context.tsx';
import { BitmapCache } from './bitmaps.ts';
import { canvasBitmap, paintFrame, type FrameInputs } from './export.ts';
import type { GridFrame, Transform } from './draw.ts';
import { drawChunks } from './chunks.ts';
import { addressAt, transformFor, visibleWindow } from './hit.ts';
import { layoutGrid, type GridLayout } from './layout.ts';
import { gridPalette, type GridPalette } from './palette.ts';
import { WindowList } from './WindowList.tsx';
import { Overview } from './Overview.tsx';
import { GridLegend } from './GridLegend.tsx';
import { useCursorKeys } from './cursor.ts';
import { useCanvasSize, useMediaPreferences } from './canvas-hooks.ts';
import { ghostOf } from './marks.ts';
import { onWindow, publishWindow } from './zoom-link.ts';
import { asksGigantic, sideColumns, sideDiff, sideResult, type SideName } from '../edited.ts';

const TRANSITION_MS = 500;

interface Transition {
  start: number;
  snapshot: HTMLCanvasElement | null;
}

export interface GridCanvasProps {
  label?: string;
  /** Which map: A (the scenario) or compare mode's B. */
  side?: SideName;
  /** Receives the inputs of the last frame drawn (the export redraws them). */
  frameRef?: RefObject<FrameInputs | null>;
}

export function GridCanvas({ label = 'Memory map', side = 'a', frameRef }: GridCanvasProps) {
  const localInputs = useRef<FrameInputs | null>(null);
  const lastInputs = frameRef ?? localInputs;
  const store = useAppStoreApi();
  const columns = useApp(useMemo(() => sideColumns(side), [side]));
  const result = useApp(useMemo(() => sideResult(side), [side]));
  const identity = useRef(Symbol(side));
  const version = useApp((s) => s.sim.version);
  const differs = useApp((s) => side === 'b' && Boolean(s.sim.b?.diff?.rowsDiffering));
  const badgesView = useApp((s) => s.view.gigantic);
  const containerRef = useRef<HTMLDivElement>(null);
  const canvasRef = useRef<HTMLCanvasElement>(null);
  const size = useRef({ width: 800, height: 480, dpr: 1 });
  const [viewSize, setViewSize] = useState({ width: 800, height: 480 });
  const transform = useRef<Transform>({ k: 1, x: 0, y: 0 });
  const zoomBehavior = useRef<ZoomBehavior<HTMLCanvasElement, unknown> | null>(null);
  const palette = useRef<GridPalette>(gridPalette(false));
  const bitmaps = useRef<BitmapCache | null>(null);
  const frameRequested = useRef(false);
  const transition = useRef<Transition | null>(null);
  const reducedMotion = useRef(false);
  const appliedWindow = useRef<string | null>(null);
  /** Set while the view is moved to follow the store, so that the move is not written back. */
  const following = useRef(false);
  const cursor = useRef<number | null>(null);

  const tiles = columns?.tiles ?? null;
  const at = useApp((s) => s.sim.at);
  const hasGhost = ghostOf(result, at) !== null;
  const layout = useMemo<GridLayout | null>(
    () => (tiles ? layoutGrid(tiles, viewSize.width, viewSize.height, { ghost: hasGhost }) : null),
    [tiles, viewSize, hasGhost],
  );
  const layoutRef = useRef(layout);
  layoutRef.current = layout;
  const hasGiganticRequest = useMemo(() => asksGigantic(result), [result]);
  const badges = badgesView ?? hasGiganticRequest;
  const badgesRef = useRef(badges);
  badgesRef.current = badges;

  const draw = useCallback(() => {
    frameRequested.current = false;
    const canvas = canvasRef.current;
    const current = layoutRef.current;
    const state = store.getState();
    const { sim, view, hover } = state;
    const cols = sideColumns(side)(state);
    const simResult = sideResult(side)(state);
    if (!canvas || !current || !cols || !simResult) return;
    const ctx = canvas.getContext('2d');
    if (!ctx) return;
    const { width: w, height: h, dpr } = size.current;
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    if (!bitmaps.current || !bitmaps.current.matches(cols.tiles, palette.current))
      bitmaps.current = new BitmapCache(cols.tiles, palette.current, canvasBitmap);
    const inputs: FrameInputs = {
      width: w,
      height: h,
      layout: current,
      tiles: cols.tiles,
      transform: transform.current,
      palette: palette.current,
      badges: badgesRef.current,
      hover,
      selection: view.selection,
      cursor: cursor.current,
      changed: new Set(),
      ghost: ghostOf(simResult, sim.at),
      diff: sideDiff(side)(state),
      columns: cols,
      result: simResult,
    };
    lastInputs.current = inputs;
    const frame: GridFrame = { ...inputs, ctx, bitmaps: bitmaps.current };
    const started = performance.now();
    paintFrame(ctx, inputs, bitmaps.current);
    const running = transition.current;
    if (running) {
      const t = Math.min(1, (performance.now() - running.start) / TRANSITION_MS);
      if (running.snapshot) {
        ctx.globalAlpha = 1 - t;
        ctx.drawImage(running.snapshot, 0, 0, w, h);
        ctx.globalAlpha = 1;
      }
      drawChunks(frame, cols.memmap, t);
      if (t < 1) requestFrame();
      else transition.current = null;
    }
    canvas.dataset.drawMs = (performance.now() - started).toFixed(1);
    canvas.dataset.painted = String(sim.version);
    canvas.dataset.zoom = transform.current.k.toFixed(3);
    canvas.dataset.tileSize = String(cols.tiles.tileSize);
    canvas.dataset.slots = String(current.slots.length);
    canvas.dataset.animating = transition.current ? 'true' : 'false';
    canvas.dataset.badges = String(badgesRef.current);
    canvas.dataset.ghost = inputs.ghost?.label ?? '';
    canvas.dataset.window = JSON.stringify(view.window);
    if (!performance.getEntriesByName('map-first-paint').length)
      performance.mark('map-first-paint');
    if (canvas.dataset.markedVersion !== String(sim.version)) {
      canvas.dataset.markedVersion = String(sim.version);
      performance.clearMarks('map-paint');
      performance.mark('map-paint');
    }
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [store, side]);

  const drawRef = useRef(draw);
  drawRef.current = draw;
  const requestFrame = useCallback(() => {
    if (frameRequested.current) return;
    frameRequested.current = true;
    requestAnimationFrame(() => drawRef.current());
  }, []);

  // Theme and motion preferences.
  useMediaPreferences(palette, reducedMotion, requestFrame);

  // Size follows the container.
  useCanvasSize(containerRef, canvasRef, size, setViewSize, requestFrame);

  /** Moves the view to a transform, through d3-zoom so that gestures continue from it. */
  const applyTransform = useCallback(
    (t: Transform) => {
      const canvas = canvasRef.current;
      const behavior = zoomBehavior.current;
      transform.current = t;
      following.current = true;
      if (canvas && behavior)
        select(canvas).call(behavior.transform, zoomIdentity.translate(t.x, t.y).scale(t.k));
      following.current = false;
      requestFrame();
    },
    [requestFrame],
  );

  // New data or a new layout: keep the store's window on screen; animate from the old frame.
  useEffect(() => {
    if (!layout) return;
    const canvas = canvasRef.current;
    if (canvas && version > 1 && !reducedMotion.current) {
      const snapshot = document.createElement('canvas');
      snapshot.width = canvas.width;
      snapshot.height = canvas.height;
      snapshot.getContext('2d')?.drawImage(canvas, 0, 0);
      transition.current = { start: performance.now(), snapshot };
    }
    const view = store.getState().view;
    applyTransform(transformFor(layout, view.window, size.current.width, size.current.height));
    appliedWindow.current = JSON.stringify(view.window);
  }, [layout, version, store, applyTransform]);

  // The store owns the window: a change from elsewhere (back/forward, a link, a demo) moves the view.
  useEffect(
    () =>
      store.subscribe((state, previous) => {
        const current = layoutRef.current;
        if (state.view.window !== previous.view.window && current) {
          const key = JSON.stringify(state.view.window);
          if (key !== appliedWindow.current) {
            appliedWindow.current = key;
            applyTransform(
              transformFor(current, state.view.window, size.current.width, size.current.height),
            );
          }
        }
        if (state.hover !== previous.hover || state.view.selection !== previous.view.selection)
          requestFrame();
      }),
    [store, requestFrame, applyTransform],
  );

  useEffect(() => requestFrame(), [badges, requestFrame]);

  // Compare mode: follow the other map while it moves.
  useEffect(
    () =>
      onWindow((window, from) => {
        const current = layoutRef.current;
        if (from === identity.current || !current) return;
        applyTransform(transformFor(current, window, size.current.width, size.current.height));
      }),
    [applyTransform],
  );

  // d3-zoom: pan and zoom in both directions; the window goes to the store when a gesture ends.
  useEffect(() => {
    const canvas = canvasRef.current;
    if (!canvas) return;
    let settle: ReturnType<typeof setTimeout> | undefined;
    const behavior = d3zoom<HTMLCanvasElement, unknown>()
      // The size we keep, not d3's default (clientWidth and clientHeight, a forced layout on
      // every programmatic move).
      .extent(() => [
        [0, 0],
        [size.current.width, size.current.height],
      ])
      .scaleExtent([0.05, 200_000])
      .on('zoom', (event: { transform: ZoomTransform; sourceEvent: unknown }) => {
        transform.current = { k: event.transform.k, x: event.transform.x, y: event.transform.y };
        if (event.sourceEvent) transition.current = null;
        requestFrame();
        if (following.current) return;
        const moved = layoutRef.current;
        if (moved)
          publishWindow(
            visibleWindow(moved, transform.current, size.current.width, size.current.height),
            identity.current,
          );
        clearTimeout(settle);
        settle = setTimeout(() => {
          const current = layoutRef.current;
          if (!current) return;
          const window = visibleWindow(
            current,
            transform.current,
            size.current.width,
            size.current.height,
          );
          appliedWindow.current = JSON.stringify(window);
          store.getState().setView({ window });
        }, 250);
      });
    zoomBehavior.current = behavior;
    select(canvas).call(behavior).on('dblclick.zoom', null);
    return () => {
      clearTimeout(settle);
      select(canvas).on('.zoom', null);
    };
  }, [store, requestFrame]);

  const pageSize = result?.resolved.pageSize ?? 4096;
  const addressUnder = useCallback(
    (clientX: number, clientY: number): number | null => {
      const canvas = canvasRef.current;
      const current = layoutRef.current;
      const cols = sideColumns(side)(store.getState());
      if (!canvas || !current || !cols) return null;
      const rect = canvas.getBoundingClientRect();
      return addressAt(
        current,
        cols.tiles,
        transform.current,
        clientX - rect.left,
        clientY - rect.top,
        pageSize,
      );
    },
    [store, pageSize, side],
  );

  // The list and the legend follow a render behind the canvas: the first paint of a result does
  // not wait for them.
  const deferred = {
    layout: useDeferredValue(layout),
    tiles: useDeferredValue(tiles),
    result: useDeferredValue(result),
  };

  const onKeyDown = useCursorKeys({
    store,
    layout,
    tiles,
    pageSize,
    cursor,
    transform,
    size,
    zoomBehavior,
    canvasRef,
    requestFrame,
    applyTransform,
  });

  return (
    <div className="grid-map">
      <Overview layout={layout} side={side} width={viewSize.width} />
      <div className="grid-canvas" ref={containerRef}>
        <canvas
          ref={canvasRef}
          tabIndex={0}
          role="application"
          aria-roledescription="memory map"
          aria-label={`${label}. One tile per gigantic-page window; rows are memory blocks or sections, cells pageblocks. Arrow keys move a cursor, Enter or Space inspects it, plus and minus zoom, 0 resets.`}
          data-testid="memory-map"
          onKeyDown={onKeyDown}
          onPointerMove={(event) => {
            if (event.buttons === 0)
              store.getState().setHover(addressUnder(event.clientX, event.clientY));
          }}
          onPointerLeave={() => store.getState().setHover(null)}
          onClick={(event) =>
            store.getState().setView({ selection: addressUnder(event.clientX, event.clientY) })
          }
        />
      </div>
      {deferred.layout && deferred.tiles && deferred.result && (
        <>
          <WindowList
            layout={deferred.layout}
            tiles={deferred.tiles}
            labels={deferred.result.final.tileLabels}
            name={side === 'b' ? 'Gigantic page windows (B)' : 'Gigantic page windows'}
          />
          <GridLegend
            layout={deferred.layout}
            tiles={deferred.tiles}
            badges={badges}
            differs={differs}
          />
        </>
      )}
    </div>
  );
}
