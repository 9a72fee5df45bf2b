/**
 * The application store (zustand, vanilla so it works outside React too).
 *
 * A scenario enters here once (from a control, the editor, a preset or a link); the store hands
 * it to the scheduler (`scheduler.ts`: coalescing, sequence numbers, timeouts, restarts), the only
 * way to the worker, and keeps the last result. A whole scenario (editor, link) is validated here
 * before it replaces the one on screen; an edit from a control goes straight to the engine, and
 * one it refuses is rolled back to the last scenario it accepted.
 *
 * Compare mode holds a second scenario, B, simulated with the first in one request: the controls
 * and the editor then edit B, and leaving keeps B.
 */
import { createStore } from 'zustand/vanilla';
import type { ImportInput, ImportResult } from '../import/index.ts';
import type { Reproduction } from '../qemu/reproduce.ts';
import type { Catalog } from '../engine/catalog.ts';
import type { LiteResult, MapColumns } from '../engine/columns.ts';
import type { TileDiff } from '../engine/compare-tiles.ts';
import type { ScenarioInput } from '../engine/scenario/schema.ts';
import {
  formatValidationError,
  type Scenario,
  type ValidationError,
} from '../engine/scenario/types.ts';
import { comparePair, type ComparePair } from './compare-pairs.ts';
import * as edits from './scenario-edit.ts';
import { shareUrl } from './url-codec.ts';
import { flushUrl } from './url-sync.ts';
import { DEFAULT_SCENARIO } from './default-scenario.ts';
import { createScheduler, type Answer, type SimRequest, type WorkerStatus } from './scheduler.ts';
import { loadValidator } from './validation.ts';
import { DEFAULT_VIEW, type ViewState } from './view.ts';

export type { WorkerStatus } from './scheduler.ts';
export { COMPARE_PAIRS, type ComparePair } from './compare-pairs.ts';
/** Which event the hot-add controls edit (the one setFirstAdd changes). */
export { firstAddIndex } from './scenario-edit.ts';

export interface Alert {
  id: number;
  title: string;
  details: string[];
}

/** Compare mode's second map: B's result and which of its cells differ from A. */
export interface SideB {
  result: LiteResult;
  columns: MapColumns;
  normalized: Scenario;
  scenario: ScenarioInput;
  diff: TileDiff | null;
}

export interface Simulation {
  status: 'idle' | 'running' | 'ok';
  result: LiteResult | null;
  columns: MapColumns | null;
  /** The scenario as the engine read it: every default filled in. */
  normalized: Scenario | null;
  /** The scenario and step the result belongs to. */
  scenario: ScenarioInput | null;
  at: number;
  engineMs: number;
  /** Bumped with every new result: the map animates from the previous one. */
  version: number;
  /** Compare mode's B, when the answer had one. */
  b: SideB | null;
}

