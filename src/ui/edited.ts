/**
 * The scenario the controls edit, and what the engine answered for it: B in compare mode,
 * else the one scenario.
 */
import type { LiteResult } from '../engine/columns.ts';
import type { AppState } from '../state/store.ts';

export const editedScenario = (s: AppState) => s.compare ?? s.scenario;
export const editedResult = (s: AppState) => (s.compare ? (s.sim.b?.result ?? null) : s.sim.result);
export const editedNormalized = (s: AppState) =>
  s.compare ? (s.sim.b?.normalized ?? null) : s.sim.normalized;

export type SideName = 'a' | 'b';

/** One side's data for a map: A is the scenario, B compare mode's second. */
export const sideResult = (side: SideName) => (s: AppState) =>
  side === 'b' ? (s.sim.b?.result ?? null) : s.sim.result;
export const sideColumns = (side: SideName) => (s: AppState) =>
  side === 'b' ? (s.sim.b?.columns ?? null) : s.sim.columns;
export const sideDiff = (side: SideName) => (s: AppState) =>
  side === 'b' ? (s.sim.b?.diff ?? null) : null;

/** The scenario asks for gigantic pages: the badges' default (view.gigantic null) is on. */
export const asksGigantic = (result: LiteResult | null) =>
  Boolean(
    result?.steps.some(
      (step) => step.op === 'hugetlb' && step.pageSize === result.resolved.giganticPageSize,
    ),
  );
