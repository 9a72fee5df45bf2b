/**
 * The map's tiles: one tile per gigantic-page window, read at cell resolution (a pageblock, or
 * finer where pageblocks are as large as blocks), and grouped the way the windows repeat.
 *
 * Between two places where anything starts or ends the windows are alike or periodic (see
 * ../analysis/segments.ts), so each segment is read for one period of tiles; a tile's cells are
 * deduplicated into patterns. A 64 TiB machine costs what its events made different.
 */
import type { ZoneName } from '../arch.ts';
import { periodsOf } from '../analysis/segments.ts';
import { contextOf, classify, windowPagesOf, type Context } from '../analysis/windows.ts';
import type { Machine } from '../model/machine.ts';
import { hostsIn } from '../model/blocks.ts';
import { RangeSet, type Run } from '../rangeset.ts';
import type { TileGroup, TileMember, Tiles, TileStatus } from '../result.ts';
import { formatBytes } from '../units.ts';
import { CELL_BYTES } from './cells.ts';
import { cellSets, classifyCells, type CellSets } from './tile-cells.ts';

export function tileGeometry(machine: Machine) {
  const tilePages = windowPagesOf(machine);
  // Rows are memory blocks when a tile holds several, else sections, else eighths of a tile: a
  // block's memmap is then the first cells of its row.
  const rowPages =
    machine.blockPages < tilePages
      ? machine.blockPages
      : machine.pagesPerSection < tilePages
        ? machine.pagesPerSection
        : Math.max(1, tilePages / 8);
  let cellPages = Math.min(machine.pageblockPages, Math.max(1, rowPages / 8));
  cellPages = Math.max(cellPages, tilePages / 4096);
  return { tilePages, rowPages, cellPages };
}

const LABELS: Record<TileStatus, string> = {
  allocated: 'allocated',
  possible: 'possible',
  memmap: 'blocked by memmap',
  movable: 'blocked by ZONE_MOVABLE',
  boot: 'blocked by boot memory and its kernel allocations',
  kernel: 'blocked by kernel allocations',
  offline: 'blocked by offline blocks',
  hole: 'blocked by a hole',
  mixed: 'blocked by two zones',
  device: 'blocked by device memory (ZONE_DEVICE)',
  'in-use': 'blocked by smaller huge pages',
};

interface Phase {
  key: string;
  member: Omit<TileMember, 'offset' | 'count'>;
}

function readTile(
  machine: Machine,
  sets: CellSets,
  ctx: Context,
  pinned: RangeSet,
  first: number,
  patterns: Map<string, number>,
  list: number[][],
): Phase | null {
  const { tilePages, cellPages } = sets.geometry;
  const start = first * tilePages;
  const end = start + tilePages;
  const verdict = classify(machine, ctx, start);
  let status: TileStatus;
  let node: number;
  let zone: ZoneName | null;
  if (verdict) {
    status = verdict.status;
    node = verdict.node;
    zone = verdict.zone;
    if (status === 'offline' && sets.present.totalIn(start, end) < tilePages) status = 'hole';
  } else {
    const device = machine.devices.find((d) => d.startPfn < end && d.startPfn + d.nrPages > start);
    if (!device) return null;
    status = 'device';
    node = device.node;
    zone = 'Device';
  }
  const cells = classifyCells(sets, start, tilePages / cellPages, cellPages);
  const rle = runLength(cells);
  const patternKey = rle.join(',');
  let pattern = patterns.get(patternKey);
  if (pattern === undefined) {
    pattern = list.length;
    list.push(rle);
    patterns.set(patternKey, pattern);
  }
  const hostNodes = sets.hostNodesOf(start, end);
  const pinnedRows = rowsMeeting(pinned, start, end, sets.geometry.rowPages);
  const label =
    status === 'memmap'
      ? `${LABELS.memmap} (${memmapDetail(machine, sets, start, end)})`
      : LABELS[status];
  return {
    key: `${pattern}|${status}|${node}|${zone}|${hostNodes.join('.')}|${label}|${pinnedRows.join('.')}`,
    member: {
      pattern,
      status,
      label,
      node,
      zone,
      hostNodes,
      ...(pinnedRows.length ? { pinnedRows } : {}),
    },
  };
}

/** Rows of the tile [start, end) that meet the set. */
function rowsMeeting(set: RangeSet, start: number, end: number, rowPages: number): number[] {
  if (!set.intersects(start, end)) return [];
  const rows: number[] = [];
  for (let row = 0, from = start; from < end; row++, from += rowPages)
    if (set.intersects(from, from + rowPages)) rows.push(row);
  return rows;
}

/**
 * Pages of the blocks pinned by hosting memmap (strategy/pinned.ts works in block ids): a
 * periodic run of block ids stays one periodic run of pages.
 */
function pinnedPages(machine: Machine, pinnedBlocks: RangeSet): RangeSet {
  const bp = machine.blockPages;
  return RangeSet.ofRuns(
    pinnedBlocks.runs().map((run) => ({
      start: run.start * bp,
      len: run.len * bp,
      stride: run.stride * bp,
      reps: run.reps,
    })),
  );
}

