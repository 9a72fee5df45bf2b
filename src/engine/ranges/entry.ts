/**
 * One entry of a RangeSet: `reps` repetitions of a pattern, every `stride`, from `start`.
 * A plain range is an entry with one repetition and the pattern [0, length).
 *
 * Canonical periodic entries (reps >= 2) keep three promises that make every query local:
 * the pattern starts at 0 (so `start` is the first member), it ends before the stride (so one
 * repetition never touches the next), and it is not full (a full pattern is one plain range).
 * With the RangeSet's promise that entries never touch each other either, every maximal
 * contiguous run of the set is one range of one repetition of one entry.
 */
import {
  clipPattern,
  diffPattern,
  normalizePattern,
  patternEnd,
  patternTotal,
  shiftPattern,
  type Pattern,
} from './pattern.ts';

export interface Entry {
  start: number;
  stride: number;
  reps: number;
  pat: Pattern;
}

export const plainEntry = (start: number, end: number): Entry => ({
  start,
  stride: end - start,
  reps: 1,
  pat: [0, end - start],
});

export const isPlain = (entry: Entry) => entry.reps === 1;

/** One past the last member of the last repetition. */
export const entryEnd = (entry: Entry) =>
  entry.start + (entry.reps - 1) * entry.stride + patternEnd(entry.pat);

export const entryTotal = (entry: Entry) => entry.reps * patternTotal(entry.pat);

export const memberBase = (entry: Entry, k: number) => entry.start + k * entry.stride;

/** Repetitions [from, to) of an entry, as an entry (not canonicalised). */
export const subEntry = (entry: Entry, from: number, to: number): Entry => ({
  start: memberBase(entry, from),
  stride: entry.stride,
  reps: to - from,
  pat: entry.pat,
});

/** The absolute ranges of repetition k, flat. */
export function memberRanges(entry: Entry, k: number): number[] {
  return shiftPattern(entry.pat, memberBase(entry, k));
}

/** Plain entries for flat absolute ranges. */
export function plainsOf(flat: readonly number[]): Entry[] {
  const out: Entry[] = [];
  for (let i = 0; i < flat.length; i += 2) {
    if (flat[i + 1]! > flat[i]!) out.push(plainEntry(flat[i]!, flat[i + 1]!));
  }
  return out;
}

/**
 * An entry in canonical form: possibly a few plain entries around one periodic entry. Touching
 * repetitions (a pattern running from 0 to the stride) are rotated so that each run that crosses
 * a repetition boundary becomes one range of the rotated pattern.
 */
export function canonical(entry: Entry): Entry[] {
  const pat = normalizePattern(entry.pat);
  if (pat.length === 0 || entry.reps <= 0) return [];
  if (entry.reps === 1) return plainsOf(shiftPattern(pat, entry.start));
  const shift = pat[0]!;
  let start = entry.start;
  let rel = pat;
  if (shift !== 0) {
    start += shift;
    rel = shiftPattern(pat, -shift);
  }
  const stride = entry.stride;
  const end = patternEnd(rel);
  if (end > stride) throw new Error(`pattern wider than its stride (${end} > ${stride})`);
  if (patternTotal(rel) === stride) return [plainEntry(start, start + entry.reps * stride)];
  if (end < stride) return [{ start, stride, reps: entry.reps, pat: rel }];
  // The pattern runs from 0 to the stride: repetition k's last range joins repetition k+1's
  // first. Re-cut the period at the start of that last range.
  const tailStart = rel[rel.length - 2]!;
  const headEnd = rel[1]!;
  const middles = rel.slice(2, rel.length - 2);
  const rotated = [0, stride - tailStart + headEnd, ...shiftPattern(middles, stride - tailStart)];
  const head = plainsOf(shiftPattern(rel.slice(0, rel.length - 2), start));
  const tail = plainEntry(
    start + (entry.reps - 1) * stride + tailStart,
    start + entry.reps * stride,
  );
  const middle = canonical({
    start: start + tailStart,
    stride,
    reps: entry.reps - 1,
    pat: rotated,
  });
  return [...head, ...middle, tail];
}

/** Index of the repetition whose period holds `value`, clamped to the entry. */
export function memberIndex(entry: Entry, value: number): number {
  const k = Math.floor((value - entry.start) / entry.stride);
  return Math.max(0, Math.min(entry.reps - 1, k));
}

/** The entry without [s, e), as entries (canonical). */
export function entryMinus(entry: Entry, s: number, e: number): Entry[] {
  if (e <= entry.start || s >= entryEnd(entry)) return [entry];
  if (isPlain(entry)) return plainsOf([entry.start, s, e, entryEnd(entry)]);
  const ks = memberIndex(entry, s);
  const ke = memberIndex(entry, e - 1);
  const out: Entry[] = [];
  if (ks > 0) out.push(...canonical(subEntry(entry, 0, ks)));
  const cut = [s, e];
  out.push(...plainsOf(diffPattern(memberRanges(entry, ks), cut)));
  if (ke !== ks) out.push(...plainsOf(diffPattern(memberRanges(entry, ke), cut)));
  if (ke < entry.reps - 1) out.push(...canonical(subEntry(entry, ke + 1, entry.reps)));
  return out;
}

/** The parts of repetition k inside [lo, hi), flat and absolute. */
export function memberClip(entry: Entry, k: number, lo: number, hi: number): number[] {
  const base = memberBase(entry, k);
  return shiftPattern(clipPattern(entry.pat, lo - base, hi - base), base);
}
