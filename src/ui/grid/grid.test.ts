/**
 * Render tests of the grid without a browser: the layout of tiles, rows, cells and runs, and the
 * draw calls on a recording context, for the default scenario and the demos whose point is a
 * picture (RFC v1, 2 GiB blocks, ppc64 force, movable_node before 5.13).
 */
import { describe, expect, it } from 'vitest';
import { toColumns, type MapColumns } from '../../engine/columns.ts';
import { CELL, CELL_BYTES } from '../../engine/output/cells.ts';
import { simulate } from '../../engine/simulate.ts';
import { TILE_STATUSES } from '../../engine/tile-columns.ts';
import { DEFAULT_SCENARIO } from '../../state/default-scenario.ts';
import { PRESETS } from '../../state/presets.ts';
import { BitmapCache, patternPixels, shapeOf } from './bitmaps.ts';
import { countFits, drawGrid, type GridFrame } from './draw.ts';
import { addressAt, transformFor, visibleWindow } from './hit.ts';
import { compareTiles } from '../../engine/compare-tiles.ts';
import { pixelImage, svgContext } from './svg.ts';
import { fileName } from './export.ts';
import { layoutGrid, holeLabel } from './layout.ts';
import { gridPalette } from './palette.ts';
import { recordingContext } from './recording.ts';
import { windowItemText } from './window-text.ts';

const GiB = 1024 ** 3;
const MiB = 1024 ** 2;

function columnsOf(scenario: unknown): { columns: MapColumns; labels: string[] } {
  const outcome = simulate(scenario);
  if (!outcome.ok) throw new Error(JSON.stringify(outcome.errors));
  const columns = toColumns(outcome.result.final, outcome.result.resolved.pageSize);
  return {
    columns,
    labels: [
      ...new Set(outcome.result.final.tiles.groups.flatMap((g) => g.members.map((m) => m.label))),
    ],
  };
}
const preset = (id: string) => PRESETS.find((p) => p.id === id)!.scenario;

/** Cell i of the pattern a tile row draws: [a, b, fraction, param]. */
function cell(columns: MapColumns, row: number, i: number): number[] {
  const { tiles } = columns;
  const o = (tiles.pattern[row]! * tiles.cellsPerTile + i) * CELL_BYTES;
  return [...tiles.cells.slice(o, o + CELL_BYTES)];
}

function frame(columns: MapColumns, width = 900, height = 600, extra: Partial<GridFrame> = {}) {
  const layout = layoutGrid(columns.tiles, width, height);
  const palette = gridPalette(false);
  const ctx = recordingContext();
  const f: GridFrame = {
    ctx,
    width,
    height,
    layout,
    tiles: columns.tiles,
    transform: transformFor(layout, null, width, height),
    palette,
    bitmaps: new BitmapCache(columns.tiles, palette, (w, h) => ({ w, h })),
    badges: true,
    hover: null,
    selection: null,
    cursor: null,
    changed: new Set(),
    ghost: null,
    ...extra,
  };
  drawGrid(f);
  return { f, ctx, layout };
}

