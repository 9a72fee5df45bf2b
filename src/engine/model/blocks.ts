/**
 * Memory blocks as runs of identical neighbours, keyed by block id.
 *
 * A 2 PiB machine with 2 GiB blocks has a million blocks; they cost one entry per run of blocks
 * that share every attribute, so the cost follows the events that made them differ.
 */
import type { ZoneName } from '../arch.ts';

export interface BlockAttrs {
  readonly node: number;
  readonly state: 'online' | 'offline';
  readonly zone: ZoneName | null;
  /** The add request (resource) that created the blocks; -1 for boot memory. */
  readonly resource: number;
  /** Pages at the start of each block that hold memmap (self-hosted), force padding included. */
  readonly memmapPages: number;
  readonly wastePages: number;
  /** Pages of each block that exist; less than a block only at the edges of boot RAM. */
  readonly presentPages: number;
  /** Index of the first present page inside the block (boot RAM that starts mid-block). */
  readonly presentOffset: number;
  /**
   * Pages at the end of the block that a virtio-mem device has not plugged: present (the block
   * was added whole) but fake-offline, never managed.
   */
  readonly unpluggedPages: number;
  /**
   * Which blocks of a run hold the memmapPages: block b does when b % memmapEvery === memmapPhase
   * (absent: every block). A group of N blocks sharing one altmap on its first block
   * (kernel.strategy "group") is one run with memmapEvery N, not a run per block.
   */
  readonly memmapEvery?: number;
  readonly memmapPhase?: number;
}

/**
 * Builds attributes as one literal with every field in a fixed order. Object spread is avoided on
 * purpose: V8 builds a spread-then-extended object through a slow path (about 20 µs each here),
 * which dominated large scenarios.
 */
export function blockAttrs(a: BlockAttrs): BlockAttrs {
  return {
    node: a.node,
    state: a.state,
    zone: a.zone,
    resource: a.resource,
    memmapPages: a.memmapPages,
    wastePages: a.wastePages,
    presentPages: a.presentPages,
    presentOffset: a.presentOffset,
    unpluggedPages: a.unpluggedPages,
    memmapEvery: a.memmapEvery ?? 1,
    memmapPhase: a.memmapPhase ?? 0,
  };
}

/**
 * A block as hot-add creates it: offline, in no zone, all of it present, its memmap reservation
 * (and, for a group's blocks, which of them hold it) as given.
 */
export function addedBlockAttrs(
  node: number,
  resource: number,
  blockPages: number,
  memmap: {
    memmapPages: number;
    wastePages: number;
    unpluggedPages?: number;
    memmapEvery?: number;
    memmapPhase?: number;
  },
): BlockAttrs {
  return blockAttrs({
    node,
    state: 'offline',
    zone: null,
    resource,
    memmapPages: memmap.memmapPages,
    wastePages: memmap.wastePages,
    presentPages: blockPages,
    presentOffset: 0,
    unpluggedPages: memmap.unpluggedPages ?? 0,
    memmapEvery: memmap.memmapEvery,
    memmapPhase: memmap.memmapPhase,
  });
}

/** The same attributes with another memmap reservation (a node-hosts host block growing). */
export function withMemmap(a: BlockAttrs, memmapPages: number, wastePages: number): BlockAttrs {
  return blockAttrs({
    node: a.node,
    state: a.state,
    zone: a.zone,
    resource: a.resource,
    memmapPages,
    wastePages,
    presentPages: a.presentPages,
    presentOffset: a.presentOffset,
    unpluggedPages: a.unpluggedPages,
    memmapEvery: a.memmapEvery,
    memmapPhase: a.memmapPhase,
  });
}

/** How many of blocks [first, first + count) hold memmap when every `every`-th does, from `phase`. */
export function hostsIn(first: number, count: number, every = 1, phase = 0): number {
  if (every === 1) return count;
  const firstHost = first + ((((phase - first) % every) + every) % every);
  const end = first + count;
  return firstHost >= end ? 0 : Math.floor((end - 1 - firstHost) / every) + 1;
}

/** Memmap pages (force padding included) that blocks [first, first + count) of a run hold. */
export const runMemmapPages = (first: number, count: number, a: BlockAttrs) =>
  a.memmapPages === 0 ? 0 : hostsIn(first, count, a.memmapEvery, a.memmapPhase) * a.memmapPages;

/** The memmap pages at the start of one block of a run. */
export const blockMemmapPages = (block: number, a: BlockAttrs) =>
  hostsIn(block, 1, a.memmapEvery, a.memmapPhase) * a.memmapPages;

export function withState(
  a: BlockAttrs,
  state: BlockAttrs['state'],
  zone: BlockAttrs['zone'],
): BlockAttrs {
  return {
    node: a.node,
    state,
    zone,
    resource: a.resource,
    memmapPages: a.memmapPages,
    wastePages: a.wastePages,
    presentPages: a.presentPages,
    presentOffset: a.presentOffset,
    unpluggedPages: a.unpluggedPages,
    memmapEvery: a.memmapEvery ?? 1,
    memmapPhase: a.memmapPhase ?? 0,
  };
}

