/**
 * npm run sim -- [--json | --url [--base URL]] <scenario.json | ->
 *
 * Runs the engine on a scenario file (or stdin). Exit 0 for a valid scenario, even when steps
 * fail; exit 2 with the messages on stderr when the file cannot be read or the scenario is invalid.
 */
import { readFileSync } from 'node:fs';
import { simulate } from '../engine/simulate.ts';
import { textReport } from '../engine/report.ts';
import { formatValidationError } from '../engine/scenario/types.ts';
import { formatMain } from './format.ts';
import { importMain } from './import.ts';
import { qemuMain } from './qemu.ts';
import { encodeShareFragment } from '../state/url-codec.ts';
import { DEFAULT_VIEW } from '../state/view.ts';

const usage = [
  'usage: npm run sim -- [--json] <scenario.json | ->   report (or JSON result) of a scenario',
  '       npm run sim -- --url [--base URL] <scenario.json | ->   its share link, opening at the last step',
].join('\n');

/** Splits argv into flags (with the value of --base) and files. */
function parseArgs(argv: string[]) {
  const flags = new Set<string>();
  const files: string[] = [];
  let base = '/';
  const unknown: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--base') base = argv[++i] ?? '/';
    else if (arg === '--json' || arg === '--url') flags.add(arg);
    else if (arg.startsWith('--')) unknown.push(arg);
    else files.push(arg);
  }
  return { flags, files, base, unknown };
}

function main(argv: string[]): number {
  if (argv.includes('--format')) return formatMain(argv);
  if (argv.includes('--import')) return importMain(argv);
  if (argv.includes('--qemu')) return qemuMain(argv);
  const { flags, files, base, unknown } = parseArgs(argv);
  const json = flags.has('--json');
  if (files.length !== 1 || unknown.length || (json && flags.has('--url'))) {
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
  if (flags.has('--url')) {
    const view = { ...DEFAULT_VIEW, step: outcome.scenario.events.length };
    try {
      process.stdout.write(`${base}${encodeShareFragment(input, view)}\n`);
    } catch (error) {
      // Too large, or a field a link cannot hold: say so, as the web page does.
      console.error(`${file}: no share link: ${(error as Error).message}`);
      return 2;
    }
    return 0;
  }
  process.stdout.write(
    json
      ? `${JSON.stringify(outcome.result)}\n`
      : `${textReport(outcome.scenario, outcome.result)}\n`,
  );
  return 0;
}

process.exitCode = main(process.argv.slice(2));
