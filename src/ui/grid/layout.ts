/**
 * Where each tile of the map goes, in world units (zoom 1), as a pure function of the engine's
 * tile columns and the width available. Tiles flow left to right in address order, in bands of
 * one node each; a hole between two stretches of memory is a labelled gap; a run of alike tiles
 * is one slot marked with its count, and a group that repeats (memmap, clean, memmap, clean...)
 * is drawn once inside a frame marked with how many times it repeats.
 */
import type { TileColumns } from '../../engine/tile-columns.ts';
import { ZONE_CODES } from '../../engine/columns.ts';
import { formatShortSize } from '../../engine/units.ts';

export const TILE_PX = 176;
/** Up to this many tiles in all, runs are drawn tile by tile; past it, alike tiles collapse. */
export const EXPAND_UP_TO = 48;
export const TILE_GAP = 10;
export const BAND_HEAD = 22;
export const GAP_ROW = 18;
const MARGIN = 12;

export interface Slot {
  /** Row of the tile columns this slot draws. */
  row: number;
  x: number;
  y: number;
  size: number;
  /** Address of the first tile, and one past the last tile the slot stands for. */
  startAddr: number;
  endAddr: number;
  /** Alike consecutive tiles collapsed here. */
  tiles: number;
  /** Tiles between repetitions when the slot's group repeats, and how many repetitions. */
  every: number;
  repeat: number;
}

export interface Band {
  node: number;
  device: boolean;
  x: number;
  y: number;
  width: number;
  height: number;
  startAddr: number;
  endAddr: number;
}

export interface Gap {
  y: number;
  fromAddr: number;
  toAddr: number;
  label: string;
}

export interface RepeatFrame {
  x: number;
  y: number;
  width: number;
  height: number;
  repeat: number;
  period: number;
}

export interface GridLayout {
  slots: Slot[];
  bands: Band[];
  gaps: Gap[];
  frames: RepeatFrame[];
  width: number;
  height: number;
  tileSize: number;
  /** A tile's rows and cells, in bytes (the tiles' own). */
  rowSize: number;
  cellSize: number;
  /** Where a refused step is drawn (a row kept below the bands), or null. */
  ghostY: number | null;
}

/** The row kept for a refused step's outline. */
export const GHOST_ROW = 56;

const DEVICE_ZONE_CODE = ZONE_CODES.indexOf('Device');

/**
 * Lays the tiles out for a view of width x height px: as many tiles per row as make them
 * largest when the whole grid is fitted to the view.
 */
export function layoutGrid(
  tiles: TileColumns,
  width: number,
  height = width * 0.7,
  options: { ghost?: boolean } = {},
): GridLayout {
  let best: GridLayout | null = null;
  let bestScale = 0;
  const most = Math.max(1, Math.min(64, tiles.count * EXPAND_UP_TO));
  for (let perRow = 1; perRow <= most; perRow++) {
    const layout = layoutWith(tiles, perRow);
    if (options.ghost) {
      layout.ghostY = layout.height;
      layout.height += GHOST_ROW;
    }
    const scale = Math.min(width / layout.width, height / layout.height);
    if (scale > bestScale * 1.001) {
      best = layout;
      bestScale = scale;
    }
    if (layout.slots.length <= perRow) break;
  }
  return best ?? layoutWith(tiles, 1);
}

