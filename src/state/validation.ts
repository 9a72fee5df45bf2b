/**
 * The scenario validator (zod and the schema), loaded on first use: the page opens its default
 * scenario and renders without it, and only a link, the editor or a stored scenario needs it. The
 * worker carries its own copy (the engine validates what it simulates), so nothing here decides
 * what the engine accepts: this only lets the page refuse a scenario before it replaces the one
 * on screen.
 */
import type { Validation } from '../engine/scenario/types.ts';

export type Validate = (input: unknown) => Validation;

let loading: Promise<Validate> | null = null;

export function loadValidator(): Promise<Validate> {
  loading ??= import('./validator.ts').then(
    (module) => module.validateScenario,
    (error: unknown) => {
      // A chunk that failed to load (offline, a new deploy) may load on the next try.
      loading = null;
      throw error;
    },
  );
  return loading;
}
