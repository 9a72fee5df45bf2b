/**
 * The real-kernel cases for the conformance tests, from every place they may be: $ORACLE_DIR,
 * ../shared/oracle and the copy in test/oracle (the first holding a case wins). Node only.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { expect, it } from 'vitest';
import { checkCase, fieldValue, stepOf, type OracleCase, type PairCheck } from './oracle.ts';
import type { Result } from './result.ts';

const root = resolve(import.meta.dirname, '../..');
const dirs = [
  process.env.ORACLE_DIR,
  join(root, '../shared/oracle'),
  join(root, 'test/oracle'),
].filter((dir): dir is string => Boolean(dir && existsSync(dir)));

export function loadCases(): Map<string, OracleCase> {
  const cases = new Map<string, OracleCase>();
  for (const dir of dirs) {
    for (const name of readdirSync(dir)) {
      const file = join(dir, name, 'case.json');
      if (!cases.has(name) && existsSync(file))
        cases.set(name, { id: name, ...JSON.parse(readFileSync(file, 'utf8')) });
    }
  }
  return cases;
}

export function loadPairs(): PairCheck[] {
  const seen = new Set<string>();
  const pairs: PairCheck[] = [];
  for (const dir of dirs) {
    const file = join(dir, 'pairs.json');
    if (!existsSync(file)) continue;
    for (const pair of JSON.parse(readFileSync(file, 'utf8')) as PairCheck[]) {
      const key = `${pair.a}/${pair.b}/${pair.event}/${pair.field}`;
      if (!seen.has(key)) pairs.push(pair);
      seen.add(key);
    }
  }
  return pairs;
}

/** One test per expectation of a case: the value lies in the recorded [min, max]. */
export function expectationTests(oracleCase: OracleCase, result: () => Result): void {
  for (const expectation of oracleCase.expect) {
    const where = expectation.sumOverEvents
      ? `sum over ${expectation.sumOverEvents}`
      : `event ${expectation.event}`;
    it(`${expectation.why} (${where}: ${expectation.field}${expectation.delta ? ' delta' : ''})`, () => {
      const outcome = checkCase(result(), { ...oracleCase, expect: [expectation] })[0]!;
      expect(
        outcome.value,
        `${expectation.field} should lie in [${expectation.min}, ${expectation.max}]`,
      ).toBeGreaterThanOrEqual(expectation.min);
      expect(outcome.value).toBeLessThanOrEqual(expectation.max);
    });
  }
}

/** One test per recorded pair: the difference between two cases at one event. */
export function pairTests(resultOf: (id: string) => Result): void {
  for (const pair of loadPairs()) {
    it(`pair ${pair.a} - ${pair.b}: ${pair.why}`, () => {
      const a = fieldValue(stepOf(resultOf(pair.a), pair.event)!, pair.field);
      const b = fieldValue(stepOf(resultOf(pair.b), pair.event)!, pair.field);
      expect(a - b).toBe(pair.aMinusB);
    });
  }
}
