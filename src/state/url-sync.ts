/**
 * The URL and the store, read and written in one place.
 *
 * On start the fragment is decoded; a bad link raises an alert naming what was wrong and the page
 * opens the last good scenario (or the default). Afterwards every scenario or step change pushes a
 * history entry (so back and forward walk through changes) and view changes (zoom, selection)
 * replace the current one. Going back or forward loads what the entry holds.
 */
import type { ScenarioInput } from '../engine/scenario/schema.ts';
import { formatValidationError } from '../engine/scenario/types.ts';
import { DEFAULT_SCENARIO } from './default-scenario.ts';
import { loadLastGood } from './persist.ts';
import type { AppStore } from './store.ts';
import { decodeAndValidate, encodeShareFragment } from './url-codec.ts';
import type { ViewState } from './view.ts';

export interface StartingPoint {
  scenario: ScenarioInput;
  view?: Partial<ViewState>;
  /** An alert to raise once the store exists. */
  problem?: { title: string; details: string[] };
}

/** What a page address opens: its link, or (for a bad link) the last good scenario or the default. */
export function startingPoint(
  hash: string,
  lastGood: ScenarioInput | null = loadLastGood(),
): StartingPoint {
  const decoded = decodeAndValidate(hash);
  const fallback = lastGood ?? DEFAULT_SCENARIO;
  const fallbackText = lastGood
    ? 'Showing your last scenario instead.'
    : 'Showing the default scenario instead.';
  switch (decoded.kind) {
    case 'empty':
      return { scenario: DEFAULT_SCENARIO };
    case 'error':
      return {
        scenario: fallback,
        problem: {
          title: 'This link could not be opened',
          details: [decoded.message, fallbackText],
        },
      };
    case 'invalid':
      return {
        scenario: fallback,
        problem: {
          title: 'This link describes a machine the engine cannot simulate',
          details: [...decoded.errors.map(formatValidationError), fallbackText],
        },
      };
    case 'ok':
      return {
        scenario: decoded.source as ScenarioInput,
        view: decoded.view,
        ...(decoded.warnings.length
          ? { problem: { title: 'Parts of this link were ignored', details: decoded.warnings } }
          : {}),
      };
  }
}

export interface UrlSyncOptions {
  location?: Location;
  history?: History;
  debounceMs?: number;
}

/** Fragment for the store's current scenario and view ('' if it cannot be encoded). */
export function currentFragment(store: AppStore): string {
  const { scenario, view } = store.getState();
  try {
    return encodeShareFragment(scenario, view);
  } catch {
    return '';
  }
}

/** The running sync's writer, so "Copy link" can flush a pending change the way it would land. */
let activeWrite: (() => void) | null = null;

export function syncUrl(store: AppStore, options: UrlSyncOptions = {}): () => void {
  const location = options.location ?? window.location;
  const history = options.history ?? window.history;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let pendingPush = false;
  let applyingHistory = false;
  // Back, forward and a followed demo link can fire both popstate and hashchange for one
  // navigation; the fragment last applied or written tells the second apart.
  let applied = location.hash;

  const write = () => {
    clearTimeout(timer);
    timer = undefined;
    const fragment = currentFragment(store);
    if (fragment && fragment !== location.hash) {
      const url = `${location.pathname}${location.search}${fragment}`;
      if (pendingPush) history.pushState(null, '', url);
      else history.replaceState(null, '', url);
    }
    applied = location.hash;
    pendingPush = false;
  };

  const unsubscribe = store.subscribe((state, previous) => {
    if (applyingHistory) return;
    const scenarioChanged =
      state.scenario !== previous.scenario || state.view.step !== previous.view.step;
    const viewChanged = state.view !== previous.view;
    if (!scenarioChanged && !viewChanged) return;
    if (scenarioChanged) pendingPush = true;
    clearTimeout(timer);
    timer = setTimeout(write, options.debounceMs ?? 250);
  });

  const onNavigate = () => {
    if (location.hash === applied) return;
    applied = location.hash;
    clearTimeout(timer);
    timer = undefined;
    pendingPush = false;
    const start = startingPoint(location.hash, loadLastGood());
    applyingHistory = true;
    try {
      store.getState().load(start.scenario, start.view ? { view: start.view } : {});
      if (start.problem) store.getState().raise(start.problem.title, start.problem.details);
    } finally {
      applyingHistory = false;
    }
  };
  activeWrite = write;
  window.addEventListener('popstate', onNavigate);
  window.addEventListener('hashchange', onNavigate);
  return () => {
    unsubscribe();
    clearTimeout(timer);
    if (activeWrite === write) activeWrite = null;
    window.removeEventListener('popstate', onNavigate);
    window.removeEventListener('hashchange', onNavigate);
  };
}

/** Writes any pending change now (before copying the link) and returns the page's full URL. */
export function flushUrl(location: Location = window.location): string {
  activeWrite?.();
  return location.href;
}
