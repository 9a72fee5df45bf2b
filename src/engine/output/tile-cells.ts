/**
 * What each cell of a tile holds: every role memory plays, as periodic sets, asked per cell how
 * much of it falls there. A cell shows its most telling occupant (memmap first, then gigantic and
 * kernel pages, huge pages, device parts) for the fraction it covers, and the rest beside it.
 */
import type { ZoneName } from '../arch.ts';
import type { Machine } from '../model/machine.ts';
import { RangeSet, type Run } from '../rangeset.ts';
import { CELL, CELL_BYTES, type CellKind } from './cells.ts';
import { hostsIn } from '../model/blocks.ts';
import type { Context } from '../analysis/windows.ts';

export interface CellSets {
  geometry: { tilePages: number; rowPages: number; cellPages: number };
  present: RangeSet;
  selfAll: RangeSet;
  pad: RangeSet;
  ramByNode: Map<number, RangeSet>;
  boot: RangeSet;
  kernel: RangeSet;
  huge: RangeSet;
  gigantic: RangeSet;
  unplugged: RangeSet;
  deviceMemmap: RangeSet;
  deviceMeta: RangeSet;
  deviceData: RangeSet;
  devicePrivate: RangeSet;
  online: Map<ZoneName, RangeSet>;
  offline: RangeSet;
  /** Host nodes of RAM memmap describing [start, end). */
  hostNodesOf: (start: number, end: number) => number[];
  sources: () => Run[];
}

const FREE: Partial<Record<ZoneName, CellKind>> = {
  DMA: CELL.freeDMA,
  DMA32: CELL.freeDMA32,
  Normal: CELL.freeNormal,
  Movable: CELL.freeMovable,
};

/**
 * The sets the cells are read from. Self-hosted memmap, kernel allocations and huge pages are the
 * window classification's own sets (`ctx`, read-only here): the tiles are gigantic-page windows.
 */
export function cellSets(machine: Machine, geometry: CellSets['geometry'], ctx: Context): CellSets {
  const set = () => new RangeSet();
  const sets: Omit<CellSets, 'hostNodesOf' | 'sources'> = {
    geometry,
    present: set(),
    selfAll: ctx.selfMemmap,
    pad: set(),
    ramByNode: new Map(),
    boot: set(),
    kernel: ctx.kernelAllocs,
    huge: ctx.hugeSmall,
    gigantic: ctx.gigantic,
    unplugged: set(),
    deviceMemmap: set(),
    deviceMeta: set(),
    deviceData: set(),
    devicePrivate: set(),
    online: new Map(),
    offline: set(),
  };
  const bp = machine.blockPages;
  const described: { run: Run; node: number }[] = [];
  for (const { first, count, attrs } of machine.blocks.all()) {
    const base = first * bp + attrs.presentOffset;
    sets.present.addPeriodic(base, bp, count, [0, attrs.presentPages]);
    if (attrs.state === 'offline')
      sets.offline.addPeriodic(base, bp, count, [0, attrs.presentPages]);
    if (attrs.wastePages > 0) {
      // Blocks that host memmap (all of them, or every N-th for strategy "group").
      const every = attrs.memmapEvery ?? 1;
      const phase = attrs.memmapPhase ?? 0;
      const firstHost = first + ((((phase - first) % every) + every) % every);
      const hosts = hostsIn(first, count, every, phase);
      if (hosts > 0)
        sets.pad.addPeriodic(firstHost * bp + attrs.presentOffset, every * bp, hosts, [
          attrs.memmapPages - attrs.wastePages,
          attrs.memmapPages,
        ]);
    }
    if (attrs.unpluggedPages > 0)
      sets.unplugged.addPeriodic(base, bp, count, [
        attrs.presentPages - attrs.unpluggedPages,
        attrs.presentPages,
      ]);
  }
  // Online memory by zone: the zones' own spans (a boot block can hold two zones).
  for (const zone of machine.zones()) {
    if (zone.name === 'Device') continue;
    let zoneSet = sets.online.get(zone.name);
    if (!zoneSet) sets.online.set(zone.name, (zoneSet = set()));
    zoneSet.addRuns(zone.span.runs());
  }
  for (const r of machine.memmap) {
    const host: Run = {
      start: r.hostStartPfn,
      len: r.hostPages,
      stride: r.hostStridePfn,
      reps: r.reps,
    };
    if (r.host === 'self') continue;
    if (r.host === 'device') sets.deviceMemmap.addRun(host);
    else if (r.kind === 'boot') sets.boot.addRun(host);
    else {
      let nodeSet = sets.ramByNode.get(r.describesNode);
      if (!nodeSet) sets.ramByNode.set(r.describesNode, (nodeSet = set()));
      nodeSet.addRun(host);
    }
    // The badge names where struct pages of hot-added and device memory were taken from RAM,
    // and boot memory whose struct pages live on another node (movable_node).
    if (r.host === 'ram' && (r.kind !== 'boot' || r.hostNode !== r.describesNode))
      described.push({
        run: {
          start: r.describesStartPfn,
          len: r.describesPages,
          stride: r.describesStridePfn,
          reps: r.reps,
        },
        node: r.hostNode,
      });
  }
  for (const device of machine.devices) {
    const end = device.startPfn + device.nrPages;
    if (device.kind === 'device-private') {
      sets.devicePrivate.add(device.startPfn, end);
      continue;
    }
    const dataStart = device.startPfn + (device.dataOffsetPages ?? 0);
    sets.deviceMeta.add(device.startPfn, dataStart);
    sets.deviceData.add(dataStart, end);
  }
  sets.deviceMeta.removeRuns(sets.deviceMemmap.runs());
  const all = [
    sets.present,
    sets.selfAll,
    sets.pad,
    ...sets.ramByNode.values(),
    sets.boot,
    sets.kernel,
    sets.huge,
    sets.gigantic,
    sets.unplugged,
    sets.deviceMemmap,
    sets.deviceMeta,
    sets.deviceData,
    sets.devicePrivate,
    ...sets.online.values(),
    sets.offline,
  ];
  return {
    ...sets,
    hostNodesOf: (start, end) => {
      const nodes = new Set<number>();
      for (const { run, node } of described) {
        const last = run.start + (run.reps - 1) * run.stride + run.len;
        if (run.start < end && last > start) nodes.add(node);
      }
      return [...nodes].sort((a, b) => a - b);
    },
    sources: () => [
      ...all.flatMap((s) => s.runs()),
      ...described.map((d) => d.run),
      ...[...machine.bootRam.values()].flatMap((ram) => ram.runs()),
    ],
  };
}

