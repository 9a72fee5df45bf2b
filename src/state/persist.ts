/**
 * The last scenario the engine accepted, kept in the browser: a bad link falls back to it instead
 * of to the default, so nothing the user had is lost. Storage may be missing or full; that only
 * means there is nothing to fall back to.
 */
import type { ScenarioInput } from '../engine/scenario/schema.ts';
import { validateScenario } from '../engine/scenario/validate.ts';

const KEY = 'memmap-explorer:last-good:v1';

export function saveLastGood(
  scenario: ScenarioInput,
  storage: Storage | undefined = globalThis.localStorage,
): void {
  try {
    storage?.setItem(KEY, JSON.stringify(scenario));
  } catch {
    // Private mode or a full quota: keep working without a fallback.
  }
}

export function loadLastGood(
  storage: Storage | undefined = globalThis.localStorage,
): ScenarioInput | null {
  try {
    const text = storage?.getItem(KEY);
    if (!text) return null;
    const parsed: unknown = JSON.parse(text);
    return validateScenario(parsed).ok ? (parsed as ScenarioInput) : null;
  } catch {
    return null;
  }
}
