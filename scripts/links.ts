/**
 * The stable links (test/links.json): share links made with the link format of their day, one
 * per demo and a few edited scenarios, each with the figures the engine gave for it. The test
 * (src/state/links.test.ts) opens each and checks the figures, so a link keeps its meaning.
 *
 * `npm run links` adds an entry for each demo or edited scenario not there yet, and recomputes
 * the figures of every entry from its link as it is: a link once written is never re-encoded
 * (that would hide a change of the format), and an entry is never dropped (a link shared last
 * year is still out there). The script prints each figure it changed: add a note to that entry
 * saying why (a kernel reason, with the version or commit), as the test's figures are the
 * promise.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { ScenarioInput } from '../src/engine/scenario/schema.ts';
import { simulate } from '../src/engine/simulate.ts';
import { DEFAULT_SCENARIO } from '../src/state/default-scenario.ts';
import { PRESETS } from '../src/state/presets.ts';
import { setKernel, setTop } from '../src/state/scenario-edit.ts';
import { encodeShareFragment } from '../src/state/url-codec.ts';
import { decodeAndValidate } from '../src/state/url-validate.ts';
import { DEFAULT_VIEW, type ViewState } from '../src/state/view.ts';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
export const LINKS_FILE = resolve(root, 'test/links.json');

export interface Figures {
  /** The step the link opens at (events applied). */
  step: number;
  /** The summary at that step. */
  summary: Record<string, number>;
  /** Events (by index) whose step failed, up to that step. */
  failedEvents: number[];
}

export interface StableLink {
  name: string;
  /** The fragment as it was written: `#s=<format>.<payload>`. */
  link: string;
  /** The view the link opens (decoded, defaults filled in). */
  view: ViewState;
  figures: Figures;
  /** Why a figure changed since the link was written, newest last. */
  notes: string[];
}

const withoutEra = ({ era: _era, ...scenario }: ScenarioInput): ScenarioInput => scenario;

/** What the set holds: every demo, and edits a user makes often. */
export function wanted(): { name: string; scenario: ScenarioInput; view: Partial<ViewState> }[] {
  return [
    ...PRESETS.map((preset) => ({
      name: `demo ${preset.id}`,
      scenario: preset.scenario,
      view: preset.view ?? {},
    })),
    {
      name: 'default, memmap_on_memory off',
      scenario: setKernel(DEFAULT_SCENARIO, { memmapOnMemory: 'off' }),
      view: {},
    },
    {
      name: 'default on arm64 with 4K pages',
      scenario: setTop(DEFAULT_SCENARIO, { arch: 'arm64-4k' }),
      view: {},
    },
    {
      name: 'default on Linux 6.1',
      // The version decides the era, so the scenario names no era of its own.
      scenario: { ...withoutEra(DEFAULT_SCENARIO), kernelVersion: '6.1' },
      view: {},
    },
    {
      name: 'default stepped back to the add, zoomed, an address selected',
      scenario: DEFAULT_SCENARIO,
      view: {
        step: 1,
        window: { start: 6 * 1024 ** 3, end: 10 * 1024 ** 3 },
        selection: 6 * 1024 ** 3 + 4096,
        gigantic: true,
      },
    },
  ];
}

/** What a link opens and the figures the engine gives for it today. */
export function open(link: string): { view: ViewState; figures: Figures } {
  const decoded = decodeAndValidate(link);
  if (decoded.kind !== 'ok')
    throw new Error(`the link does not open: ${JSON.stringify(decoded).slice(0, 300)}`);
  const outcome = simulate(decoded.source, { finalAt: decoded.view.step });
  if (!outcome.ok)
    throw new Error(`the engine refuses the link: ${JSON.stringify(outcome.errors)}`);
  const { result } = outcome;
  const summary: Record<string, number> = {};
  for (const [key, value] of Object.entries(result.final.summary))
    if (typeof value === 'number') summary[key] = value;
  const failedEvents = result.steps
    .slice(1, decoded.view.step + 1)
    .flatMap((step, index) => (step.ok ? [] : [index]));
  return { view: decoded.view, figures: { step: decoded.view.step, summary, failedEvents } };
}

export const readLinks = (): StableLink[] =>
  JSON.parse(readFileSync(LINKS_FILE, 'utf8')) as StableLink[];

function main(): void {
  let links: StableLink[] = [];
  try {
    links = readLinks();
  } catch {
    console.log('links: no test/links.json yet; writing one');
  }
  for (const entry of links) {
    const { view, figures } = open(entry.link);
    const changed = Object.entries(figures.summary).filter(
      ([key, value]) => entry.figures.summary[key] !== value,
    );
    for (const [key, value] of changed)
      console.log(`links: ${entry.name}: ${key} ${entry.figures.summary[key]} → ${value}`);
    if (JSON.stringify(figures.failedEvents) !== JSON.stringify(entry.figures.failedEvents))
      console.log(`links: ${entry.name}: failed events → ${JSON.stringify(figures.failedEvents)}`);
    entry.view = view;
    entry.figures = figures;
  }
  for (const { name, scenario, view } of wanted()) {
    if (links.some((entry) => entry.name === name)) continue;
    const link = encodeShareFragment(scenario, { ...DEFAULT_VIEW, ...view });
    links.push({ name, link, ...open(link), notes: [] });
    console.log(`links: added ${name}`);
  }
  writeFileSync(LINKS_FILE, `${JSON.stringify(links, null, 2)}\n`);
  console.log(`links: ${links.length} links in test/links.json; note why any figure changed`);
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) main();
