/**
 * Removing a periodic entry from the entries under it, and inserting one where nothing of it is
 * yet (an add is a remove, then an insert, so the two never have to agree on overlaps).
 *
 * The common case is cheap and exact: an existing periodic entry with the same stride and phase
 * (the same blocks) takes the difference or the union of the two patterns, repetition by
 * repetition, in one step. A plain range under the incoming repetitions becomes the complement
 * pattern over whole periods. Anything else (another stride or phase) is handed back to be
 * applied range by range: correct, and rare in what the engine does.
 */
import {
  canonical,
  entryEnd,
  isPlain,
  memberBase,
  memberRanges,
  plainsOf,
  subEntry,
  type Entry,
} from './entry.ts';
import { diffPattern, patternEnd, shiftPattern, unionPattern } from './pattern.ts';

export interface Combined {
  /** Replacement for the existing entries, sorted. */
  entries: Entry[];
  /** Absolute ranges (flat) still to apply one by one with the same operation. */
  expand: number[];
}

/** Repetitions of p whose span [base, base + pattern end) overlaps the entry's span. */
function overlapping(entry: Entry, p: Entry): [number, number] {
  const kA = Math.max(0, Math.floor((entry.start - p.start - patternEnd(p.pat)) / p.stride) + 1);
  const kB = Math.min(p.reps - 1, Math.ceil((entryEnd(entry) - p.start) / p.stride) - 1);
  return [kA, kB];
}

/**
 * p on the entry's grid: the same ranges, with repetition bases at the entry's bases (its
 * pattern shifted by the phase difference), or null when the strides differ or p's repetitions
 * would straddle the entry's period boundaries.
 */
function rebase(entry: Entry, p: Entry): Entry | null {
  if (isPlain(entry) || entry.stride !== p.stride) return null;
  const phase = (((p.start - entry.start) % p.stride) + p.stride) % p.stride;
  if (phase === 0) return p;
  if (patternEnd(p.pat) + phase > p.stride) return null;
  return {
    start: p.start - phase,
    stride: p.stride,
    reps: p.reps,
    pat: shiftPattern(p.pat, phase),
  };
}

/** The aligned entry with pattern `op` p's over their common repetitions. */
function mergeAligned(
  entry: Entry,
  p: Entry,
  kA: number,
  kB: number,
  pat: number[],
): Entry[] | null {
  const shift = (p.start - entry.start) / p.stride;
  const tA = Math.max(0, kA + shift);
  const tB = Math.min(entry.reps - 1, kB + shift);
  if (tA > tB) return null;
  return [
    ...canonical(subEntry(entry, 0, tA)),
    ...canonical({ start: memberBase(entry, tA), stride: p.stride, reps: tB - tA + 1, pat }),
    ...canonical(subEntry(entry, tB + 1, entry.reps)),
  ];
}

export function removePeriodicFrom(existing: readonly Entry[], p: Entry): Combined {
  const out: Entry[] = [];
  const expand: number[] = [];
  for (const entry of existing) {
    const [kA, kB] = overlapping(entry, p);
    if (kA > kB) {
      out.push(entry);
      continue;
    }
    const grid = rebase(entry, p);
    if (grid) {
      const merged = mergeAligned(entry, grid, kA, kB, diffPattern(entry.pat, grid.pat));
      out.push(...(merged ?? [entry]));
    } else if (isPlain(entry)) {
      out.push(...cutPlain(entry, p, kA, kB));
    } else {
      for (let k = kA; k <= kB; k++) expand.push(...memberRanges(p, k));
      out.push(entry);
    }
  }
  return { entries: out, expand };
}

/** Inserts p where none of its ranges is present yet (after removePeriodicFrom). */
export function insertPeriodic(existing: readonly Entry[], p: Entry): Combined {
  const out: Entry[] = [];
  const expand: number[] = [];
  const handled: [number, number][] = [];
  for (const entry of existing) {
    const [kA, kB] = overlapping(entry, p);
    if (kA > kB) {
      out.push(entry);
      // The entry sits between two repetitions of p: p is cut there.
      const at = Math.max(0, Math.min(p.reps, Math.ceil((entry.start - p.start) / p.stride)));
      handled.push([at, at]);
      continue;
    }
    const grid = rebase(entry, p);
    const merged = grid
      ? mergeAligned(entry, grid, kA, kB, unionPattern(entry.pat, grid.pat))
      : null;
    if (grid && merged) {
      out.push(...merged);
      const shift = (grid.start - entry.start) / p.stride;
      handled.push([Math.max(kA, -shift), Math.min(kB, entry.reps - 1 - shift) + 1]);
      continue;
    }
    // A plain range in a gap of p's pattern, or another stride: those repetitions one by one.
    for (let k = kA; k <= kB; k++) expand.push(...memberRanges(p, k));
    out.push(entry);
    handled.push([kA, kB + 1]);
  }
  let cursor = 0;
  for (const [from, to] of handled.sort((a, b) => a[0] - b[0])) {
    if (from > cursor) out.push(...canonical(subEntry(p, cursor, from)));
    cursor = Math.max(cursor, to);
  }
  if (cursor < p.reps) out.push(...canonical(subEntry(p, cursor, p.reps)));
  out.sort((a, b) => a.start - b.start);
  return { entries: out, expand };
}

/** A plain range minus repetitions kA..kB of p: the complement pattern over whole periods. */
function cutPlain(entry: Entry, p: Entry, kA: number, kB: number): Entry[] {
  const a = entry.start;
  const b = entryEnd(entry);
  const stride = p.stride;
  // Repetitions whose whole period lies inside the range.
  const first = Math.max(kA, Math.ceil((a - p.start) / stride));
  const last = Math.min(kB, Math.floor((b - p.start) / stride) - 1);
  const cut = (from: number, to: number, lo: number, hi: number) => {
    let flat = [lo, hi];
    for (let k = from; k <= to; k++) flat = diffPattern(flat, memberRanges(p, k));
    return plainsOf(flat);
  };
  if (first > last) return cut(kA, kB, a, b);
  return [
    ...cut(kA, first - 1, a, memberBase(p, first)),
    ...canonical({
      start: memberBase(p, first),
      stride,
      reps: last - first + 1,
      pat: diffPattern([0, stride], p.pat),
    }),
    ...cut(last + 1, kB, memberBase(p, last + 1), b),
  ];
}
