/**
 * The real-kernel cases for the conformance tests, from every place they may be: $ORACLE_DIR,
 * ../shared/oracle and the copy in test/oracle (the first holding a case wins). Node only.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { OracleCase, PairCheck } from './oracle.ts';

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
