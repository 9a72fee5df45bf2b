/**
 * npm run sim -- --qemu <scenario.json | ->
 *
 * Prints the QEMU reproducer of a scenario (src/qemu) on stdout. Exit 0 with the script; exit 2
 * with the reasons on stderr when QEMU cannot run the scenario, or when the file cannot be read
 * or the scenario is invalid.
 */
import { readFileSync } from 'node:fs';
import { simulate } from '../engine/simulate.ts';
import { formatValidationError } from '../engine/scenario/types.ts';
import { reproduce } from '../qemu/reproduce.ts';

export const QEMU_USAGE =
  'usage: npm run sim -- --qemu <scenario.json | ->   a bash script that runs the scenario in QEMU and checks the engine';

/** Reads a scenario file (or stdin); oracle cases are accepted as they are. */
function readScenario(file: string): { input: unknown } | { error: string } {
  let text: string;
  try {
    text = readFileSync(file === '-' ? 0 : file, 'utf8');
  } catch (error) {
    return {
      error: `${file}: cannot read (${(error as NodeJS.ErrnoException).code ?? String(error)})`,
    };
  }
  try {
    const input: unknown = JSON.parse(text);
    if (input && typeof input === 'object' && 'scenario' in input && 'expect' in input)
      return { input: (input as { scenario: unknown }).scenario };
    return { input };
  } catch (error) {
    return { error: `${file}: not JSON (${(error as Error).message})` };
  }
}

/** The command, given sim's whole argv (with `--qemu`). Returns the exit status. */
export function qemuMain(
  argv: string[],
  out: (text: string) => void = (text) => process.stdout.write(text),
  err: (text: string) => void = (text) => process.stderr.write(text),
): number {
  const files = argv.filter((arg) => arg !== '--qemu');
  const file = files[0];
  if (files.length !== 1 || file === undefined || (file.startsWith('--') && file !== '-')) {
    err(`${QEMU_USAGE}\n`);
    return 2;
  }
  const read = readScenario(file);
  if ('error' in read) {
    err(`${read.error}\n`);
    return 2;
  }
  const outcome = simulate(read.input);
  if (!outcome.ok) {
    err(`${file}: ${outcome.kind === 'invalid' ? 'invalid scenario' : 'engine failure'}\n`);
    for (const error of outcome.errors) err(`  ${formatValidationError(error)}\n`);
    return 2;
  }
  const reproduction = reproduce(outcome.scenario, outcome.result);
  if (!reproduction.ok) {
    err(`${file}: QEMU cannot run this scenario:\n`);
    for (const reason of reproduction.reasons) err(`  - ${reason}\n`);
    return 2;
  }
  out(reproduction.script);
  return 0;
}