describe('the default scenario on the grid', () => {
  const { columns } = columnsOf(DEFAULT_SCENARIO);
  const { tiles } = columns;

  it('one 1 GiB tile per window: rows of 128 MiB blocks, cells of 2 MiB pageblocks', () => {
    expect(tiles.tileSize).toBe(GiB);
    expect(shapeOf(tiles)).toEqual({ rows: 8, cellsPerRow: 64 });
  });

  it('bands by node in address order, the hole between them labelled', () => {
    const layout = layoutGrid(tiles, 900, 600);
    expect(layout.bands.map((b) => b.node)).toEqual([0, 0, 1]);
    expect(layout.gaps.map((g) => g.label)).toEqual(['hole 2G–4G']);
    // Few tiles: every window its own slot (14 windows of boot RAM and the DIMM).
    expect(layout.slots.length).toBe(14);
    expect(layout.slots.at(-1)!.startAddr).toBe(15 * GiB);
  });

  it('under memmap_on_memory the first cell of every row of the DIMM is struct pages', () => {
    const layout = layoutGrid(tiles, 900, 600);
    const dimm = layout.slots.find((s) => s.startAddr === 8 * GiB)!;
    for (let row = 0; row < 8; row++) {
      expect(cell(columns, dimm.row, row * 64)[0]).toBe(CELL.memmapSelf);
      expect(cell(columns, dimm.row, row * 64 + 1)[0]).toBe(CELL.freeNormal);
    }
    expect(TILE_STATUSES[tiles.status[dimm.row]!]).toBe('memmap');
  });

  it('draws one bitmap per tile on screen and a badge per tile', () => {
    const { ctx, layout } = frame(columns);
    expect(ctx.calls.filter((c) => c.op === 'drawImage')).toHaveLength(layout.slots.length);
    const texts = ctx.calls.filter((c) => c.op === 'fillText').map((c) => String(c.args[0]));
    expect(texts.filter((t) => t.startsWith('✕')).length).toBeGreaterThanOrEqual(8);
    expect(texts).toContain('hole 2G–4G');
  });

  it('a point on the map is the address of the page under it', () => {
    const layout = layoutGrid(tiles, 900, 600);
    const t = { k: 1, x: 0, y: 0 };
    const dimm = layout.slots.find((s) => s.startAddr === 9 * GiB)!;
    // Row 3, cell 5 of the tile at 9 GiB: 9 GiB + 3 × 128 MiB + 5 × 2 MiB.
    const sx = dimm.x + ((5 + 0.5) / 64) * dimm.size;
    const sy = dimm.y + ((3 + 0.5) / 8) * dimm.size;
    const addr = addressAt(layout, tiles, t, sx, sy, 4096)!;
    expect(Math.floor(addr / (2 * MiB)) * 2 * MiB).toBe(9 * GiB + 3 * 128 * MiB + 5 * 2 * MiB);
  });

  it('the accessible list reads each tile as hex range and status', () => {
    const layout = layoutGrid(tiles, 900, 600);
    const { labels } = columnsOf(DEFAULT_SCENARIO);
    const outcome = simulate(DEFAULT_SCENARIO);
    if (!outcome.ok) throw new Error();
    const tileLabels = [
      ...new Set(outcome.result.final.tiles.groups.flatMap((g) => g.members.map((m) => m.label))),
    ];
    expect(labels.length).toBeGreaterThan(0);
    const dimm = layout.slots.find((s) => s.startAddr === 8 * GiB)!;
    expect(windowItemText(dimm, tiles, tileLabels)).toBe(
      '0x200000000–0x23fffffff: blocked by memmap (2 MiB in each of 8 blocks)',
    );
  });
});

describe('labels that must fit their tile', () => {
  it('a stack count is drawn only inside its tile and clear of the badge', () => {
    // "× 2,014" is 7 characters, 42 px in the recording context's 6 px per character.
    expect(countFits(42, 26, 10, true)).toBe(false);
    expect(countFits(42, 56, 10, true)).toBe(true);
    // Wide enough for the text, too short for both pills.
    expect(countFits(12, 30, 10, true)).toBe(false);
    expect(countFits(12, 30, 10, false)).toBe(true);
  });

  it('at overview zoom of a 64 TiB machine no stack count runs past its tile', () => {
    const outcome = simulate({
      version: 1,
      arch: 'x86_64',
      machine: {
        virtual: false,
        nodes: Array.from({ length: 16 }, (_, id) => ({
          id,
          ram: [{ start: id * 2 * 1024 * GiB, size: 2 * 1024 * GiB }],
        })),
      },
      events: [],
    });
    if (!outcome.ok) throw new Error(JSON.stringify(outcome.errors));
    const columns = toColumns(outcome.result.final, outcome.result.resolved.pageSize);
    const { ctx, layout, f } = frame(columns);
    const widest = Math.max(...layout.slots.map((s) => s.size * f.transform.k));
    const counts = ctx.calls
      .filter((c) => c.op === 'fillText' && /^× [\d,.]+[KMG]?$/.test(String(c.args[0])))
      .map((c) => String(c.args[0]).length * 6 + 8);
    for (const width of counts) expect(width).toBeLessThanOrEqual(widest - 6);
  });
});

