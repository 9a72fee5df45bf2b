/**
 * npm run sim -- [--json] <scenario.json | ->
 *
 * Runs the engine on a scenario file (or stdin). Exit 0 for a valid scenario, even when steps
 * fail; exit 2 with the messages on stderr when the file cannot be read or the scenario is invalid.
 */
import { readFileSync } from 'node:fs';
import { simulate } from '../engine/simulate.ts';
import { textReport } from '../engine/report.ts';
import { formatValidationError } from '../engine/scenario/types.ts';

const usage = 'usage: npm run sim -- [--json] <scenario.json | ->';

function main(argv: string[]): number {
  const json = argv.includes('--json');
  const files = argv.filter((arg) => !arg.startsWith('--'));
  const unknown = argv.filter((arg) => arg.startsWith('--') && arg !== '--json');
  if (files.length !== 1 || unknown.length) {
    console.error(unknown.length ? `unknown option ${unknown.join(', ')}\n${usage}` : usage);
    return 2;
  }
  const file = files[0]!;
  let text: string;
  try {
    text = readFileSync(file === '-' ? 0 : file, 'utf8');
  } catch (error) {
    console.error(
      `${file}: cannot read (${(error as NodeJS.ErrnoException).code ?? String(error)})`,
    );
    return 2;
  }
  let input: unknown;
  try {
    input = JSON.parse(text);
  } catch (error) {
    console.error(`${file}: not JSON (${(error as Error).message})`);
    return 2;
  }
  // Oracle cases wrap the scenario with their expectations; accept them as they are.
  if (input && typeof input === 'object' && 'scenario' in input && 'expect' in input)
    input = (input as { scenario: unknown }).scenario;
  const outcome = simulate(input);
  if (!outcome.ok) {
    console.error(`${file}: ${outcome.kind === 'invalid' ? 'invalid scenario' : 'engine failure'}`);
    for (const error of outcome.errors) console.error(`  ${formatValidationError(error)}`);
    return 2;
  }
  process.stdout.write(
    json
      ? `${JSON.stringify(outcome.result)}\n`
      : `${textReport(outcome.scenario, outcome.result)}\n`,
  );
  return 0;
}

process.exitCode = main(process.argv.slice(2));
