/**
 * A set of integers kept as sorted entries: plain half-open ranges [start, end), and periodic
 * entries ("a pattern every stride, N times") for what repeats block after block.
 *
 * This is how the engine stays independent of memory size: free memory, a zone's pfns or a
 * node's boot RAM cost one entry per contiguous range, and memory with memmap_on_memory (a
 * hole at the start of every block) costs one periodic entry per stretch of alike blocks, not
 * one per block. An event that makes some repetitions differ splits an entry in at most three.
 *
 * Entries never overlap or touch (see ./ranges/entry.ts for what a canonical entry promises),
 * so every maximal contiguous run of the set is one range of one repetition. Queries find the
 * entry by binary search and the repetition by arithmetic: O(log n + pattern).
 */
import {
  canonical,
  entryEnd,
  entryMinus,
  entryTotal,
  isPlain,
  memberBase,
  memberIndex,
  memberRanges,
  plainEntry,
  type Entry,
} from './ranges/entry.ts';
import { firstEndAfter, type Pattern } from './ranges/pattern.ts';
import { insertPeriodic, removePeriodicFrom, type Combined } from './ranges/combine.ts';
import { alignedRuns, countAligned, takeRuns } from './ranges/take.ts';
import { normalizeEntries } from './ranges/normalize.ts';

export interface Range {
  start: number;
  end: number;
}

/** `reps` copies of [start, start + len), each `stride` after the one before (reps 1: plain). */
export interface Run {
  start: number;
  len: number;
  stride: number;
  reps: number;
}

/**
 * For the property test that checks the periodic form against a naive expansion: with periodic
 * entries off, every periodic add or remove is applied one range at a time.
 */
let periodicEntries = true;
export function withNaiveRanges<T>(fn: () => T): T {
  periodicEntries = false;
  try {
    return fn();
  } finally {
    periodicEntries = true;
  }
}

export const runEnd = (run: Run) => run.start + (run.reps - 1) * run.stride + run.len;
export const runTotal = (run: Run) => run.reps * run.len;

export class RangeSet {
  private entries: Entry[] = [];
  private sum = 0;

  static of(ranges: Iterable<Range>): RangeSet {
    const set = new RangeSet();
    for (const range of ranges) set.add(range.start, range.end);
    return set;
  }

  static ofRuns(runs: Iterable<Run>): RangeSet {
    const set = new RangeSet();
    for (const run of runs) set.addRun(run);
    return set;
  }

  clone(): RangeSet {
    const copy = new RangeSet();
    copy.entries = this.entries.slice();
    copy.sum = this.sum;
    return copy;
  }

  /** Number of entries (what the set costs), not of integers. */
  get size(): number {
    return this.entries.length;
  }

  /** Number of integers in the set. */
  total(): number {
    return this.sum;
  }

  isEmpty(): boolean {
    return this.entries.length === 0;
  }

  first(): number | undefined {
    return this.entries[0]?.start;
  }

  /** One past the last member. */
  last(): number | undefined {
    const entry = this.entries[this.entries.length - 1];
    return entry ? entryEnd(entry) : undefined;
  }

  /** The entries as runs: one run per pattern range of each entry. */
  runs(): Run[] {
    const out: Run[] = [];
    for (const entry of this.entries) out.push(...entryRuns(entry));
    return out;
  }

  /** Runs clipped to [start, end): periodic runs stay periodic, edge repetitions are cut. */
  runsIn(start: number, end: number): Run[] {
    const out: Run[] = [];
    for (let i = this.firstEndingAfter(start); i < this.entries.length; i++) {
      const entry = this.entries[i]!;
      if (entry.start >= end) break;
      for (const piece of canonicalClip(entry, start, end)) out.push(...entryRuns(piece));
    }
    return out;
  }

  /** Calls fn for each run without building a list (hot loops over many entries). */
  forEachRun(fn: (run: Run) => void): void {
    for (const entry of this.entries) for (const run of entryRuns(entry)) fn(run);
  }