describe('the demos on the grid', () => {
  it('RFC v1: the packed memmap fills the DIMM first two blocks: whole rows of struct pages', () => {
    const { columns } = columnsOf(preset('rfc-as-posted'));
    const layout = layoutGrid(columns.tiles, 900, 600);
    const first = layout.slots.find((s) => s.startAddr === 6 * GiB)!;
    for (let i = 0; i < 128; i++) expect(cell(columns, first.row, i)[0]).toBe(CELL.memmapSelf);
    expect(cell(columns, first.row, 128)[0]).toBe(CELL.freeNormal);
    const next = layout.slots.find((s) => s.startAddr === 7 * GiB)!;
    expect(TILE_STATUSES[columns.tiles.status[next.row]!]).toBe('possible');
  });

  it('RFC v1: the two blocks holding the packed memmap are hatched as pinned, and read so', () => {
    const { columns, labels } = columnsOf(preset('rfc-as-posted'));
    const { tiles } = columns;
    const { layout, ctx } = frame(columns);
    const first = layout.slots.find((s) => s.startAddr === 6 * GiB)!;
    const rows = [...tiles.pinned.subarray(first.row * 8, first.row * 8 + 8)];
    expect(rows).toEqual([1, 1, 0, 0, 0, 0, 0, 0]);
    // One box around both rows, in the pinned ink, at the tile's top quarter.
    const boxes = ctx.calls.filter(
      (c) => c.op === 'strokeRect' && c.strokeStyle === gridPalette(false).pinned,
    );
    expect(boxes).toHaveLength(1);
    const [, , w, h] = boxes[0]!.args as number[];
    expect(h! / (w! + 2)).toBeCloseTo(2 / 8, 1);
    expect(windowItemText(first, tiles, labels)).toMatch(
      /; 2 of its 8 rows are in blocks pinned by hosting memmap$/,
    );
    // Every other tile: nothing pinned.
    for (const slot of layout.slots.filter((s) => s !== first))
      expect(tiles.pinned.subarray(slot.row * 8, slot.row * 8 + 8).includes(1)).toBe(false);
  });

  it('2 GiB blocks: rows are sections, the 32 MiB memmap is 16 cells, every other window is clean', () => {
    const { columns } = columnsOf(preset('two-gib-blocks'));
    const { tiles } = columns;
    expect(shapeOf(tiles)).toEqual({ rows: 8, cellsPerRow: 64 });
    const layout = layoutGrid(tiles, 900, 600);
    const memmapTile = layout.slots.find((s) => s.startAddr === 132 * GiB)!;
    for (let i = 0; i < 16; i++) expect(cell(columns, memmapTile.row, i)[0]).toBe(CELL.memmapSelf);
    expect(cell(columns, memmapTile.row, 16)[0]).not.toBe(CELL.memmapSelf);
    const statuses = layout.slots
      .filter((s) => s.startAddr >= 132 * GiB)
      .map((s) => TILE_STATUSES[tiles.status[s.row]!]);
    expect(statuses).toContain('memmap');
    expect(statuses.some((s) => s === 'allocated' || s === 'possible')).toBe(true);
  });

  it('ppc64 force: a block is a row; its first cell is an eighth struct pages, the rest padding', () => {
    const { columns } = columnsOf(preset('ppc64-force'));
    const { tiles } = columns;
    expect(tiles.rowSize).toBe(256 * MiB);
    const layout = layoutGrid(tiles, 900, 600);
    const added = layout.slots.find((s) => s.startAddr === 8 * GiB)!;
    const [a, b, fraction] = cell(columns, added.row, 0);
    expect(a).toBe(CELL.memmapSelf);
    expect(b).toBe(CELL.memmapPad);
    expect(fraction).toBe(Math.round((4 / 32) * 255));
    const pixels = patternPixels(tiles, tiles.pattern[added.row]!, 0, gridPalette(false));
    // 8 sub-pixels per cell: 1 struct pages, 7 padding.
    expect([...pixels.rgba.slice(0, 3)]).toEqual([0xe6, 0x9f, 0x00]);
    expect([...pixels.rgba.slice(4, 7)]).toEqual([0xf0, 0xe4, 0x42]);
  });

  it('movable_node before 5.13: node 1 struct pages sit in node 0, hatched with node 1, and node 1 tiles say so', () => {
    const { columns } = columnsOf(preset('movable-node-legacy'));
    const { tiles } = columns;
    const layout = layoutGrid(tiles, 900, 600);
    const host = layout.slots.find((s) => s.startAddr === 5 * GiB)!;
    let hosted = 0;
    for (let i = 0; i < tiles.cellsPerTile; i++) {
      const [a, , , param] = cell(columns, host.row, i);
      if (a === CELL.memmapRam) {
        expect(param).toBe(1);
        hosted++;
      }
    }
    expect(hosted).toBe(128); // 256 MiB of struct pages, 2 MiB cells
    const node1 = layout.slots.filter((s) => tiles.node[s.row] === 1);
    expect(node1.length).toBeGreaterThan(0);
    for (const slot of node1) expect(tiles.hostNode[slot.row]).toBe(0);
    const { ctx } = frame(columns);
    const texts = ctx.calls.filter((c) => c.op === 'fillText').map((c) => String(c.args[0]));
    // The host-node pill, in the words that fit the tile.
    expect(texts.some((t) => /^(struct pages on node 0|memmap: node 0|on node 0)$/.test(t))).toBe(
      true,
    );
  });

  it('bitmaps: stripes of another node only where struct pages came from RAM; one bitmap per other pattern', () => {
    const { columns } = columnsOf(preset('movable-node-legacy'));
    const { tiles } = columns;
    const layout = layoutGrid(tiles, 900, 600);
    const host = layout.slots.find((s) => s.startAddr === 5 * GiB)!;
    const palette = gridPalette(false);
    const p = tiles.pattern[host.row]!;
    // Node 0 hosts node 1's struct pages: striped on node 0's tile, plain on a node 1 tile.
    const onHost = patternPixels(tiles, p, 0, palette).rgba;
    const onOwn = patternPixels(tiles, p, 1, palette).rgba;
    expect(onHost).not.toEqual(onOwn);
    const made: number[] = [];
    const cache = new BitmapCache(tiles, palette, (w) => made.push(w));
    cache.get(p, 0);
    cache.get(p, 1);
    expect(made.length).toBe(2);
    const plain = [...new Set(tiles.pattern)].find((q) => {
      const base = q * tiles.cellsPerTile * CELL_BYTES;
      for (let i = 0; i < tiles.cellsPerTile; i++)
        if (tiles.cells[base + i * CELL_BYTES] === CELL.memmapRam) return false;
      return true;
    })!;
    cache.get(plain, 0);
    cache.get(plain, 1);
    expect(made.length).toBe(3);
  });
});

