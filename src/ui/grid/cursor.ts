/**
 * The keyboard on the grid: arrows move a cursor cell by cell (across tiles at the edges), Enter
 * or Space inspects it, + and - zoom around it, 0 shows everything. The view follows the cursor.
 */
import { select } from 'd3-selection';
import type { ZoomBehavior } from 'd3-zoom';
import type { KeyboardEvent, RefObject } from 'react';
import type { TileColumns } from '../../engine/tile-columns.ts';
import type { AppStore } from '../../state/store.ts';
import { shapeOf } from './bitmaps.ts';
import type { Transform } from './draw.ts';
import { cellRect } from './marks.ts';
import { transformFor } from './hit.ts';
import { slotOf, type GridLayout } from './layout.ts';

interface CursorDeps {
  store: AppStore;
  layout: GridLayout | null;
  tiles: TileColumns | null;
  pageSize: number;
  cursor: { current: number | null };
  transform: { current: Transform };
  size: { current: { width: number; height: number } };
  zoomBehavior: { current: ZoomBehavior<HTMLCanvasElement, unknown> | null };
  canvasRef: RefObject<HTMLCanvasElement | null>;
  requestFrame: () => void;
  applyTransform: (t: Transform) => void;
}

/** The cursor moved by (dx cells, dy rows), stepping into the neighbouring slot at an edge. */
export function moveCursor(
  layout: GridLayout,
  tiles: TileColumns,
  addr: number,
  dx: number,
  dy: number,
): number {
  const slot = slotOf(layout, addr) ?? layout.slots[0];
  if (!slot) return addr;
  const { rows, cellsPerRow } = shapeOf(tiles);
  const offset = (addr - slot.startAddr) % tiles.tileSize;
  let row = Math.floor(offset / tiles.rowSize) + dy;
  let col = Math.floor((offset % tiles.rowSize) / tiles.cellSize) + dx;
  let index = layout.slots.indexOf(slot);
  if (col < 0) [index, col] = [index - 1, cellsPerRow - 1];
  if (col >= cellsPerRow) [index, col] = [index + 1, 0];
  if (row < 0) [index, row] = [index - 1, rows - 1];
  if (row >= rows) [index, row] = [index + 1, 0];
  const target = layout.slots[Math.max(0, Math.min(layout.slots.length - 1, index))]!;
  return target.startAddr + row * tiles.rowSize + col * tiles.cellSize;
}

export function useCursorKeys(deps: CursorDeps) {
  return (event: KeyboardEvent<HTMLCanvasElement>) => {
    const { layout, tiles, cursor, store, canvasRef, zoomBehavior, size, transform } = deps;
    if (!layout || !tiles || layout.slots.length === 0) return;
    const canvas = canvasRef.current;
    const behavior = zoomBehavior.current;
    const at = cursor.current ?? layout.slots[0]!.startAddr;
    const moves: Record<string, [number, number]> = {
      ArrowLeft: [-1, 0],
      ArrowRight: [1, 0],
      ArrowUp: [0, -1],
      ArrowDown: [0, 1],
    };
    const move = moves[event.key];
    if (move) {
      event.preventDefault();
      cursor.current = moveCursor(
        layout,
        tiles,
        at,
        event.shiftKey ? move[0] * 8 : move[0],
        move[1],
      );
      const rect = cellRect({ layout, tiles, transform: transform.current }, cursor.current);
      // Keep the cursor on screen.
      if (
        rect &&
        (rect.x < 0 ||
          rect.y < 0 ||
          rect.x + rect.w > size.current.width ||
          rect.y + rect.h > size.current.height)
      ) {
        const t = transform.current;
        deps.applyTransform({
          k: t.k,
          x: t.x - rect.x + size.current.width / 2,
          y: t.y - rect.y + size.current.height / 2,
        });
      }
      store.getState().setHover(cursor.current);
      deps.requestFrame();
      return;
    }
    if (event.key === 'Enter' || event.key === ' ') {
      event.preventDefault();
      cursor.current = at;
      store.getState().setView({ selection: at });
      return;
    }
    if (!canvas || !behavior) return;
    const rect = cellRect({ layout, tiles, transform: transform.current }, at);
    const center: [number, number] = rect
      ? [rect.x + rect.w / 2, rect.y + rect.h / 2]
      : [size.current.width / 2, size.current.height / 2];
    const zooms: Record<string, () => void> = {
      '+': () => select(canvas).call(behavior.scaleBy, 1.6, center),
      '=': () => select(canvas).call(behavior.scaleBy, 1.6, center),
      '-': () => select(canvas).call(behavior.scaleBy, 1 / 1.6, center),
      '0': () => {
        deps.applyTransform(transformFor(layout, null, size.current.width, size.current.height));
        store.getState().setView({ window: null });
      },
    };
    const zoom = zooms[event.key];
    if (zoom) {
      event.preventDefault();
      zoom();
    }
  };
}
