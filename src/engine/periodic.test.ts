/**
 * The periodic representation against a naive expansion, engine-wide: random small machines and
 * events simulated twice, once with periodic entries and once with every periodic add expanded
 * range by range, must give the same steps, the same summary, the same memory in every role,
 * and the same answer to "what is at this address" everywhere.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { toColumns } from './columns.ts';
import { inspectAddress } from './inspect.ts';
import { RangeSet, withNaiveRanges, type Run } from './rangeset.ts';
import type { Result } from './result.ts';
import { simulate } from './simulate.ts';
import { scenarioArb } from './testing-arbitraries.ts';

const run = (start: number, size: number, repeat = 1, period = size): Run => ({
  start,
  len: size,
  stride: repeat > 1 ? period : size,
  reps: repeat,
});

/** Every role memory plays in the final state, as sets keyed by what they are. */
function roles(result: Result): Map<string, RangeSet> {
  const sets = new Map<string, RangeSet>();
  const put = (key: string, r: Run) => {
    const set = sets.get(key) ?? new RangeSet();
    set.addRun(r);
    sets.set(key, set);
  };
  const { final } = result;
  for (const m of final.memmap) {
    put(
      `described ${m.host} ${m.hostNode} ${m.kind}`,
      run(m.describesStart, m.describesSize, m.repeat, m.describesPeriod),
    );
    put(
      `host ${m.host} ${m.hostNode} ${m.hostZone}`,
      run(m.hostStart, m.hostSize, m.repeat, m.hostPeriod),
    );
  }
  for (const r of final.regions)
    put(`region ${r.kind} ${r.node} ${r.zone}`, run(r.startAddr, r.size, r.repeat, r.period));
  const windowSize = Math.max(...result.resolved.hugePageSizes);
  for (const w of final.windows)
    put(
      `window ${w.status} ${w.node} ${w.zone}`,
      run(w.startAddr, w.count * windowSize, w.repeat, w.period),
    );
  for (const b of final.blocks)
    put(
      `block ${b.node} ${b.state} ${b.zone} ${b.memmapPages}`,
      run(b.startAddr, b.count * result.resolved.blockSize),
    );
  return sets;
}

function sameRoles(a: Result, b: Result): void {
  const ra = roles(a);
  const rb = roles(b);
  expect([...ra.keys()].sort()).toEqual([...rb.keys()].sort());
  for (const [key, set] of ra) expect(rb.get(key)!.toArray(), key).toEqual(set.toArray());
}

describe('periodic runs against a naive expansion', () => {
  it('give the same steps, summary, roles and inspections for random scenarios', () => {
    fc.assert(
      fc.property(
        scenarioArb,
        fc.array(fc.nat(), { minLength: 8, maxLength: 8 }),
        (scenario, picks) => {
          const periodic = simulate(scenario);
          const naive = withNaiveRanges(() => simulate(scenario));
          if (!periodic.ok || !naive.ok) throw new Error('scenario failed');
          const a = periodic.result;
          const b = naive.result;
          expect(a.steps).toEqual(b.steps);
          expect(a.final.summary).toEqual(b.final.summary);
          expect(a.final.hugetlb).toEqual(b.final.hugetlb);
          expect(a.final.gigantic).toEqual(b.final.gigantic);
          sameRoles(a, b);
          const ca = toColumns(a.final, a.resolved.pageSize);
          const cb = toColumns(b.final, b.resolved.pageSize);
          const top = Math.max(
            ...a.final.blocks.map((x) => x.startAddr + x.count * a.resolved.blockSize),
            1,
          );
          for (const pick of picks) {
            const addr = Math.floor((pick / 2 ** 31) * top) % top;
            expect(inspectAddress(ca, a.resolved, addr)).toEqual(
              inspectAddress(cb, b.resolved, addr),
            );
          }
        },
      ),
      { numRuns: Number(process.env.PROPERTY_RUNS ?? 200) },
    );
  });
});
