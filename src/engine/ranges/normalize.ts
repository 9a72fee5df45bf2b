/**
 * The no-touching promise of a RangeSet's entry list (see ../rangeset.ts), restored after an
 * edit: neighbours that touch are merged or re-cut, alike periodic neighbours joined, and plain
 * ranges that equal a periodic neighbour's next repetition taken back into it.
 */
import {
  canonical,
  entryEnd,
  isPlain,
  memberBase,
  memberRanges,
  plainEntry,
  type Entry,
} from './entry.ts';
import { samePattern } from './pattern.ts';

/**
 * Merges touching plain ranges and alike periodic neighbours, splits a repetition off a
 * periodic entry that touches a neighbour, and takes plain ranges that equal a neighbour's
 * next repetition back into it (so a cut that missed leaves no trace).
 */
export function normalizeEntries(list: Entry[], lo: number, hi: number): void {
  let i = lo;
  let end = hi;
  while (i < end - 1 && i + 1 < list.length) {
    const a = list[i]!;
    const b = list[i + 1]!;
    const aEnd = entryEnd(a);
    let replacement: Entry[] | null = null;
    if (isPlain(a) && isPlain(b) && aEnd >= b.start) {
      replacement = [plainEntry(a.start, Math.max(aEnd, entryEnd(b)))];
    } else if (aEnd >= b.start) {
      replacement = isPlain(a) ? [a, ...splitFirst(b)] : [...splitLast(a), b];
    } else if (
      !isPlain(a) &&
      !isPlain(b) &&
      a.stride === b.stride &&
      samePattern(a.pat, b.pat) &&
      b.start === memberBase(a, a.reps)
    ) {
      replacement = [{ start: a.start, stride: a.stride, reps: a.reps + b.reps, pat: a.pat }];
    }
    if (replacement) {
      list.splice(i, 2, ...replacement);
      end += replacement.length - 2;
      i = Math.max(0, i - 1);
      continue;
    }
    const absorbed = absorb(list, i);
    if (absorbed) {
      end -= absorbed.removed;
      i = Math.max(0, absorbed.at - 1);
      continue;
    }
    i++;
  }
}

/** Takes plain entries after (or before) a periodic entry back into it. */
function absorb(list: Entry[], i: number): { at: number; removed: number } | null {
  const a = list[i]!;
  if (!isPlain(a)) {
    const count = a.pat.length / 2;
    const next = memberRanges(a, a.reps);
    if (matchesPlains(list, i + 1, next) && !touchesAt(list, i + 1 + count, next)) {
      list.splice(i, count + 1, { ...a, reps: a.reps + 1 });
      return { at: i, removed: count };
    }
  }
  const b = list[i + 1];
  if (b && !isPlain(b)) {
    const count = b.pat.length / 2;
    const before = memberRanges(b, -1);
    const from = i + 1 - count;
    if (from >= 0 && matchesPlains(list, from, before) && !touchedBefore(list, from, before)) {
      list.splice(from, count + 1, { ...b, start: b.start - b.stride, reps: b.reps + 1 });
      return { at: from, removed: count };
    }
  }
  return null;
}

function splitLast(entry: Entry): Entry[] {
  return [
    ...canonical({ ...entry, reps: entry.reps - 1 }),
    ...canonical({ ...entry, start: memberBase(entry, entry.reps - 1), reps: 1 }),
  ];
}

function splitFirst(entry: Entry): Entry[] {
  return [
    ...canonical({ ...entry, reps: 1 }),
    ...canonical({ ...entry, start: memberBase(entry, 1), reps: entry.reps - 1 }),
  ];
}

function matchesPlains(list: readonly Entry[], from: number, flat: readonly number[]): boolean {
  const count = flat.length / 2;
  if (from + count > list.length) return false;
  for (let k = 0; k < count; k++) {
    const entry = list[from + k]!;
    if (!isPlain(entry) || entry.start !== flat[2 * k] || entryEnd(entry) !== flat[2 * k + 1])
      return false;
  }
  return true;
}

/** Would the ranges touch the entry at index `at` (just after them)? */
function touchesAt(list: readonly Entry[], at: number, flat: readonly number[]): boolean {
  const next = list[at];
  return next !== undefined && next.start <= flat[flat.length - 1]!;
}

/** Would the ranges touch the entry just before index `from`? */
function touchedBefore(list: readonly Entry[], from: number, flat: readonly number[]): boolean {
  const previous = list[from - 1];
  return previous !== undefined && entryEnd(previous) >= flat[0]!;
}
