/**
 * The periodic RangeSet against a naive model (one flag per integer): after any sequence of
 * plain and periodic adds and removes and chunk takes, every query agrees and the expanded
 * ranges are exactly the model's maximal runs (which checks the no-touching promise too).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { RangeSet } from './rangeset.ts';
import { lowestPowerOfTwo } from './units.ts';

const U = 800;

class Naive {
  bits = new Uint8Array(U);
  set(start: number, end: number, value: number) {
    for (let i = Math.max(0, start); i < Math.min(U, end); i++) this.bits[i] = value;
  }
  periodic(start: number, stride: number, reps: number, pat: number[], value: number) {
    for (let r = 0; r < reps; r++)
      for (let j = 0; j < pat.length; j += 2)
        this.set(start + r * stride + pat[j]!, start + r * stride + pat[j + 1]!, value);
  }
  runs(): { start: number; end: number }[] {
    const out: { start: number; end: number }[] = [];
    for (let i = 0; i < U; i++) {
      if (!this.bits[i]) continue;
      const start = i;
      while (i < U && this.bits[i]) i++;
      out.push({ start, end: i });
    }
    return out;
  }
  /** The engine's historic carving: per maximal range, aligned chunks from one end. */
  take(max: number, chunk: number, align: number, fromTop: boolean): number[] {
    const taken: number[] = [];
    let remaining = max;
    const runs = this.runs();
    if (fromTop) runs.reverse();
    for (const range of runs) {
      if (remaining <= 0) break;
      const top = Math.floor(range.end / align) * align;
      const bottom = Math.ceil(range.start / align) * align;
      const fit = top > bottom ? Math.floor((top - bottom) / chunk) : 0;
      const take = Math.min(fit, remaining);
      if (take <= 0) continue;
      const start = fromTop ? top - take * chunk : bottom;
      for (let i = start; i < start + take * chunk; i++) taken.push(i);
      remaining -= take;
    }
    for (const i of taken) this.bits[i] = 0;
    return taken;
  }
}

const patternArb = (stride: number) =>
  fc
    .uniqueArray(fc.integer({ min: 0, max: stride }), { minLength: 2, maxLength: 6 })
    .map((values) => {
      const sorted = [...values].sort((a, b) => a - b);
      return sorted.length % 2 ? sorted.slice(0, -1) : sorted;
    });

const opArb = fc.oneof(
  fc.record({
    kind: fc.constantFrom('add', 'remove'),
    start: fc.integer({ min: 0, max: U - 1 }),
    len: fc.integer({ min: 1, max: 120 }),
  }),
  fc
    .record({
      kind: fc.constantFrom('addP', 'removeP'),
      start: fc.integer({ min: 0, max: 300 }),
      stride: fc.constantFrom(8, 16, 24, 32, 12),
      reps: fc.integer({ min: 1, max: 14 }),
    })
    .chain((op) => patternArb(op.stride).map((pat) => ({ ...op, pat }))),
  fc.record({
    kind: fc.constant('take'),
    max: fc.integer({ min: 0, max: 40 }),
    chunk: fc.constantFrom(1, 2, 4, 8, 3, 6, 16),
    fromTop: fc.boolean(),
  }),
);

type Op = fc.Arbitrary<typeof opArb extends fc.Arbitrary<infer T> ? T : never>;

function apply(set: RangeSet, naive: Naive, op: Op extends fc.Arbitrary<infer T> ? T : never) {
  switch (op.kind) {
    case 'add':
    case 'remove': {
      const o = op as { start: number; len: number };
      const end = Math.min(U, o.start + o.len);
      if (op.kind === 'add') set.add(o.start, end);
      else set.remove(o.start, end);
      naive.set(o.start, end, op.kind === 'add' ? 1 : 0);
      return;
    }
    case 'addP':
    case 'removeP': {
      const o = op as { start: number; stride: number; reps: number; pat: number[] };
      if (op.kind === 'addP') set.addPeriodic(o.start, o.stride, o.reps, o.pat);
      else set.removePeriodic(o.start, o.stride, o.reps, o.pat);
      naive.periodic(o.start, o.stride, o.reps, o.pat, op.kind === 'addP' ? 1 : 0);
      return;
    }
    case 'take': {
      const o = op as { max: number; chunk: number; fromTop: boolean };
      const align = lowestPowerOfTwo(o.chunk);
      const runs = set.takeAligned(o.max, o.chunk, align, o.fromTop);
      const got: number[] = [];
      for (const run of runs)
        for (let r = 0; r < run.reps; r++)
          for (let i = 0; i < run.len; i++) got.push(run.start + r * run.stride + i);
      const expected = naive.take(o.max, o.chunk, align, o.fromTop);
      expect(got.sort((a, b) => a - b)).toEqual(expected.sort((a, b) => a - b));
    }
  }
}

