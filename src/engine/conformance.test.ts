/**
 * Conformance with the real kernel: every recorded case must pass every expectation.
 * Cases come from test/oracle (a copy) and from ../shared/oracle or $ORACLE_DIR when present.
 */
import { describe, expect, it } from 'vitest';
import { checkCase, fieldValue, stepOf } from './oracle.ts';
import type { Result } from './result.ts';
import { simulate } from './simulate.ts';
import { loadCases, loadPairs } from './oracle-cases.fixtures.ts';

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
      for (const expectation of oracleCase.expect) {
        const where = expectation.sumOverEvents
          ? `sum over ${expectation.sumOverEvents}`
          : `event ${expectation.event}`;
        it(`${expectation.why} (${where}: ${expectation.field}${expectation.delta ? ' delta' : ''})`, () => {
          const outcome = checkCase(resultOf(id), { ...oracleCase, expect: [expectation] })[0]!;
          expect(
            outcome.value,
            `${expectation.field} should lie in [${expectation.min}, ${expectation.max}]`,
          ).toBeGreaterThanOrEqual(expectation.min);
          expect(outcome.value).toBeLessThanOrEqual(expectation.max);
        });
      }
    });
  }

  for (const pair of loadPairs()) {
    it(`pair ${pair.a} - ${pair.b}: ${pair.why}`, () => {
      const a = fieldValue(stepOf(resultOf(pair.a), pair.event)!, pair.field);
      const b = fieldValue(stepOf(resultOf(pair.b), pair.event)!, pair.field);
      expect(a - b).toBe(pair.aMinusB);
    });
  }
});