export interface AppState {
  worker: WorkerStatus;
  /** What the controls offer (from the worker's handshake); null until it is ready. */
  catalog: Catalog | null;
  scenario: ScenarioInput;
  /** Compare mode's B, or null outside compare mode. */
  compare: ScenarioInput | null;
  view: ViewState;
  sim: Simulation;
  alerts: Alert[];
  /** Address under the pointer (the inspector's hover), or null. */
  hover: number | null;
  /** The kernel views panel is open: answers carry the views. */
  viewsWanted: boolean;
  /** Apply an edit from a control (to B in compare mode); a refused one is rolled back. */
  edit: (change: (scenario: ScenarioInput) => ScenarioInput) => void;
  /**
   * Replace the whole scenario (editor, preset, link). Resolves to its validation errors: with
   * any, nothing changed. Loads apply in the order they were made. `compare` opens compare mode
   * with it as B; `target: "b"` replaces only B (the editor in compare mode).
   */
  load: (
    input: unknown,
    options?: {
      view?: Partial<ViewState>;
      source?: string;
      compare?: unknown;
      target?: 'a' | 'b';
    },
  ) => Promise<ValidationError[]>;
  /**
   * The page is on its way to another scenario until `work` settles (a link being read): the
   * simulation counts as running meanwhile, so nothing takes the old result for the new one.
   */
  whileLoading: <T>(work: Promise<T>) => Promise<T>;
  /** Fork the scenario into A and B (B changed as `pair` says, or identical). */
  startCompare: (pair?: ComparePair) => void;
  /** Leave compare mode keeping B (or A). */
  stopCompare: (keep?: 'a' | 'b') => void;
  setView: (patch: Partial<ViewState>) => void;
  setStep: (step: number) => void;
  setHover: (addr: number | null) => void;
  setViewsWanted: (wanted: boolean) => void;
  /** The whole result of the scenario on screen (B in compare mode) as JSON text. */
  exportResult: () => Promise<string>;
  /** The QEMU reproducer of the scenario on screen (B in compare mode). */
  reproduce: () => Promise<Reproduction>;
  /** Pasted outputs of a real machine to a scenario (not loaded: the dialog shows it first). */
  importMachine: (inputs: ImportInput[]) => Promise<ImportResult>;
  /**
   * The page's address for what is on screen, any pending URL change written first ("Copy
   * link"); with `patch`, the address of the same with those view fields (the embed link).
   */
  shareUrl: (patch?: Partial<ViewState>) => string;
  /** Control edits: each is an `edit` (to B in compare mode). */
  setKernel: (patch: Parameters<typeof edits.setKernel>[1]) => void;
  setMachine: (patch: Parameters<typeof edits.setMachine>[1]) => void;
  setFirstAdd: (patch: Parameters<typeof edits.setFirstAdd>[1]) => void;
  /** A value of catalog.kernels. */
  setKernelChoice: (value: string) => void;
  /** Another architecture; hugetlb requests move to its page sizes. */
  setArch: (arch: NonNullable<ScenarioInput['arch']>) => void;
  raise: (title: string, details?: string[]) => void;
  dismiss: (id: number) => void;
  restartWorker: () => void;
  /** Test hook: ends the worker as if it had crashed. */
  killWorkerForTest: () => void;
}

export interface StoreDeps {
  createWorker?: () => Worker;
  /** Called with each scenario the engine accepted (the browser keeps the last good one). */
  onAccepted?: (scenario: ScenarioInput) => void;
  initial?: { scenario: ScenarioInput; view?: Partial<ViewState>; compare?: ScenarioInput };
  requestTimeoutMs?: number;
}

const eventCount = (scenario: ScenarioInput | null) =>
  scenario && Array.isArray(scenario.events) ? scenario.events.length : 0;

/** Steps of the timeline: compare mode steps both scenarios, as far as the longer goes. */
const stepsOf = (scenario: ScenarioInput, compare: ScenarioInput | null) =>
  Math.max(eventCount(scenario), eventCount(compare));

/** A view for a scenario: step -1 (or past the end) means the last step. */
function viewFor(steps: number, patch: Partial<ViewState> = {}): ViewState {
  const view = { ...DEFAULT_VIEW, ...patch };
  return { ...view, step: view.step < 0 || view.step > steps ? steps : view.step };
}

const requestOf = ({ scenario, compare, view, viewsWanted }: AppState): SimRequest => ({
  scenario,
  at: Math.min(view.step, stepsOf(scenario, compare)),
  ...(compare ? { compare } : {}),
  ...(viewsWanted ? { views: true } : {}),
});

const EMPTY_SIM: Simulation = {
  status: 'idle',
  result: null,
  columns: null,
  normalized: null,
  scenario: null,
  at: 0,
  engineMs: 0,
  version: 0,
  b: null,
};