export interface BlockRunEntry {
  first: number;
  count: number;
  attrs: BlockAttrs;
}

const sameAttrs = (a: BlockAttrs, b: BlockAttrs) =>
  a.node === b.node &&
  a.state === b.state &&
  a.zone === b.zone &&
  a.resource === b.resource &&
  a.memmapPages === b.memmapPages &&
  a.wastePages === b.wastePages &&
  a.presentPages === b.presentPages &&
  a.presentOffset === b.presentOffset &&
  a.unpluggedPages === b.unpluggedPages &&
  (a.memmapEvery ?? 1) === (b.memmapEvery ?? 1) &&
  (a.memmapPhase ?? 0) === (b.memmapPhase ?? 0);

export class BlockMap {
  private runs: BlockRunEntry[] = [];

  all(): readonly BlockRunEntry[] {
    return this.runs;
  }

  private indexAfter(block: number): number {
    // First run whose end is > block.
    let lo = 0;
    let hi = this.runs.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      const run = this.runs[mid]!;
      if (run.first + run.count > block) hi = mid;
      else lo = mid + 1;
    }
    return lo;
  }

  /** The run holding `block`, if the block exists. */
  at(block: number): BlockRunEntry | undefined {
    const run = this.runs[this.indexAfter(block)];
    return run && run.first <= block ? run : undefined;
  }

  /** Runs (clipped) overlapping [first, first + count). */
  *within(first: number, count: number): IterableIterator<BlockRunEntry> {
    const end = first + count;
    for (let i = this.indexAfter(first); i < this.runs.length; i++) {
      const run = this.runs[i]!;
      if (run.first >= end) break;
      const s = Math.max(run.first, first);
      const e = Math.min(run.first + run.count, end);
      yield { first: s, count: e - s, attrs: run.attrs };
    }
  }

  /**
   * The distinct nodes of the blocks in [first, first + count), appended to `out` (the window
   * classification asks this of every window: no iterator, no clipped copies).
   */
  nodesWithin(first: number, count: number, out: number[]): void {
    const end = first + count;
    for (let i = this.indexAfter(first); i < this.runs.length; i++) {
      const run = this.runs[i]!;
      if (run.first >= end) break;
      if (!out.includes(run.attrs.node)) out.push(run.attrs.node);
    }
  }

  /** How many existing blocks lie in [first, first + count). */
  countWithin(first: number, count: number): number {
    let total = 0;
    for (const run of this.within(first, count)) total += run.count;
    return total;
  }

  /** Splits so that `block` starts a run (no-op at run edges or outside runs). */
  private splitAt(block: number): void {
    const i = this.indexAfter(block);
    const run = this.runs[i];
    if (!run || run.first >= block) return;
    const left = { first: run.first, count: block - run.first, attrs: run.attrs };
    const right = { first: block, count: run.first + run.count - block, attrs: run.attrs };
    this.runs.splice(i, 1, left, right);
  }

  /** Inserts new blocks; the range must be free of blocks. */
  insert(first: number, count: number, attrs: BlockAttrs): void {
    if (count <= 0) return;
    const i = this.indexAfter(first);
    this.runs.splice(i, 0, { first, count, attrs });
    this.mergeAround(i);
  }

  /** Replaces the attributes of every existing block in the range. */
  update(first: number, count: number, change: (attrs: BlockAttrs) => BlockAttrs): void {
    if (count <= 0) return;
    this.splitAt(first);
    this.splitAt(first + count);
    let i = this.indexAfter(first);
    const startIndex = i;
    while (i < this.runs.length && this.runs[i]!.first < first + count) {
      const run = this.runs[i]!;
      this.runs[i] = { first: run.first, count: run.count, attrs: change(run.attrs) };
      i++;
    }
    this.mergeRange(Math.max(0, startIndex - 1), Math.min(this.runs.length, i + 1));
  }

  delete(first: number, count: number): void {
    this.splitAt(first);
    this.splitAt(first + count);
    const i = this.indexAfter(first);
    let j = i;
    while (j < this.runs.length && this.runs[j]!.first < first + count) j++;
    this.runs.splice(i, j - i);
    this.mergeRange(Math.max(0, i - 1), Math.min(this.runs.length, i + 1));
  }

  private mergeAround(i: number): void {
    this.mergeRange(Math.max(0, i - 1), Math.min(this.runs.length, i + 2));
  }

  private mergeRange(from: number, to: number): void {
    let i = from;
    let end = to;
    while (i + 1 < end && i + 1 < this.runs.length) {
      const a = this.runs[i]!;
      const b = this.runs[i + 1]!;
      if (a.first + a.count === b.first && sameAttrs(a.attrs, b.attrs)) {
        this.runs.splice(i, 2, { first: a.first, count: a.count + b.count, attrs: a.attrs });
        end--;
      } else {
        i++;
      }
    }
  }
}
