/**
 * The grid's colours, one table for the canvas and the legend (so a swatch is exactly what is
 * drawn). Occupants are Okabe–Ito colours, safe under the common colour-vision deficiencies;
 * zones are light tints that no occupant uses; no colour means two things. Where two could still
 * be confused the drawing adds a texture (off-node memmap is hatched with the node it describes).
 */
import { CELL, type CellKind } from '../../engine/output/cells.ts';

export interface GridPalette {
  background: string;
  panel: string;
  text: string;
  muted: string;
  line: string;
  cell: Record<CellKind, string>;
  node: readonly string[];
  possible: string;
  allocated: string;
  blocked: string;
  selection: string;
  cursor: string;
  /** Compare mode: a cell of B that differs from A. */
  differs: string;
  /** The hatch and outline of a block pinned by hosting other blocks' memmap. */
  pinned: string;
}

const LIGHT_CELLS: Record<CellKind, string> = {
  [CELL.hole]: '#ffffff',
  [CELL.offline]: '#e8e8e8',
  [CELL.freeDMA]: '#d9d2e9',
  [CELL.freeDMA32]: '#c6dbef',
  [CELL.freeNormal]: '#9ecae1',
  [CELL.freeMovable]: '#b9e3cf',
  [CELL.memmapSelf]: '#e69f00',
  [CELL.memmapPad]: '#f0e442',
  [CELL.memmapRam]: '#d55e00',
  [CELL.memmapBoot]: '#cc79a7',
  [CELL.kernel]: '#4d4d4d',
  [CELL.huge]: '#0072b2',
  [CELL.gigantic]: '#000000',
  [CELL.device]: '#bdbdbd',
  [CELL.deviceMemmap]: '#8c510a',
  [CELL.deviceMeta]: '#737373',
  [CELL.unplugged]: '#f7f7f7',
  [CELL.devicePrivate]: '#969696',
};

const DARK_CELLS: Record<CellKind, string> = {
  [CELL.hole]: '#1b1e22',
  [CELL.offline]: '#3a3f45',
  [CELL.freeDMA]: '#4b4466',
  [CELL.freeDMA32]: '#2f4b63',
  [CELL.freeNormal]: '#2c6a8f',
  [CELL.freeMovable]: '#2f6e55',
  [CELL.memmapSelf]: '#f0a82a',
  [CELL.memmapPad]: '#f0e442',
  [CELL.memmapRam]: '#ff7a33',
  [CELL.memmapBoot]: '#dd95be',
  [CELL.kernel]: '#c8ccd2',
  [CELL.huge]: '#56b4e9',
  [CELL.gigantic]: '#ffffff',
  [CELL.device]: '#5a5f66',
  [CELL.deviceMemmap]: '#c98b3a',
  [CELL.deviceMeta]: '#8a9099',
  [CELL.unplugged]: '#26292e',
  [CELL.devicePrivate]: '#70757c',
};

/** Node colours (Paul Tol's bright scheme), used for band marks and off-node hatching. */
const NODES = ['#4477aa', '#ee6677', '#228833', '#ccbb44', '#66ccee', '#aa3377', '#bbbbbb'];

export function gridPalette(dark: boolean): GridPalette {
  return {
    background: dark ? '#111418' : '#ffffff',
    panel: dark ? '#1b1e22' : '#f6f7f9',
    text: dark ? '#e8ebef' : '#1a1d21',
    muted: dark ? '#a3abb5' : '#59606a',
    line: dark ? '#4a5059' : '#c3c8cf',
    cell: dark ? DARK_CELLS : LIGHT_CELLS,
    node: NODES,
    possible: dark ? '#1fb98c' : '#007a5a',
    allocated: dark ? '#ffffff' : '#000000',
    // Wine, darker than any memmap or node colour: a blocked badge is never read as memmap
    // from RAM or as node 1. Its text is white in both themes.
    blocked: dark ? '#b3244a' : '#8e1b3c',
    selection: dark ? '#ff5cb8' : '#b3006b',
    cursor: dark ? '#ffe66d' : '#1a1d21',
    differs: dark ? '#d6a6ff' : '#6a3d9a',
    // Ink, not a colour: a hatch over whatever the block holds, readable on every cell colour.
    pinned: dark ? '#f5f7fa' : '#101215',
  };
}

export const nodeColor = (palette: GridPalette, node: number) =>
  palette.node[node % palette.node.length]!;

/** What each cell kind is called in the legend. */
export const CELL_LABELS: Record<CellKind, string> = {
  [CELL.hole]: 'hole',
  [CELL.offline]: 'offline block',
  [CELL.freeDMA]: 'ZONE_DMA',
  [CELL.freeDMA32]: 'ZONE_DMA32',
  [CELL.freeNormal]: 'ZONE_NORMAL',
  [CELL.freeMovable]: 'ZONE_MOVABLE',
  [CELL.memmapSelf]: 'struct pages in the memory they describe',
  [CELL.memmapPad]: 'force-mode padding',
  [CELL.memmapRam]: 'struct pages taken from RAM (hatched: of another node)',
  [CELL.memmapBoot]: 'boot memmap',
  [CELL.kernel]: 'kernel allocations',
  [CELL.huge]: 'huge pages (2 MiB)',
  [CELL.gigantic]: 'gigantic page allocated',
  [CELL.device]: 'device memory (ZONE_DEVICE)',
  [CELL.deviceMemmap]: 'struct pages on the device (altmap)',
  [CELL.deviceMeta]: 'namespace info block and padding',
  [CELL.unplugged]: 'not plugged (virtio-mem)',
  [CELL.devicePrivate]: 'device-private memory',
};

/** Short names for cell captions, where a cell is a few dozen pixels wide. */
export const CELL_SHORT: Record<CellKind, string> = {
  [CELL.hole]: 'hole',
  [CELL.offline]: 'offline',
  [CELL.freeDMA]: 'DMA',
  [CELL.freeDMA32]: 'DMA32',
  [CELL.freeNormal]: 'Normal',
  [CELL.freeMovable]: 'Movable',
  [CELL.memmapSelf]: 'memmap',
  [CELL.memmapPad]: 'padding',
  [CELL.memmapRam]: 'memmap (RAM)',
  [CELL.memmapBoot]: 'boot memmap',
  [CELL.kernel]: 'kernel',
  [CELL.huge]: 'huge page',
  [CELL.gigantic]: 'gigantic',
  [CELL.device]: 'device',
  [CELL.deviceMemmap]: 'memmap (dev)',
  [CELL.deviceMeta]: 'info block',
  [CELL.unplugged]: 'unplugged',
  [CELL.devicePrivate]: 'dev-private',
};