/** Kinds in the order a cell shows them first, and the set that holds each. */
function occupants(sets: CellSets): [CellKind, RangeSet, number][] {
  const list: [CellKind, RangeSet, number][] = [];
  const selfUsed = sets.selfAll.clone();
  selfUsed.removeRuns(sets.pad.runs());
  list.push([CELL.memmapSelf, selfUsed, 0], [CELL.memmapPad, sets.pad, 0]);
  for (const [node, set] of sets.ramByNode) list.push([CELL.memmapRam, set, node]);
  list.push(
    [CELL.memmapBoot, sets.boot, 0],
    [CELL.deviceMemmap, sets.deviceMemmap, 0],
    [CELL.gigantic, sets.gigantic, 0],
    [CELL.kernel, sets.kernel, 0],
    [CELL.huge, sets.huge, 0],
    [CELL.unplugged, sets.unplugged, 0],
    [CELL.deviceMeta, sets.deviceMeta, 0],
    [CELL.devicePrivate, sets.devicePrivate, 0],
    [CELL.device, sets.deviceData, 0],
  );
  return list;
}

const cache = new WeakMap<CellSets, [CellKind, RangeSet, number][]>();

/** Scratch for the coverage arrays: a tile is read many times per result, into one buffer. */
let scratch = new Float64Array(0);
let scratchUsed = 0;
/**
 * Cells whose coverage may differ from the cell before (a run starts or ends in or next to
 * them). Every other cell reads exactly what its left neighbour read, so it is copied: a tile of
 * 512 cells with a few dozen edges classifies a few dozen cells.
 */
let edges = new Uint8Array(0);
let copyAlike = true;
/** The cells of the tile being read: classifyCells' answer is valid until its next call. */
let outWords = new Uint32Array(0);

/** Runs fn with every cell classified on its own (the tests' reference for the copying). */
export function withEveryCellClassified<T>(fn: () => T): T {
  copyAlike = false;
  try {
    return fn();
  } finally {
    copyAlike = true;
  }
}

function markEdge(cell: number, count: number): void {
  if (cell >= 0 && cell < count) edges[cell] = 1;
}

