/**
 * The URL and the store, read and written in one place.
 *
 * On start the fragment is decoded; a bad link raises an alert naming what was wrong and the page
 * opens the last good scenario (or the default). Afterwards every scenario or step change pushes a
 * history entry (so back and forward walk through changes) and view changes (zoom, selection)
 * replace the current one. Going back or forward loads what the entry holds. A bare address opens
 * the default scenario without loading the validator (`validation.ts`); a link waits for it.
 */
import type { ScenarioInput } from '../engine/scenario/schema.ts';
import { formatValidationError } from '../engine/scenario/types.ts';
import { DEFAULT_SCENARIO } from './default-scenario.ts';
import { loadLastGood } from './persist.ts';
import type { AppStore } from './store.ts';
import { checkDecoded, decodeShareFragment, encodeShareFragment } from './url-codec.ts';
import { loadValidator } from './validation.ts';
import type { ViewState } from './view.ts';

export interface StartingPoint {
  scenario: ScenarioInput;
  /** Compare mode's B, when the link was made comparing. */
  compare?: ScenarioInput;
  view?: Partial<ViewState>;
  /** An alert to raise once the store exists. */
  problem?: { title: string; details: string[] };
}

/**
 * What a page address opens: its link, or (for a bad link) the last good scenario (`lastGood`,
 * read from storage when not given) or the default.
 */
export async function startingPoint(
  hash: string,
  lastGood?: ScenarioInput | null,
): Promise<StartingPoint> {
  const undecided = decodeShareFragment(hash);
  if (undecided.kind === 'empty') return { scenario: DEFAULT_SCENARIO };
  const validate = await loadValidator();
  const decoded = checkDecoded(undecided, validate);
  const fallbackScenario = () => (lastGood === undefined ? loadLastGood(validate) : lastGood);
  const fallback = (): [ScenarioInput, string] => {
    const scenario = fallbackScenario();
    return scenario
      ? [scenario, 'Showing your last scenario instead.']
      : [DEFAULT_SCENARIO, 'Showing the default scenario instead.'];
  };
  switch (decoded.kind) {
    case 'empty':
      return { scenario: DEFAULT_SCENARIO };
    case 'error': {
      const [scenario, text] = fallback();
      return {
        scenario,
        problem: { title: 'This link could not be opened', details: [decoded.message, text] },
      };
    }
    case 'invalid': {
      const [scenario, text] = fallback();
      return {
        scenario,
        problem: {
          title: 'This link describes a machine the engine cannot simulate',
          details: [...decoded.errors.map(formatValidationError), text],
        },
      };
    }
    case 'ok':
      return {
        scenario: decoded.source as ScenarioInput,
        ...(decoded.compareSource !== undefined
          ? { compare: decoded.compareSource as ScenarioInput }
          : {}),
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
  /** Where popstate and hashchange arrive (the window). */
  events?: Pick<EventTarget, 'addEventListener' | 'removeEventListener'>;
  debounceMs?: number;
}

/** Fragment for the store's current scenario and view ('' if it cannot be encoded). */
export function currentFragment(store: AppStore): string {
  const { scenario, view, compare } = store.getState();
  try {
    return encodeShareFragment(scenario, view, compare);
  } catch {
    return '';
  }
}

/** The running sync's writer, so "Copy link" can flush a pending change the way it would land. */
let activeWrite: (() => void) | null = null;

export function syncUrl(store: AppStore, options: UrlSyncOptions = {}): () => void {
  const location = options.location ?? window.location;
  const history = options.history ?? window.history;
  const events = options.events ?? window;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let pendingPush = false;
  /** Navigations being applied: the store changes they make are not the user's to record. */
  let applying = 0;
  let navigations = 0;
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
    if (applying > 0) return;
    const scenarioChanged =
      state.scenario !== previous.scenario ||
      state.compare !== previous.compare ||
      state.view.step !== previous.view.step;
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
    const navigation = ++navigations;
    applying++;
    const opening = startingPoint(location.hash).then(async (start) => {
      // A later navigation while this one waited for the validator wins.
      if (navigation !== navigations) return;
      await store.getState().load(start.scenario, {
        ...(start.view ? { view: start.view } : {}),
        ...(start.compare ? { compare: start.compare } : {}),
      });
      if (start.problem) store.getState().raise(start.problem.title, start.problem.details);
    });
    void store
      .getState()
      .whileLoading(opening)
      .finally(() => applying--);
  };
  activeWrite = write;
  events.addEventListener('popstate', onNavigate);
  events.addEventListener('hashchange', onNavigate);
  return () => {
    unsubscribe();
    clearTimeout(timer);
    if (activeWrite === write) activeWrite = null;
    events.removeEventListener('popstate', onNavigate);
    events.removeEventListener('hashchange', onNavigate);
  };
}

/** Writes any pending change now (before copying the link) and returns the page's full URL. */
export function flushUrl(location: Location = window.location): string {
  activeWrite?.();
  return location.href;
}
