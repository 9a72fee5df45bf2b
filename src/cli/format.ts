/**
 * npm run sim -- --format lsmem|meminfo|zoneinfo|iomem|sysfs|dmesg [--step N] <scenario.json | ->
 *
 * Prints one kernel view (src/engine/views) of the machine at the last step, or after N events.
 * The engine takes the views where it takes `final`, so this is one simulate() call. Exit 0 with
 * the view on stdout; exit 2 with a message on stderr for bad arguments, input or scenario.
 */
import { readFileSync } from 'node:fs';
import { formatValidationError } from '../engine/scenario/types.ts';
import { simulate } from '../engine/simulate.ts';
import { VIEW_FORMATS, type ViewFormat } from '../engine/views/index.ts';

export const FORMAT_USAGE = `usage: npm run sim -- --format ${VIEW_FORMATS.join('|')} [--step N] <scenario.json | ->   what the kernel would print, at the last step or after N events`;

export type Rendered = { ok: true; text: string } | { ok: false; message: string };

const isFormat = (value: string): value is ViewFormat =>
  (VIEW_FORMATS as readonly string[]).includes(value);

/** The view's text for a scenario (or an oracle case wrapping one), after `step` events. */
export function renderFormat(input: unknown, format: string, step?: number): Rendered {
  if (!isFormat(format))
    return { ok: false, message: `unknown format ${format}: one of ${VIEW_FORMATS.join(', ')}` };
  // Oracle cases wrap the scenario with their expectations; accept them as they are.
  if (input && typeof input === 'object' && 'scenario' in input && 'expect' in input)
    input = (input as { scenario: unknown }).scenario;
  const outcome = simulate(input, { views: true, finalAt: step });
  if (!outcome.ok) {
    const kind = outcome.kind === 'invalid' ? 'invalid scenario' : 'engine failure';
    return {
      ok: false,
      message: [kind, ...outcome.errors.map((e) => `  ${formatValidationError(e)}`)].join('\n'),
    };
  }
  const events = outcome.scenario.events.length;
  if (step !== undefined && step > events)
    return { ok: false, message: `--step ${step}: the scenario has ${events} events` };
  return { ok: true, text: outcome.result.views![format].text };
}

function parse(argv: string[]): { format: string; step?: number; file: string } | string {
  let format: string | undefined;
  let step: number | undefined;
  const files: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--format') format = argv[++i];
    else if (arg === '--step') {
      const value = argv[++i] ?? '';
      if (!/^\d+$/.test(value)) return `--step needs a number of events, not "${value}"`;
      step = Number(value);
    } else if (arg.startsWith('--') && arg !== '-') return `unknown option ${arg}`;
    else files.push(arg);
  }
  if (!format) return '--format needs a view';
  if (files.length !== 1) return 'one scenario file (or -) expected';
  return { format, step, file: files[0]! };
}

export function formatMain(argv: string[]): number {
  const args = parse(argv);
  if (typeof args === 'string') {
    console.error(`${args}\n${FORMAT_USAGE}`);
    return 2;
  }
  let input: unknown;
  try {
    input = JSON.parse(readFileSync(args.file === '-' ? 0 : args.file, 'utf8'));
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    console.error(
      `${args.file}: ${code ? `cannot read (${code})` : `not JSON (${(error as Error).message})`}`,
    );
    return 2;
  }
  const rendered = renderFormat(input, args.format, args.step);
  if (!rendered.ok) {
    console.error(`${args.file}: ${rendered.message}`);
    return 2;
  }
  process.stdout.write(rendered.text);
  return 0;
}
