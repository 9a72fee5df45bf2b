/**
 * Where window classifications can change, and how they repeat in between. Every run of every
 * set the classification reads starts or ends somewhere (a mark); between two marks a plain run
 * is the same for every window, and a periodic run repeats every lcm(stride, window) pfns. So a
 * segment between marks needs its windows classified for one period only: the least common
 * multiple of its periodic runs' periods, in windows.
 */
import { runEnd, type Run } from '../rangeset.ts';
import { lowestPowerOfTwo } from '../units.ts';

export interface Segment {
  /** First window index. */
  first: number;
  /** Windows in the segment. */
  count: number;
  /** Windows after which the classification repeats (count when it does not). */
  period: number;
}

/** A period this large is as good as none: classify every window of such a segment. */
const MAX_PERIOD = 1 << 16;

const gcd = (a: number, b: number): number => (b === 0 ? a : gcd(b, a % b));

/** Windows after which a run of this stride looks the same to windows of windowPages. */
function periodOf(stride: number, windowPages: number): number {
  // windowPages is a power of two: gcd(stride, window) is the lower of the two powers.
  return stride / Math.min(lowestPowerOfTwo(stride), windowPages);
}

export function periodsOf(runs: readonly Run[], windowPages: number): Segment[] {
  const marks: number[] = [];
  const mark = (pfn: number) => {
    const low = Math.floor(pfn / windowPages);
    marks.push(low);
    if (low * windowPages !== pfn) marks.push(low + 1);
  };
  const generators: { from: number; to: number; period: number }[] = [];
  for (const run of runs) {
    if (run.len <= 0) continue;
    const end = runEnd(run);
    mark(run.start);
    mark(end);
    if (run.reps > 1) {
      generators.push({
        from: Math.floor(run.start / windowPages),
        to: Math.ceil(end / windowPages),
        period: periodOf(run.stride, windowPages),
      });
    }
  }
  const sorted = Float64Array.from(marks).sort();
  generators.sort((a, b) => a.from - b.from);
  const segments: Segment[] = [];
  let active: typeof generators = [];
  let next = 0;
  for (let i = 0; i + 1 < sorted.length; i++) {
    const first = sorted[i]!;
    const stop = sorted[i + 1]!;
    if (stop === first) continue;
    while (next < generators.length && generators[next]!.from < stop)
      active.push(generators[next++]!);
    active = active.filter((g) => g.to > first);
    const count = stop - first;
    let period = 1;
    for (const g of active) {
      if (g.from > first || g.to < stop) continue;
      period = (period / gcd(period, g.period)) * g.period;
      if (period >= count || period > MAX_PERIOD) break;
    }
    segments.push({ first, count, period: Math.min(period, count) });
  }
  return segments;
}
