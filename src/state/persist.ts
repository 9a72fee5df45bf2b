/**
 * The last scenario the engine accepted, kept in the browser: a bad link falls back to it instead
 * of to the default, so nothing the user had is lost. Storage may be missing or full; that only
 * means there is nothing to fall back to.
 */
import type { ScenarioInput } from '../engine/scenario/schema.ts';
import type { Validate } from './validation.ts';

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

/** The stored scenario if the validator still accepts it (a newer engine may not). */
export function loadLastGood(
  validate: Validate,
  storage: Storage | undefined = globalThis.localStorage,
): ScenarioInput | null {
  try {
    const text = storage?.getItem(KEY);
    if (!text) return null;
    const parsed: unknown = JSON.parse(text);
    return validate(parsed).ok ? (parsed as ScenarioInput) : null;
  } catch {
    return null;
  }
}