describe('layout at scale', () => {
  it('a 64 TiB machine draws as few slots as its events make different', () => {
    const scenario = {
      version: 1,
      machine: { virtual: false, nodes: [{ id: 0, ram: [{ start: 0, size: '32T' }] }] },
      kernel: { memmapOnMemory: 'on' },
      events: [{ op: 'add', start: '32T', size: '32T' }, { op: 'online' }],
    };
    const { columns } = columnsOf(scenario);
    const layout = layoutGrid(columns.tiles, 900, 600);
    expect(layout.slots.length).toBeLessThan(40);
    expect(layout.slots.reduce((sum, s) => sum + s.tiles * s.repeat, 0)).toBe(64 * 1024);
  });

  it('labels holes with short sizes', () => {
    expect(holeLabel(2 * GiB, 4 * GiB)).toBe('hole 2G–4G');
    expect(holeLabel(0, 512 * MiB)).toBe('hole 0–512M');
  });
});

describe('zoom windows', () => {
  const { columns } = columnsOf(DEFAULT_SCENARIO);
  const layout = layoutGrid(columns.tiles, 900, 600);

  it('a window inside one tile zooms to those cells of one row, and reads back the same', () => {
    // The first 16 pageblocks of the block at 8 GiB + 128 MiB.
    const window = { start: 8 * GiB + 128 * MiB, end: 8 * GiB + 128 * MiB + 32 * MiB };
    const t = transformFor(layout, window, 900, 600);
    const slot = layout.slots.find((s) => s.startAddr === 8 * GiB)!;
    // 16 of 64 cells fill the width.
    expect(((slot.size * t.k) / 64) * 16).toBeCloseTo(900, 3);
    expect(visibleWindow(layout, t, 900, 600)).toEqual(window);
  });

  it('a window of one pageblock zooms to that cell alone', () => {
    const window = { start: 8 * GiB + 4 * MiB, end: 8 * GiB + 6 * MiB };
    const t = transformFor(layout, window, 900, 600);
    const slot = layout.slots.find((s) => s.startAddr === 8 * GiB)!;
    expect((slot.size * t.k) / 64).toBeCloseTo(900, 3);
    expect(visibleWindow(layout, t, 900, 600)).toEqual(window);
  });

  it('a window of whole rows zooms to those rows', () => {
    const window = { start: 9 * GiB + 2 * 128 * MiB, end: 9 * GiB + 4 * 128 * MiB };
    const t = transformFor(layout, window, 900, 150);
    expect(visibleWindow(layout, t, 900, 150)).toEqual(window);
  });

  it('a window of whole tiles zooms to them; the full view has no window', () => {
    const all = transformFor(layout, null, 900, 600);
    expect(visibleWindow(layout, all, 900, 600)).toBeNull();
    const two = transformFor(layout, { start: 8 * GiB, end: 10 * GiB }, 900, 600);
    const back = visibleWindow(layout, two, 900, 600)!;
    expect(back.start).toBeLessThanOrEqual(8 * GiB);
    expect(back.end).toBeGreaterThanOrEqual(10 * GiB);
  });
});

