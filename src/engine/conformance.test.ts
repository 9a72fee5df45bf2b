/**
 * Conformance with the real kernel: every recorded case must pass every expectation.
 * Cases come from test/oracle (a copy) and from ../shared/oracle or $ORACLE_DIR when present.
 */
import { describe, expect, it } from 'vitest';
import type { Result } from './result.ts';
import { simulate } from './simulate.ts';
import { expectationTests, loadCases, pairTests } from './oracle-cases.fixtures.ts';

const cases = loadCases();
const results = new Map<string, Result>();
function resultOf(id: string): Result {
  let result = results.get(id);
  if (!result) {
    const outcome = simulate(cases.get(id)!.scenario);
    if (!outcome.ok)
      throw new Error(`${id}: ${outcome.errors.map((e) => `${e.path}: ${e.message}`).join('; ')}`);
    result = outcome.result;
    results.set(id, result);
  }
  return result;
}

describe('real-kernel oracle', () => {
  it('has the recorded cases', () => {
    expect(cases.size).toBeGreaterThanOrEqual(5);
  });

  for (const [id, oracleCase] of cases) {
    describe(id, () => {
      expectationTests(oracleCase, () => resultOf(id));
    });
  }

  pairTests(resultOf);
});