/** Pages of the set in each cell of [start, start + count * cellPages), by painting its runs. */
function coverage(set: RangeSet, start: number, count: number, cellPages: number): Float64Array {
  if (scratchUsed + count > scratch.length) {
    // Arrays handed out before keep the old buffer alive until the tile is done.
    scratch = new Float64Array(Math.max(scratch.length * 2, scratchUsed + count, 4096));
    scratchUsed = 0;
  }
  const cells = scratch.subarray(scratchUsed, scratchUsed + count);
  scratchUsed += count;
  const end = start + count * cellPages;
  // Most roles either fill a tile (its zone, an allocated gigantic page) or touch a few cells.
  if (set.covers(start, end)) return cells.fill(cellPages);
  cells.fill(0);
  for (const run of set.runsIn(start, end)) {
    for (let r = 0; r < run.reps; r++) {
      let s = run.start + r * run.stride;
      const e = s + run.len;
      // The cells where this piece starts and ends, and the ones after each, may change.
      const firstCell = Math.floor((Math.max(s, start) - start) / cellPages);
      const lastCell = Math.floor((Math.min(e, end) - 1 - start) / cellPages);
      markEdge(firstCell, count);
      markEdge(firstCell + 1, count);
      markEdge(lastCell, count);
      markEdge(lastCell + 1, count);
      while (s < e) {
        const cell = Math.floor((s - start) / cellPages);
        const cellEnd = start + (cell + 1) * cellPages;
        const to = Math.min(e, cellEnd);
        cells[cell]! += to - s;
        s = to;
      }
    }
  }
  return cells;
}

/** The tile's cells, CELL_BYTES each, in a buffer the next call reuses (read it at once). */
export function classifyCells(
  sets: CellSets,
  start: number,
  count: number,
  cellPages: number,
): Uint8Array {
  let list = cache.get(sets);
  if (!list) cache.set(sets, (list = occupants(sets)));
  scratchUsed = 0;
  if (edges.length < count) edges = new Uint8Array(count);
  edges.fill(0, 0, count);
  edges[0] = 1;
  const end = start + count * cellPages;
  // Only the roles that touch this tile are read, each once, painted onto the cells.
  const here = list
    .filter(([, set]) => set.intersects(start, end))
    .map(([kind, set, param]) => ({ kind, param, pages: coverage(set, start, count, cellPages) }));
  const zones = [...sets.online]
    .filter(([, set]) => set.intersects(start, end))
    .map(([zone, set]) => ({
      kind: FREE[zone] ?? CELL.hole,
      pages: coverage(set, start, count, cellPages),
    }));
  if (sets.offline.intersects(start, end))
    zones.push({ kind: CELL.offline, pages: coverage(sets.offline, start, count, cellPages) });
  if (outWords.length < count) outWords = new Uint32Array(count);
  // A cell is one 32-bit word (CELL_BYTES is 4): copying cells is a fill.
  const words = outWords;
  const out = new Uint8Array(words.buffer, 0, count * CELL_BYTES);
  for (let i = 0; i < count; i++) {
    if (edges[i] === 0 && copyAlike) {
      // Every cell up to the next edge reads what the one before it read.
      let next = edges.indexOf(1, i);
      if (next < 0 || next > count) next = count;
      words.fill(words[i - 1]!, i, next);
      i = next - 1;
      continue;
    }
    // The first two occupants by priority; the rest of the cell is free, offline or a hole.
    let aKind: CellKind | null = null;
    let aPages = 0;
    let aParam = 0;
    let bKind: CellKind | null = null;
    for (const occupant of here) {
      const pages = occupant.pages[i]!;
      if (pages === 0) continue;
      if (aKind === null) {
        aKind = occupant.kind;
        aPages = pages;
        aParam = occupant.param;
      } else {
        bKind = occupant.kind;
        break;
      }
    }
    let baseKind: CellKind = CELL.hole;
    let basePages = 0;
    for (const zone of zones) {
      if (zone.pages[i]! > basePages) {
        baseKind = zone.kind;
        basePages = zone.pages[i]!;
      }
    }
    if (aKind === null) {
      aKind = baseKind;
      aPages = cellPages;
    }
    bKind ??= aPages >= cellPages ? aKind : baseKind;
    const o = i * CELL_BYTES;
    out[o] = aKind;
    out[o + 1] = bKind;
    out[o + 2] = Math.max(1, Math.min(255, Math.round((aPages / cellPages) * 255)));
    out[o + 3] = aParam & 255;
  }
  return out;
}
