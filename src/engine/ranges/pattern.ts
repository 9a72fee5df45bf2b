/**
 * Patterns: small sorted lists of disjoint, non-touching half-open ranges, stored flat as
 * [s0, e0, s1, e1, ...]. A periodic entry of a RangeSet repeats one pattern every stride; these
 * are the set operations on one repetition. Patterns are short (a block's free memory around its
 * memmap and a huge page or two), so the operations are simple merges.
 */
export type Pattern = readonly number[];

/** Sorts, merges touching or overlapping ranges and drops empty ones. */
export function normalizePattern(flat: readonly number[]): number[] {
  // Most patterns arrive normal already (one range, or ranges in order with gaps): copy them.
  let normal = true;
  for (let i = 0; i + 1 < flat.length && normal; i += 2)
    normal = flat[i + 1]! > flat[i]! && (i === 0 || flat[i]! > flat[i - 1]!);
  if (normal && flat.length % 2 === 0) return flat.slice();
  const pairs: [number, number][] = [];
  for (let i = 0; i + 1 < flat.length; i += 2) {
    if (flat[i + 1]! > flat[i]!) pairs.push([flat[i]!, flat[i + 1]!]);
  }
  pairs.sort((a, b) => a[0] - b[0]);
  const out: number[] = [];
  for (const [start, end] of pairs) {
    const last = out.length - 1;
    if (last > 0 && start <= out[last]!) out[last] = Math.max(out[last]!, end);
    else out.push(start, end);
  }
  return out;
}

export function patternTotal(pattern: Pattern): number {
  let sum = 0;
  for (let i = 0; i < pattern.length; i += 2) sum += pattern[i + 1]! - pattern[i]!;
  return sum;
}

export function patternEnd(pattern: Pattern): number {
  return pattern[pattern.length - 1] ?? 0;
}

export function samePattern(a: Pattern, b: Pattern): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

export function shiftPattern(pattern: Pattern, by: number): number[] {
  return pattern.map((value) => value + by);
}

export function unionPattern(a: Pattern, b: Pattern): number[] {
  return normalizePattern([...a, ...b]);
}

/** a minus b. */
export function diffPattern(a: Pattern, b: Pattern): number[] {
  const out: number[] = [];
  let j = 0;
  for (let i = 0; i < a.length; i += 2) {
    let start = a[i]!;
    const end = a[i + 1]!;
    while (j < b.length && b[j + 1]! <= start) j += 2;
    let k = j;
    while (start < end) {
      if (k >= b.length || b[k]! >= end) {
        out.push(start, end);
        break;
      }
      if (b[k]! > start) out.push(start, b[k]!);
      start = Math.max(start, b[k + 1]!);
      k += 2;
    }
  }
  return out;
}

/** The parts of the pattern inside [lo, hi). */
export function clipPattern(pattern: Pattern, lo: number, hi: number): number[] {
  const out: number[] = [];
  for (let i = 0; i < pattern.length; i += 2) {
    const start = Math.max(lo, pattern[i]!);
    const end = Math.min(hi, pattern[i + 1]!);
    if (end > start) out.push(start, end);
  }
  return out;
}

/** Index (even) of the first range whose end is > offset, or pattern.length. */
export function firstEndAfter(pattern: Pattern, offset: number): number {
  let lo = 0;
  let hi = pattern.length / 2;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (pattern[2 * mid + 1]! > offset) hi = mid;
    else lo = mid + 1;
  }
  return 2 * lo;
}
