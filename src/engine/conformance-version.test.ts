/**
 * Conformance with the real kernel, by version: every recorded case set with `kernelVersion`
 * from its era (U3 → "6.12", U1 → "6.1") and no `era` must pass the same checks and pairs as
 * conformance.test.ts, and give the very same steps and final state as the era does.
 * Cases come from the same places: test/oracle, ../shared/oracle or $ORACLE_DIR.
 */
import { describe, expect, it } from 'vitest';
import type { Result } from './result.ts';
import { simulate } from './simulate.ts';
import { expectationTests, loadCases, pairTests } from './oracle-cases.fixtures.ts';

/** The kernels the recordings ran, by the era their cases name. */
const RECORDED: Record<string, string> = { U3: '6.12', U1: '6.1' };

/** The case's scenario with the era replaced by the version it stands for. */
function byVersion(scenario: unknown): Record<string, unknown> {
  const { era, ...rest } = scenario as Record<string, unknown>;
  const kernelVersion = RECORDED[String(era ?? 'U3')];
  if (!kernelVersion) throw new Error(`no recorded kernel for era ${String(era)}`);
  return { ...rest, kernelVersion };
}

function simulated(scenario: unknown, id: string): Result {
  const outcome = simulate(scenario);
  if (!outcome.ok)
    throw new Error(`${id}: ${outcome.errors.map((e) => `${e.path}: ${e.message}`).join('; ')}`);
  return outcome.result;
}

const cases = loadCases();
const results = new Map<string, Result>();
function resultOf(id: string): Result {
  let result = results.get(id);
  if (!result) {
    result = simulated(byVersion(cases.get(id)!.scenario), id);
    results.set(id, result);
  }
  return result;
}

describe('real-kernel oracle with kernelVersion instead of era', () => {
  it('has the recorded cases, each of a recorded era', () => {
    expect(cases.size).toBeGreaterThanOrEqual(5);
    for (const oracleCase of cases.values()) {
      const era = (oracleCase.scenario as { era?: string }).era ?? 'U3';
      expect(Object.keys(RECORDED), oracleCase.id).toContain(era);
    }
  });

  for (const [id, oracleCase] of cases) {
    describe(id, () => {
      it('names no era and resolves the recorded version and its era', () => {
        const scenario = byVersion(oracleCase.scenario);
        expect(scenario.era).toBeUndefined();
        const era = (oracleCase.scenario as { era?: string }).era ?? 'U3';
        expect(resultOf(id).resolved.kernelVersion).toBe(RECORDED[era]);
        expect(resultOf(id).resolved.era).toBe(era);
      });

      it('gives the same steps and final state as the era', () => {
        const byEra = simulated(oracleCase.scenario, id);
        expect(resultOf(id).steps).toEqual(byEra.steps);
        expect(resultOf(id).final).toEqual(byEra.final);
        expect(resultOf(id).resolved).toEqual(byEra.resolved);
      });

      expectationTests(oracleCase, () => resultOf(id));
    });
  }

  pairTests(resultOf);
});