function check(set: RangeSet, naive: Naive, probes: number[]) {
  const runs = naive.runs();
  expect(set.toArray()).toEqual(runs);
  expect(set.total()).toBe(runs.reduce((sum, r) => sum + r.end - r.start, 0));
  expect(set.first()).toBe(runs[0]?.start);
  expect(set.last()).toBe(runs[runs.length - 1]?.end);
  for (const p of probes) {
    expect(set.has(p)).toBe(naive.bits[p] === 1);
    for (const len of [1, 5, 17, 64]) {
      const end = Math.min(U, p + len);
      let all = true;
      let any = false;
      for (let i = p; i < end; i++) {
        if (naive.bits[i]) any = true;
        else all = false;
      }
      expect(set.covers(p, end)).toBe(all);
      expect(set.intersects(p, end)).toBe(any);
      let count = 0;
      for (let i = p; i < end; i++) count += naive.bits[i]!;
      expect(set.totalIn(p, end)).toBe(count);
    }
  }
  for (const chunk of [1, 4, 6, 8]) {
    const align = lowestPowerOfTwo(chunk);
    const expected = runs.reduce((sum, r) => {
      const bottom = Math.ceil(r.start / align) * align;
      const top = Math.floor(r.end / align) * align;
      return sum + (top > bottom ? Math.floor((top - bottom) / chunk) : 0);
    }, 0);
    expect(set.countAlignedChunks(chunk, align)).toBe(expected);
  }
  const lo = probes[0] ?? 0;
  const hi = Math.min(U, lo + 90);
  const inWindow = [...set.rangesIn(lo, hi)];
  const fromRuns = RangeSet.ofRuns(set.runsIn(lo, hi)).toArray();
  expect(fromRuns).toEqual(inWindow);
}

describe('periodic RangeSet against a naive model', () => {
  it('agrees on every query after random operations', () => {
    fc.assert(
      fc.property(
        fc.array(opArb, { minLength: 1, maxLength: Number(process.env.FC_OPS ?? 14) }),
        fc.array(fc.integer({ min: 0, max: U - 1 }), { minLength: 4, maxLength: 8 }),
        (ops, probes) => {
          const set = new RangeSet();
          const naive = new Naive();
          for (const op of ops) {
            apply(set, naive, op as never);
            check(set, naive, probes);
          }
        },
      ),
      { numRuns: Number(process.env.FC_RUNS ?? 400) },
    );
  });

  it('keeps a periodic stretch as one entry, and splits it in three at most', () => {
    const set = new RangeSet();
    // A million blocks of 32768 pages, each free after a 512-page memmap.
    set.addPeriodic(0, 32768, 1_000_000, [512, 32768]);
    expect(set.size).toBe(1);
    expect(set.total()).toBe(1_000_000 * 32256);
    set.remove(5 * 32768 + 1000, 5 * 32768 + 2000);
    expect(set.size).toBeLessThanOrEqual(4);
    set.add(5 * 32768 + 1000, 5 * 32768 + 2000);
    expect(set.size).toBe(1);
    const taken = set.takeAligned(63 * 10 + 3, 512, 512, false);
    expect(taken.reduce((sum, run) => sum + run.reps * run.len, 0)).toBe((63 * 10 + 3) * 512);
    expect(set.size).toBeLessThanOrEqual(4);
  });
});