function layoutWith(tiles: TileColumns, perRow: number): GridLayout {
  const slots: Slot[] = [];
  const bands: Band[] = [];
  const gaps: Gap[] = [];
  const frames: RepeatFrame[] = [];
  const size = tiles.tileSize;
  let y = MARGIN;
  let band: Band | null = null;
  let column = 0;
  let lastEnd: number | null = null;
  const closeBand = () => {
    if (!band) return;
    const rows = Math.ceil(column / perRow) || 1;
    band.height = BAND_HEAD + rows * (TILE_PX + TILE_GAP);
    y = band.y + band.height;
    band = null;
    column = 0;
  };
  const place = () => {
    const x = MARGIN + (column % perRow) * (TILE_PX + TILE_GAP);
    const slotY = band!.y + BAND_HEAD + Math.floor(column / perRow) * (TILE_PX + TILE_GAP);
    column++;
    return { x, y: slotY };
  };
  const expand = totalTiles(tiles) <= EXPAND_UP_TO;
  let i = 0;
  while (i < tiles.count) {
    const group = tiles.group[i]!;
    let j = i;
    while (j < tiles.count && tiles.group[j] === group) j++;
    const groupStart = tiles.groupStart[i]!;
    const period = tiles.groupPeriod[i]!;
    const repeat = tiles.groupRepeat[i]!;
    const firstStart = groupStart + tiles.offset[i]! * size;
    const device = tiles.zone[i] === DEVICE_ZONE_CODE;
    const node = tiles.node[i]!;
    if (lastEnd !== null && firstStart > lastEnd) {
      closeBand();
      gaps.push({
        y,
        fromAddr: lastEnd,
        toAddr: firstStart,
        label: holeLabel(lastEnd, firstStart),
      });
      y += GAP_ROW;
    }
    if (band && (band.node !== node || band.device !== device)) closeBand();
    if (!band) {
      band = {
        node,
        device,
        x: MARGIN,
        y,
        width: 0,
        height: 0,
        startAddr: firstStart,
        endAddr: firstStart,
      };
      bands.push(band);
    }
    const framed = !expand && repeat > 1 && j - i > 1;
    const frameFrom = column;
    for (let row = i; row < j; row++) {
      // A new node inside one group (rare) starts a new band.
      if (tiles.node[row] !== band.node) {
        closeBand();
        band = {
          node: tiles.node[row]!,
          device,
          x: MARGIN,
          y,
          width: 0,
          height: 0,
          startAddr: 0,
          endAddr: 0,
        };
        band.startAddr = groupStart + tiles.offset[row]! * size;
        bands.push(band);
      }
      const startAddr = groupStart + tiles.offset[row]! * size;
      const count = tiles.tiles[row]!;
      if (expand) {
        // Few tiles in all: every tile its own slot, so a DIMM shows each of its windows.
        for (let r = 0; r < repeat; r++) {
          for (let t = 0; t < count; t++) {
            const tileStart = startAddr + (r * period + t) * size;
            const { x, y: slotY } = place();
            slots.push({
              row,
              x,
              y: slotY,
              size: TILE_PX,
              startAddr: tileStart,
              endAddr: tileStart + size,
              tiles: 1,
              every: 1,
              repeat: 1,
            });
          }
        }
        band.endAddr = Math.max(band.endAddr, startAddr + ((repeat - 1) * period + count) * size);
        continue;
      }
      const { x, y: slotY } = place();
      const endAddr =
        repeat > 1 ? startAddr + ((repeat - 1) * period + count) * size : startAddr + count * size;
      slots.push({
        row,
        x,
        y: slotY,
        size: TILE_PX,
        startAddr,
        endAddr,
        tiles: count,
        every: repeat > 1 ? period : 1,
        repeat,
      });
      band.endAddr = Math.max(band.endAddr, endAddr);
    }
    if (framed) {
      const first = slots[slots.length - (j - i)]!;
      const last = slots[slots.length - 1]!;
      const sameRow = Math.floor(frameFrom / perRow) === Math.floor((column - 1) / perRow);
      frames.push({
        x: sameRow ? first.x - 4 : MARGIN - 4,
        y: first.y - 4,
        width: sameRow
          ? last.x + TILE_PX - first.x + 8
          : perRow * (TILE_PX + TILE_GAP) - TILE_GAP + 8,
        height: last.y + TILE_PX - first.y + 8,
        repeat,
        period,
      });
    }
    lastEnd = groupStart + period * repeat * size;
    i = j;
  }
  closeBand();
  const usedWidth =
    MARGIN * 2 + Math.min(perRow, Math.max(1, maxColumns(slots))) * (TILE_PX + TILE_GAP) - TILE_GAP;
  for (const b of bands) b.width = usedWidth - 2 * MARGIN;
  return {
    slots,
    bands,
    gaps,
    frames,
    width: usedWidth,
    height: y + MARGIN,
    tileSize: size,
    rowSize: tiles.rowSize,
    cellSize: tiles.cellSize,
    ghostY: null,
  };
}

/** Tiles the columns stand for, every repetition counted. */
function totalTiles(tiles: TileColumns): number {
  let total = 0;
  for (let i = 0; i < tiles.count; i++) total += tiles.tiles[i]! * tiles.groupRepeat[i]!;
  return total;
}

function maxColumns(slots: readonly Slot[]): number {
  let max = 0;
  for (const slot of slots)
    max = Math.max(max, Math.round((slot.x - MARGIN) / (TILE_PX + TILE_GAP)) + 1);
  return max;
}

/** "hole 2G–4G" (the short sizes kernel people use). */
export function holeLabel(fromAddr: number, toAddr: number): string {
  const size = (addr: number) => (addr === 0 ? '0' : formatShortSize(addr));
  return `hole ${size(fromAddr)}–${size(toAddr)}`;
}

/** The slot under a world point, or null. */
export function slotAt(layout: GridLayout, x: number, y: number): Slot | null {
  for (const slot of layout.slots)
    if (x >= slot.x && x < slot.x + slot.size && y >= slot.y && y < slot.y + slot.size) return slot;
  return null;
}

/** The slot holding an address (the first tile of a collapsed run stands for all of it). */
export function slotOf(layout: GridLayout, addr: number): Slot | null {
  for (const slot of layout.slots) {
    if (addr < slot.startAddr || addr >= slot.endAddr) continue;
    if (slot.repeat <= 1) return slot;
    const tile = Math.floor((addr - slot.startAddr) / layout.tileSize);
    if (tile % slot.every < slot.tiles) return slot;
  }
  return null;
}