describe('compare mode marks', () => {
  const scenario = (memmapOnMemory: string) => ({
    ...DEFAULT_SCENARIO,
    kernel: { ...DEFAULT_SCENARIO.kernel, memmapOnMemory },
  });
  const a = columnsOf(scenario('on')).columns;
  const b = columnsOf(scenario('off')).columns;
  const diff = compareTiles(a.tiles, b.tiles)!;

  it('outlines the tiles of B that differ from A in the differs colour', () => {
    const { ctx } = frame(b, 900, 600, { diff });
    const outlines = ctx.calls.filter(
      (c) => c.op === 'strokeRect' && c.strokeStyle === gridPalette(false).differs,
    );
    expect(outlines.length).toBe(
      layoutGrid(b.tiles, 900, 600).slots.filter((s) => diff.rowMask[s.row]! >= 0).length,
    );
    expect(outlines.length).toBeGreaterThan(0);
  });

  it('marks nothing when B is A', () => {
    const same = compareTiles(a.tiles, a.tiles)!;
    expect(same.rowsDiffering).toBe(0);
    const { ctx } = frame(a, 900, 600, { diff: same });
    expect(ctx.calls.some((c) => c.strokeStyle === gridPalette(false).differs)).toBe(false);
  });
});

describe('export', () => {
  const { columns } = columnsOf(DEFAULT_SCENARIO);

  it('SVG: the same frame as shapes, a symbol per tile pattern, the size of the map', () => {
    const layout = layoutGrid(columns.tiles, 800, 500);
    const palette = gridPalette(false);
    const ctx = svgContext(800, 500);
    drawGrid({
      ctx,
      width: 800,
      height: 500,
      layout,
      tiles: columns.tiles,
      transform: transformFor(layout, null, 800, 500),
      palette,
      bitmaps: new BitmapCache(columns.tiles, palette, pixelImage),
      badges: true,
      hover: null,
      selection: null,
      cursor: null,
      changed: new Set(),
      ghost: null,
    });
    const svg = ctx.document('Default <scenario>');
    expect(svg).toMatch(/^<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg" width="800" height="500"/);
    expect(svg).toContain('<title>Default &lt;scenario&gt;</title>');
    const uses = svg.match(/<use href="#tile\d+"/g) ?? [];
    expect(uses).toHaveLength(layout.slots.length);
    const symbols = new Set(svg.match(/<symbol id="tile\d+"/g));
    expect(symbols.size).toBeLessThan(layout.slots.length);
    // The memmap stripe is a shape in the memmap colour.
    expect(svg).toContain(`fill="${palette.cell[CELL.memmapSelf]}"`);
    expect(svg).toContain('hole 2G–4G');
  });

  it('file names say the title', () => {
    expect(fileName('16 GiB VM, 64 GiB hot-add', '.png')).toBe(
      'memmap-explorer-16-gib-vm-64-gib-hot-add.png',
    );
    expect(fileName(undefined, '.svg')).toBe('memmap-explorer.svg');
    expect(fileName('Übergröße / pmem', '.json')).toBe('memmap-explorer-ubergrosse-pmem.json');
  });
});