  /** Every range, repetitions expanded: for small sets or bounded windows only. */
  *ranges(): IterableIterator<Range> {
    for (const entry of this.entries) {
      for (let k = 0; k < entry.reps; k++) yield* flatRanges(memberRanges(entry, k));
    }
  }

  *rangesDescending(): IterableIterator<Range> {
    for (let i = this.entries.length - 1; i >= 0; i--) {
      const entry = this.entries[i]!;
      for (let k = entry.reps - 1; k >= 0; k--) {
        const flat = memberRanges(entry, k);
        for (let j = flat.length - 2; j >= 0; j -= 2) yield { start: flat[j]!, end: flat[j + 1]! };
      }
    }
  }

  toArray(): Range[] {
    return [...this.ranges()];
  }

  /** The expanded ranges inside [start, end), clipped. */
  *rangesIn(start: number, end: number): IterableIterator<Range> {
    for (let i = this.firstEndingAfter(start); i < this.entries.length; i++) {
      const entry = this.entries[i]!;
      if (entry.start >= end) break;
      const from = memberIndex(entry, start);
      const to = memberIndex(entry, end - 1);
      for (let k = from; k <= to; k++) {
        for (const range of flatRanges(memberRanges(entry, k))) {
          const s = Math.max(range.start, start);
          const e = Math.min(range.end, end);
          if (e > s) yield { start: s, end: e };
        }
      }
    }
  }

  /** How many integers of [start, end) are in the set. */
  totalIn(start: number, end: number): number {
    if (end <= start) return 0;
    let sum = 0;
    for (let i = this.firstEndingAfter(start); i < this.entries.length; i++) {
      const entry = this.entries[i]!;
      if (entry.start >= end) break;
      if (entry.start >= start && entryEnd(entry) <= end) {
        sum += entryTotal(entry);
        continue;
      }
      for (const piece of canonicalClip(entry, start, end)) sum += entryTotal(piece);
    }
    return sum;
  }