export function createAppStore(deps: StoreDeps = {}) {
  let nextAlert = 1;
  /** Loads under way (see whileLoading). */
  let loading = 0;
  /** The last scenarios the engine accepted: what a refused edit rolls back to. */
  let lastGood: ScenarioInput | null = null;
  let lastGoodB: ScenarioInput | null = null;

  const initialScenario = deps.initial?.scenario ?? DEFAULT_SCENARIO;
  const initialCompare = deps.initial?.compare ?? null;
  const store = createStore<AppState>()((set, get) => ({
    worker: { kind: 'starting' },
    catalog: null,
    scenario: initialScenario,
    compare: initialCompare,
    view: viewFor(stepsOf(initialScenario, initialCompare), deps.initial?.view),
    sim: EMPTY_SIM,
    alerts: [],
    hover: null,
    viewsWanted: false,
    edit: (change) => {
      const { scenario, compare, view } = get();
      const atEnd = view.step >= stepsOf(scenario, compare);
      const next = compare ? { compare: change(compare) } : { scenario: change(scenario) };
      const steps = stepsOf(next.scenario ?? scenario, next.compare ?? compare);
      set({ ...next, view: atEnd ? { ...view, step: steps } : view });
      scheduler.request();
    },
    load: (input, options = {}) =>
      get().whileLoading(
        loadValidator().then((validate) => {
          const validation = validate(input);
          if (!validation.ok) return validation.errors;
          if (options.compare !== undefined) {
            const other = validate(options.compare);
            if (!other.ok)
              return other.errors.map((error) => ({ ...error, path: `B: ${error.path}` }));
          }
          const loaded = input as ScenarioInput;
          const { scenario, compare } =
            options.target === 'b' && get().compare
              ? { scenario: get().scenario, compare: loaded }
              : {
                  scenario: loaded,
                  compare: (options.compare as ScenarioInput | undefined) ?? null,
                };
          set({
            scenario,
            compare,
            view: viewFor(stepsOf(scenario, compare), options.view),
            hover: null,
          });
          scheduler.request();
          return [];
        }),
      ),
    whileLoading: (work) => {
      loading++;
      if (get().sim.status !== 'running') set({ sim: { ...get().sim, status: 'running' } });
      const done = () => {
        loading--;
        if (loading > 0 || scheduler.busy()) return;
        const sim = get().sim;
        set({ sim: { ...sim, status: sim.result ? 'ok' : 'idle' } });
      };
      return work.finally(done);
    },
    startCompare: (pair) => {
      const { scenario, catalog, sim } = get();
      const compare = comparePair(scenario, pair, { catalog, resolved: sim.result?.resolved });
      set({ compare, view: { ...get().view, step: Math.max(get().view.step, 0) } });
      scheduler.request();
    },
    stopCompare: (keep = 'b') => {
      const { compare, view } = get();
      if (!compare) return;
      const scenario = keep === 'b' ? compare : get().scenario;
      set({
        scenario,
        compare: null,
        view: { ...view, step: Math.min(view.step, eventCount(scenario)) },
      });
      scheduler.request();
    },
    setView: (patch) => {
      const before = get().view;
      set({ view: { ...before, ...patch } });
      if (patch.step !== undefined && patch.step !== before.step) scheduler.request();
    },
    setStep: (step) => {
      const { scenario, compare } = get();
      const clamped = Math.max(0, Math.min(stepsOf(scenario, compare), Math.round(step)));
      get().setView({ step: clamped });
    },
    setHover: (addr) => {
      if (get().hover !== addr) set({ hover: addr });
    },
    setViewsWanted: (wanted) => {
      if (get().viewsWanted === wanted) return;
      set({ viewsWanted: wanted });
      if (wanted && !get().sim.result?.views) scheduler.request();
    },
    exportResult: () => {
      const { scenario, compare, view } = get();
      const shown = compare ?? scenario;
      return scheduler.exportResult(shown, Math.min(view.step, eventCount(shown)));
    },
    reproduce: () => scheduler.reproduce(get().compare ?? get().scenario),
    importMachine: (inputs) => scheduler.importMachine(inputs),
    shareUrl: (patch) => {
      if (!patch) return flushUrl();
      const { scenario, view, compare } = get();
      return shareUrl(globalThis.location?.href ?? '', scenario, { ...view, ...patch }, compare);
    },
    setKernel: (patch) => get().edit((s) => edits.setKernel(s, patch)),
    setMachine: (patch) => get().edit((s) => edits.setMachine(s, patch)),
    setFirstAdd: (patch) => get().edit((s) => edits.setFirstAdd(s, patch)),
    setKernelChoice: (value) => {
      const choice = get().catalog?.kernels.find((kernel) => kernel.value === value);
      if (choice) get().edit((s) => edits.setKernelChoice(s, choice));
    },
    setArch: (arch) => {
      const { catalog, sim, compare } = get();
      const sizesOf = (id: string) => catalog?.arches.find((a) => a.id === id)?.hugePageSizes;
      // The arch it comes from: the one the engine resolved for the scenario being edited.
      const from = (compare ? sim.b?.result.resolved.arch : sim.result?.resolved.arch) ?? arch;
      get().edit((s) => edits.setArch(s, arch, sizesOf, s.arch ?? from));
    },
    raise: (title, details = []) => {
      set({ alerts: [...get().alerts.slice(-2), { id: nextAlert++, title, details }] });
    },
    dismiss: (id) => set({ alerts: get().alerts.filter((alert) => alert.id !== id) }),
    restartWorker: () => scheduler.restart(),
    killWorkerForTest: () => scheduler.kill('the simulation worker was stopped'),
  }));

  function onAnswer(answer: Answer, request: SimRequest): void {
    const state = store.getState();
    if (answer.kind === 'result') {
      lastGood = request.scenario;
      if (request.compare) lastGoodB = request.compare;
      deps.onAccepted?.(request.compare ?? request.scenario);
      store.setState({
        sim: {
          status: 'ok',
          result: answer.a.result,
          columns: answer.a.columns,
          normalized: answer.a.scenario,
          scenario: request.scenario,
          at: request.at,
          engineMs: answer.ms,
          version: state.sim.version + 1,
          b:
            answer.b && request.compare
              ? {
                  result: answer.b.result,
                  columns: answer.b.columns,
                  normalized: answer.b.scenario,
                  scenario: request.compare,
                  diff: answer.b.diff,
                }
              : null,
        },
      });
      return;
    }
    const inB = answer.side === 'b';
    state.raise(
      `${answer.kind === 'invalid' ? 'The engine refused that change' : 'The engine failed on that scenario'}${inB ? ' (B)' : ''}`,
      answer.kind === 'invalid' ? answer.errors.map(formatValidationError) : [answer.message],
    );
    store.setState({ sim: { ...state.sim, status: 'ok' } });
    const rollback = inB ? lastGoodB : lastGood;
    if (!rollback || (inB && !state.compare)) return;
    const next = inB ? { compare: rollback } : { scenario: rollback };
    const steps = stepsOf(next.scenario ?? state.scenario, next.compare ?? state.compare);
    store.setState({ ...next, view: { ...state.view, step: Math.min(state.view.step, steps) } });
    // The result on screen is the last good scenario's; ask again if its step is not the one shown.
    const shown = requestOf(store.getState());
    if (
      shown.scenario !== state.sim.scenario ||
      shown.at !== state.sim.at ||
      (shown.compare ?? null) !== (state.sim.b?.scenario ?? null)
    )
      scheduler.request();
  }

  const scheduler = createScheduler({
    current: () => requestOf(store.getState()),
    onWorker: (worker) => {
      const { sim, catalog } = store.getState();
      store.setState(
        worker.kind === 'failed'
          ? { worker, sim: { ...sim, status: 'ok' } }
          : { worker, catalog: worker.kind === 'ready' ? worker.catalog : catalog },
      );
    },
    onSent: () => store.setState({ sim: { ...store.getState().sim, status: 'running' } }),
    onAnswer,
    ...(deps.createWorker ? { createWorker: deps.createWorker } : {}),
    ...(deps.requestTimeoutMs !== undefined ? { requestTimeoutMs: deps.requestTimeoutMs } : {}),
  });
  return store;
}

export type AppStore = ReturnType<typeof createAppStore>;
