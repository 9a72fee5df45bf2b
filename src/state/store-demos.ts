/**
 * The demos as the page shows them (beside the store, the state layer's face to the UI): each
 * with the link that opens it, and which demo is on screen: the one whose scenario is exactly
 * the current one (an edit makes it the user's own scenario, and the caption goes).
 */
import type { ScenarioInput } from '../engine/scenario/schema.ts';
import { PRESETS, type Preset } from './presets.ts';
import { encodeShareFragment } from './url-codec.ts';
import { DEFAULT_VIEW } from './view.ts';

export type { Preset } from './presets.ts';

export type Demo = Preset;

export const DEMOS: readonly Demo[] = PRESETS;

const hrefs = new Map<string, string>();

/**
 * The share fragment that opens a demo ("#s=2.…"), made when first asked for: deflating every
 * demo at load would cost the first paint.
 */
export function demoHref(demo: Demo): string {
  let href = hrefs.get(demo.id);
  if (href === undefined) {
    href = encodeShareFragment(demo.scenario, { ...DEFAULT_VIEW, ...demo.view });
    hrefs.set(demo.id, href);
  }
  return href;
}

const keyOf = (value: unknown): string =>
  JSON.stringify(value, (_key, v: unknown) =>
    v && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(
          // Code-unit order: localeCompare would load a collator for nothing.
          Object.entries(v as Record<string, unknown>).sort(([a], [b]) =>
            a < b ? -1 : a > b ? 1 : 0,
          ),
        )
      : v,
  );

let byScenario: Map<string, Demo> | null = null;

export function demoOf(scenario: ScenarioInput): Demo | null {
  byScenario ??= new Map(DEMOS.map((demo) => [keyOf(demo.scenario), demo]));
  return byScenario.get(keyOf(scenario)) ?? null;
}