  /** Index of the first entry whose end is > value. */
  private firstEndingAfter(value: number): number {
    let lo = 0;
    let hi = this.entries.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (entryEnd(this.entries[mid]!) > value) hi = mid;
      else lo = mid + 1;
    }
    return lo;
  }

  /** The maximal contiguous range holding `value`, or null. */
  rangeAt(value: number): Range | null {
    const entry = this.entries[this.firstEndingAfter(value)];
    if (!entry || entry.start > value) return null;
    const k = memberIndex(entry, value);
    const base = memberBase(entry, k);
    const j = firstEndAfter(entry.pat, value - base);
    if (j >= entry.pat.length || base + entry.pat[j]! > value) return null;
    return { start: base + entry.pat[j]!, end: base + entry.pat[j + 1]! };
  }

  has(value: number): boolean {
    return this.rangeAt(value) !== null;
  }

  /** True when every integer of [start, end) is in the set. */
  covers(start: number, end: number): boolean {
    if (end <= start) return true;
    const range = this.rangeAt(start);
    return range !== null && range.end >= end;
  }

  intersects(start: number, end: number): boolean {
    if (end <= start) return false;
    const entry = this.entries[this.firstEndingAfter(start)];
    if (!entry || entry.start >= end) return false;
    const k = memberIndex(entry, start);
    const base = memberBase(entry, k);
    const j = firstEndAfter(entry.pat, start - base);
    if (j < entry.pat.length) return base + entry.pat[j]! < end;
    // Nothing of repetition k ends after start: the next repetition's first range decides.
    return k + 1 < entry.reps && memberBase(entry, k + 1) < end;
  }

  add(start: number, end: number): void {
    if (end <= start) return;
    const i = this.firstEndingAfter(start - 1);
    let j = i;
    const replacement: Entry[] = [];
    while (j < this.entries.length && this.entries[j]!.start <= end) {
      replacement.push(...entryMinus(this.entries[j]!, start, end));
      j++;
    }
    insertSorted(replacement, plainEntry(start, end));
    this.splice(i, j, replacement);
  }

  remove(start: number, end: number): void {
    if (end <= start) return;
    const i = this.firstEndingAfter(start);
    let j = i;
    const replacement: Entry[] = [];
    while (j < this.entries.length && this.entries[j]!.start < end) {
      replacement.push(...entryMinus(this.entries[j]!, start, end));
      j++;
    }
    if (j > i) this.splice(i, j, replacement);
  }

  addRun(run: Run): void {
    if (run.reps <= 1) this.add(run.start, run.start + run.len);
    else this.addPeriodic(run.start, run.stride, run.reps, [0, run.len]);
  }

  removeRun(run: Run): void {
    if (run.reps <= 1) this.remove(run.start, run.start + run.len);
    else this.removePeriodic(run.start, run.stride, run.reps, [0, run.len]);
  }

  /** Adds `reps` repetitions of `pattern` (offsets from each repetition's base). */
  addPeriodic(start: number, stride: number, reps: number, pattern: Pattern): void {
    this.combine({ start, stride, reps, pat: pattern }, 'add');
  }

  removePeriodic(start: number, stride: number, reps: number, pattern: Pattern): void {
    this.combine({ start, stride, reps, pat: pattern }, 'remove');
  }

  private combine(incoming: Entry, op: 'add' | 'remove'): void {
    for (const part of canonical(incoming)) {
      if (isPlain(part) || !periodicEntries) {
        for (let k = 0; k < part.reps; k++) {
          for (const range of flatRanges(memberRanges(part, k))) {
            if (op === 'add') this.add(range.start, range.end);
            else this.remove(range.start, range.end);
          }
        }
        continue;
      }
      if (isPlain(part)) {
        if (op === 'add') this.add(part.start, entryEnd(part));
        else this.remove(part.start, entryEnd(part));
        continue;
      }
      const tail = this.entries[this.entries.length - 1];
      if (op === 'add' && (!tail || entryEnd(tail) < part.start)) {
        // Past everything (runs added in address order): nothing to cut, only a neighbour to
        // merge with, which splice's normalize does.
        this.splice(this.entries.length, this.entries.length, [part]);
        continue;
      }
      // An add removes first, so the insert never meets a range of its own.
      this.applyPeriodic(part, removePeriodicFrom, (range) => this.remove(range.start, range.end));
      if (op === 'add')
        this.applyPeriodic(part, insertPeriodic, (range) => this.add(range.start, range.end));
    }
  }

  private applyPeriodic(
    part: Entry,
    step: (existing: readonly Entry[], p: Entry) => Combined,
    one: (range: Range) => void,
  ): void {
    // Entries touching the span count too: the insert must cut p around them.
    const i = this.firstEndingAfter(part.start - 1);
    let j = i;
    const last = entryEnd(part);
    while (j < this.entries.length && this.entries[j]!.start <= last) j++;
    const { entries, expand } = step(this.entries.slice(i, j), part);
    this.splice(i, j, entries);
    // Repetitions that could not be combined as a whole (an entry of another stride or
    // phase) are applied range by range: correct, and rare in what the engine does.
    for (const range of flatRanges(expand)) one(range);
  }

  /** Adds many plain ranges (one merge each; large inputs should be runs instead). */
  addMany(ranges: readonly Range[]): void {
    for (const range of [...ranges].sort((a, b) => a.start - b.start))
      this.add(range.start, range.end);
  }

  removeMany(ranges: readonly Range[]): void {
    for (const range of ranges) this.remove(range.start, range.end);
  }

  addRuns(runs: readonly Run[]): void {
    for (const run of runs) this.addRun(run);
  }

  removeRuns(runs: readonly Run[]): void {
    for (const run of runs) this.removeRun(run);
  }

  /** Number of naturally aligned chunks of `chunk` (aligned to `align`) inside the set. */
  countAlignedChunks(chunk: number, align = chunk): number {
    let count = 0;
    for (const entry of this.entries) count += countAligned(entry, chunk, align);
    return count;
  }

  /**
   * Takes up to `maxChunks` aligned chunks from the bottom (or the top) of the set and returns
   * them as runs: a periodic entry gives periodic runs.
   */
  takeAligned(maxChunks: number, chunk: number, align: number, fromTop: boolean): Run[] {
    if (maxChunks <= 0 || chunk <= 0) return [];
    this.restrideFor(align);
    const taken = takeRuns(this.entries, maxChunks, chunk, align, fromTop);
    this.removeRuns(taken);
    return taken;
  }

  /** The aligned chunk runs each entry could give, without taking them. */
  chunkRuns(chunk: number, align: number): Run[] {
    this.restrideFor(align);
    const out: Run[] = [];
    for (const entry of this.entries) out.push(...alignedRuns(entry, chunk, align));
    return out;
  }

  /**
   * Periodic entries whose stride is not a multiple of `align` are re-cut with a longer period
   * (the same set), so that every repetition of an entry holds its chunks at the same offsets.
   */
  private restrideFor(align: number): void {
    if (!this.entries.some((entry) => !isPlain(entry) && entry.stride % align !== 0)) return;
    const next: Entry[] = [];
    for (const entry of this.entries) {
      if (isPlain(entry) || entry.stride % align === 0) {
        next.push(entry);
        continue;
      }
      let factor = 1;
      while ((entry.stride * factor) % align !== 0 && factor < align) factor *= 2;
      const whole = Math.floor(entry.reps / factor);
      const pat: number[] = [];
      for (let r = 0; r < factor; r++) for (const v of entry.pat) pat.push(v + r * entry.stride);
      if (whole > 0)
        next.push(
          ...canonical({ start: entry.start, stride: entry.stride * factor, reps: whole, pat }),
        );
      for (let k = whole * factor; k < entry.reps; k++)
        next.push(
          ...canonical({ start: memberBase(entry, k), stride: 1, reps: 1, pat: entry.pat }),
        );
    }
    this.entries = next;
  }

  /** Replaces entries [i, j) and restores the no-touching promise around them. */
  private splice(i: number, j: number, replacement: Entry[]): void {
    for (let k = i; k < j; k++) this.sum -= entryTotal(this.entries[k]!);
    for (const entry of replacement) this.sum += entryTotal(entry);
    this.entries.splice(i, j - i, ...replacement);
    normalizeEntries(
      this.entries,
      Math.max(0, i - 1),
      Math.min(this.entries.length, i + replacement.length + 1),
    );
  }

  /** For tests and benchmarks: the entries as plain objects. */
  debugEntries(): readonly Entry[] {
    return this.entries;
  }
}

function entryRuns(entry: Entry): Run[] {
  const out: Run[] = [];
  for (let j = 0; j < entry.pat.length; j += 2) {
    out.push({
      start: entry.start + entry.pat[j]!,
      len: entry.pat[j + 1]! - entry.pat[j]!,
      stride: isPlain(entry) ? entry.pat[j + 1]! - entry.pat[j]! : entry.stride,
      reps: entry.reps,
    });
  }
  return out;
}

function* flatRanges(flat: readonly number[]): IterableIterator<Range> {
  for (let i = 0; i + 1 < flat.length; i += 2) yield { start: flat[i]!, end: flat[i + 1]! };
}

function insertSorted(list: Entry[], entry: Entry): void {
  let i = 0;
  while (i < list.length && list[i]!.start < entry.start) i++;
  list.splice(i, 0, entry);
}

/** The entry clipped to [lo, hi), canonical. */
function canonicalClip(entry: Entry, lo: number, hi: number): Entry[] {
  const left = entryMinus(entry, Number.NEGATIVE_INFINITY, lo);
  return left.flatMap((part) => entryMinus(part, hi, Number.POSITIVE_INFINITY));
}
