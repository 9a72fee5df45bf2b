import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { RangeSet } from './rangeset.ts';

/** A plain Set model to check RangeSet against. */
function model(ops: [boolean, number, number][]): Set<number> {
  const set = new Set<number>();
  for (const [add, a, b] of ops) {
    for (let i = Math.min(a, b); i < Math.max(a, b); i++) {
      if (add) set.add(i);
      else set.delete(i);
    }
  }
  return set;
}

describe('RangeSet', () => {
  it('merges adjacent ranges and keeps totals', () => {
    const set = new RangeSet();
    set.add(0, 10);
    set.add(10, 20);
    set.add(30, 40);
    expect(set.toArray()).toEqual([
      { start: 0, end: 20 },
      { start: 30, end: 40 },
    ]);
    set.remove(5, 35);
    expect(set.toArray()).toEqual([
      { start: 0, end: 5 },
      { start: 35, end: 40 },
    ]);
    expect(set.total()).toBe(10);
  });

  it('works past 2^32 (pfns of a 4 PiB machine)', () => {
    const set = new RangeSet();
    set.add(2 ** 40 - 100, 2 ** 40);
    expect(set.has(2 ** 40 - 1)).toBe(true);
    expect(set.countAlignedChunks(32)).toBe(3);
  });

  it('agrees with a Set for any sequence of adds and removes (one by one and in bulk)', () => {
    const op = fc.tuple(
      fc.boolean(),
      fc.integer({ min: 0, max: 200 }),
      fc.integer({ min: 0, max: 200 }),
    );
    fc.assert(
      fc.property(fc.array(op, { maxLength: 40 }), fc.array(op, { maxLength: 20 }), (ops, bulk) => {
        const set = new RangeSet();
        for (const [add, a, b] of ops) {
          if (add) set.add(Math.min(a, b), Math.max(a, b));
          else set.remove(Math.min(a, b), Math.max(a, b));
        }
        const adds = bulk
          .filter(([add]) => add)
          .map(([, a, b]) => ({ start: Math.min(a, b), end: Math.max(a, b) }));
        set.addMany([...adds, ...adds, ...adds]);
        const removes = bulk
          .filter(([add]) => !add)
          .map(([, a, b]) => ({ start: Math.min(a, b), end: Math.max(a, b) }));
        // removeMany takes disjoint ranges, as the engine passes it.
        const disjoint = RangeSet.of(removes).toArray();
        set.removeMany([...disjoint, ...disjoint.slice(0, 0)]);
        const expected = model([
          ...ops,
          ...adds.map((r) => [true, r.start, r.end] as [boolean, number, number]),
        ]);
        for (const r of disjoint) for (let i = r.start; i < r.end; i++) expected.delete(i);
        expect(set.total()).toBe(expected.size);
        for (let i = 0; i <= 200; i++) expect(set.has(i)).toBe(expected.has(i));
        const ranges = set.toArray();
        for (let i = 1; i < ranges.length; i++)
          expect(ranges[i]!.start).toBeGreaterThan(ranges[i - 1]!.end);
      }),
      { numRuns: 300 },
    );
  });
});