/** "2 MiB in each of 8 blocks", or how much memmap of which node, for a blocked window. */
function memmapDetail(machine: Machine, sets: CellSets, start: number, end: number): string {
  const self = sets.selfAll.totalIn(start, end);
  if (self > 0) {
    const blocks: number[] = [];
    for (const run of machine.blocks.within(
      Math.floor(start / machine.blockPages),
      Math.max(1, (end - start) / machine.blockPages),
    )) {
      if (run.attrs.memmapPages === 0 || run.attrs.resource < 0) continue;
      const hosts = hostsIn(run.first, run.count, run.attrs.memmapEvery, run.attrs.memmapPhase);
      blocks.push(...Array(Math.min(hosts, 64)).fill(run.attrs.memmapPages));
    }
    const perBlock = blocks[0] ?? 0;
    if (
      blocks.length > 1 &&
      blocks.every((p) => p === perBlock) &&
      self === perBlock * blocks.length
    )
      return `${formatBytes(machine.toBytes(perBlock))} in each of ${blocks.length} blocks`;
    if (blocks.length === 1 && machine.blockPages > end - start)
      return `${formatBytes(machine.toBytes(self))} at the start of its ${formatBytes(machine.toBytes(machine.blockPages))} block`;
    return `${formatBytes(machine.toBytes(self))} of struct pages`;
  }
  const parts: string[] = [];
  for (const [node, set] of sets.ramByNode) {
    const pages = set.totalIn(start, end);
    if (pages > 0)
      parts.push(`${formatBytes(machine.toBytes(pages))} of node ${node}'s struct pages`);
  }
  const boot = sets.boot.totalIn(start, end);
  if (boot > 0) parts.push(`${formatBytes(machine.toBytes(boot))} of the boot memmap`);
  return parts.join(', ') || 'memmap';
}

/** Cells as runs: [count, a, b, fraction, param, ...]. */
function runLength(cells: Uint8Array): number[] {
  const out: number[] = [];
  // One cell is one 32-bit word: a run is where the words repeat.
  const words = new Uint32Array(cells.buffer, cells.byteOffset, cells.length / CELL_BYTES);
  for (let i = 0; i < words.length;) {
    let j = i + 1;
    while (j < words.length && words[j] === words[i]) j++;
    const o = i * CELL_BYTES;
    out.push(j - i, cells[o]!, cells[o + 1]!, cells[o + 2]!, cells[o + 3]!);
    i = j;
  }
  return out;
}

/** The map's tiles; `pinnedBlocks` are the block ids strategy/pinned.ts finds pinned. */
export function buildTiles(machine: Machine, pinnedBlocks: RangeSet): Tiles {
  const geometry = tileGeometry(machine);
  const ctx = contextOf(machine, geometry.tilePages);
  const sets = cellSets(machine, geometry, ctx);
  const pinned = pinnedPages(machine, pinnedBlocks);
  const sources: Run[] = [...sets.sources(), ...pinned.runs()];
  const patterns = new Map<string, number>();
  const list: number[][] = [];
  const groups: TileGroup[] = [];
  const toBytes = (tiles: number) => machine.toBytes(tiles * geometry.tilePages);
  for (const segment of periodsOf(sources, geometry.tilePages)) {
    const phases: (Phase | null)[] = [];
    for (let j = 0; j < segment.period; j++)
      phases.push(readTile(machine, sets, ctx, pinned, segment.first + j, patterns, list));
    const whole = Math.floor(segment.count / segment.period);
    const rest = segment.count - whole * segment.period;
    const membersOf = (limit: number): TileMember[] => {
      const members: TileMember[] = [];
      for (let j = 0; j < limit; j++) {
        const phase = phases[j];
        if (!phase) continue;
        const last = members[members.length - 1];
        if (last && last.offset + last.count === j && phases[j - 1]?.key === phase.key)
          last.count++;
        else members.push({ offset: j, count: 1, ...phase.member });
      }
      return members;
    };
    if (whole > 0) {
      const members = membersOf(segment.period);
      if (members.length)
        pushGroup(
          groups,
          { startAddr: toBytes(segment.first), period: segment.period, repeat: whole, members },
          geometry.tilePages,
          machine,
        );
    }
    if (rest > 0) {
      const members = membersOf(rest);
      if (members.length)
        pushGroup(
          groups,
          {
            startAddr: toBytes(segment.first + whole * segment.period),
            period: rest,
            repeat: 1,
            members,
          },
          geometry.tilePages,
          machine,
        );
    }
  }
  return {
    tileSize: machine.toBytes(geometry.tilePages),
    rowSize: machine.toBytes(geometry.rowPages),
    cellSize: machine.toBytes(geometry.cellPages),
    patterns: list,
    groups,
  };
}

/** Appends a group, folding it into the one before when both are runs of one alike tile. */
function pushGroup(
  groups: TileGroup[],
  group: TileGroup,
  tilePages: number,
  machine: Machine,
): void {
  const flat = (g: TileGroup) =>
    g.members.length === 1 &&
    g.members[0]!.offset === 0 &&
    (g.repeat === 1 || g.members[0]!.count === g.period);
  const span = (g: TileGroup) => g.period * g.repeat;
  const last = groups[groups.length - 1];
  if (last && flat(last) && flat(group)) {
    const a = last.members[0]!;
    const b = group.members[0]!;
    const lastEnd = last.startAddr + machine.toBytes(span(last) * tilePages);
    const sameContent =
      a.pattern === b.pattern &&
      a.status === b.status &&
      a.node === b.node &&
      a.zone === b.zone &&
      a.label === b.label &&
      a.hostNodes.join() === b.hostNodes.join() &&
      (a.pinnedRows ?? []).join() === (b.pinnedRows ?? []).join();
    if (sameContent && lastEnd === group.startAddr) {
      const tiles = span(last) + span(group);
      last.period = tiles;
      last.repeat = 1;
      a.count = tiles;
      return;
    }
  }
  if (flat(group) && group.repeat > 1) {
    const tiles = span(group);
    groups.push({
      startAddr: group.startAddr,
      period: tiles,
      repeat: 1,
      members: [{ ...group.members[0]!, count: tiles }],
    });
    return;
  }
  groups.push(group);
}
