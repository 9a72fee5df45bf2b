/**
 * Arithmetic on periodic runs (`reps` copies of `len` every `stride`): cutting an interval out
 * of one, and counting what of it lies in an interval. Huge page pools, kernel allocations and
 * memmap records are runs, so a million alike huge pages are one record that an offline or a
 * remove cuts in at most three.
 */
import type { Run } from '../rangeset.ts';

export const plainRun = (start: number, len: number): Run => ({ start, len, stride: len, reps: 1 });

/** Repetitions [from, to) of a run. */
export function subRun(run: Run, from: number, to: number): Run {
  const reps = to - from;
  return {
    start: run.start + from * run.stride,
    len: run.len,
    stride: reps > 1 ? run.stride : run.len,
    reps,
  };
}

/** Splits a run at [start, end): what stays outside and what falls inside, as runs. */
export function cutRun(run: Run, start: number, end: number): { kept: Run[]; removed: Run[] } {
  const kept: Run[] = [];
  const removed: Run[] = [];
  const stride = run.reps > 1 ? run.stride : run.len;
  const last = run.start + (run.reps - 1) * stride + run.len;
  if (end <= run.start || start >= last || run.len <= 0) return { kept: [run], removed };
  // Repetitions wholly before start, wholly inside, wholly after end; the rest are cut.
  const firstTouched = Math.max(0, Math.floor((start - run.start) / stride));
  const lastTouched = Math.min(run.reps - 1, Math.floor((end - 1 - run.start) / stride));
  if (firstTouched > 0) kept.push(subRun(run, 0, firstTouched));
  for (let k = firstTouched; k <= lastTouched; k++) {
    const s = run.start + k * stride;
    const e = s + run.len;
    // Repetitions strictly between the two edge ones are wholly inside.
    if (k > firstTouched && k < lastTouched) {
      removed.push(subRun(run, k, lastTouched));
      k = lastTouched - 1;
      continue;
    }
    const a = Math.max(s, start);
    const b = Math.min(e, end);
    if (b <= a) {
      kept.push(plainRun(s, run.len));
      continue;
    }
    if (a > s) kept.push(plainRun(s, a - s));
    removed.push(plainRun(a, b - a));
    if (e > b) kept.push(plainRun(b, e - b));
  }
  if (lastTouched < run.reps - 1) kept.push(subRun(run, lastTouched + 1, run.reps));
  return { kept, removed };
}

/** How much of the run lies in [start, end). */
export function runOverlap(run: Run, start: number, end: number): number {
  return cutRun(run, start, end).removed.reduce((sum, part) => sum + part.len * part.reps, 0);
}

export const runPages = (run: Run) => run.len * run.reps;
