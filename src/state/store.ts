/**
 * The application store (zustand, vanilla so it works outside React too).
 *
 * A scenario enters here once (from a control, the editor, a preset or a link); the store sends
 * it to the worker and keeps the last result. It is the only thing that talks to the worker.
 * Requests are coalesced: while one simulation runs, only the newest change waits, and answers
 * to anything older than the newest request are dropped.
 */
import { createStore } from 'zustand/vanilla';
import type { LiteResult, MapColumns } from '../engine/columns.ts';
import type { ScenarioInput } from '../engine/scenario/schema.ts';
import { formatValidationError, type ValidationError } from '../engine/scenario/types.ts';
import { validateScenario } from '../engine/scenario/validate.ts';
import { WorkerClient } from '../worker/client.ts';
import type { FromWorker } from '../worker/protocol.ts';
import { DEFAULT_SCENARIO } from './default-scenario.ts';
import { DEFAULT_VIEW, type ViewState } from './view.ts';

export type WorkerStatus =
  | { kind: 'starting' }
  | { kind: 'ready'; engineVersion: string }
  | { kind: 'failed'; reason: string };

export interface Alert {
  id: number;
  title: string;
  details: string[];
}

export interface Simulation {
  status: 'idle' | 'running' | 'ok';
  result: LiteResult | null;
  columns: MapColumns | null;
  /** The scenario and step the result belongs to. */
  scenario: ScenarioInput | null;
  at: number;
  engineMs: number;
  /** Bumped with every new result: the map animates from the previous one. */
  version: number;
}

export interface AppState {
  worker: WorkerStatus;
  scenario: ScenarioInput;
  view: ViewState;
  sim: Simulation;
  alerts: Alert[];
  /** Address under the pointer (the inspector's hover), or null. */
  hover: number | null;
  /** Apply an edit from a control; a scenario the engine refuses is rolled back with an alert. */
  edit: (change: (scenario: ScenarioInput) => ScenarioInput) => void;
  /** Replace the whole scenario (editor, preset, link); returns its validation errors, if any. */
  load: (
    input: unknown,
    options?: { view?: Partial<ViewState>; source?: string },
  ) => ValidationError[];
  setView: (patch: Partial<ViewState>) => void;
  setStep: (step: number) => void;
  setHover: (addr: number | null) => void;
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
  initial?: { scenario: ScenarioInput; view?: Partial<ViewState> };
  requestTimeoutMs?: number;
}

const eventCount = (scenario: ScenarioInput) =>
  Array.isArray(scenario.events) ? scenario.events.length : 0;

/** A view for a scenario: step -1 (or past the end) means the last step. */
function viewFor(scenario: ScenarioInput, patch: Partial<ViewState> = {}): ViewState {
  const view = { ...DEFAULT_VIEW, ...patch };
  const count = eventCount(scenario);
  return { ...view, step: view.step < 0 || view.step > count ? count : view.step };
}

export function createAppStore(deps: StoreDeps = {}) {
  let client: WorkerClient | null = null;
  let nextAlert = 1;
  let latestSeq = 0;
  let inFlight: { seq: number; timer: ReturnType<typeof setTimeout> } | null = null;
  let dirty = false;
  /** The last scenario the engine accepted: what a refused edit rolls back to. */
  let lastGood: ScenarioInput | null = null;

  const initialScenario = deps.initial?.scenario ?? DEFAULT_SCENARIO;
  const store = createStore<AppState>()((set, get) => ({
    worker: { kind: 'starting' },
    scenario: initialScenario,
    view: viewFor(initialScenario, deps.initial?.view),
    sim: {
      status: 'idle',
      result: null,
      columns: null,
      scenario: null,
      at: 0,
      engineMs: 0,
      version: 0,
    },
    alerts: [],
    hover: null,
    edit: (change) => {
      const scenario = change(get().scenario);
      const view = get().view;
      const atEnd = view.step >= eventCount(get().scenario);
      set({ scenario, view: atEnd ? { ...view, step: eventCount(scenario) } : view });
      simulate();
    },
    load: (input, options = {}) => {
      const validation = validateScenario(input);
      if (!validation.ok) return validation.errors;
      const scenario = input as ScenarioInput;
      set({ scenario, view: viewFor(scenario, options.view), hover: null });
      simulate();
      return [];
    },
    setView: (patch) => {
      const before = get().view;
      set({ view: { ...before, ...patch } });
      if (patch.step !== undefined && patch.step !== before.step) simulate();
    },
    setStep: (step) => {
      const clamped = Math.max(0, Math.min(eventCount(get().scenario), Math.round(step)));
      get().setView({ step: clamped });
    },
    setHover: (addr) => {
      if (get().hover !== addr) set({ hover: addr });
    },
    raise: (title, details = []) => {
      set({ alerts: [...get().alerts.slice(-2), { id: nextAlert++, title, details }] });
    },
    dismiss: (id) => set({ alerts: get().alerts.filter((alert) => alert.id !== id) }),
    restartWorker: () => start(),
    killWorkerForTest: () => client?.kill('the simulation worker was stopped'),
  }));

  function send(): void {
    if (!client || store.getState().worker.kind !== 'ready') return;
    const { scenario, view } = store.getState();
    const seq = client.seq();
    latestSeq = seq;
    dirty = false;
    const timer = setTimeout(() => {
      if (inFlight?.seq === seq)
        client?.kill(
          `the simulation worker did not answer within ${Math.round((deps.requestTimeoutMs ?? 20_000) / 1000)} s`,
        );
    }, deps.requestTimeoutMs ?? 20_000);
    inFlight = { seq, timer };
    store.setState({ sim: { ...store.getState().sim, status: 'running' } });
    performance.mark('sim-post');
    client.post({ type: 'simulate', seq, scenario, at: Math.min(view.step, eventCount(scenario)) });
  }

  function simulate(): void {
    if (inFlight) dirty = true;
    else send();
  }

  function settle(seq: number): boolean {
    if (inFlight?.seq === seq) {
      clearTimeout(inFlight.timer);
      inFlight = null;
    }
    const current = seq === latestSeq && !dirty;
    if (dirty && !inFlight) send();
    return current;
  }

  function onMessage(message: FromWorker): void {
    const state = store.getState();
    switch (message.type) {
      case 'result': {
        performance.mark('sim-result');
        if (!settle(message.seq)) return;
        lastGood = state.scenario;
        deps.onAccepted?.(state.scenario);
        store.setState({
          sim: {
            status: 'ok',
            result: message.result,
            columns: message.columns,
            scenario: state.scenario,
            at: Math.min(state.view.step, eventCount(state.scenario)),
            engineMs: message.ms,
            version: state.sim.version + 1,
          },
        });
        return;
      }
      case 'invalid':
      case 'failed': {
        if (!settle(message.seq)) return;
        const details =
          message.type === 'invalid'
            ? message.errors.map(formatValidationError)
            : [message.message];
        state.raise(
          message.type === 'invalid'
            ? 'The engine refused that change'
            : 'The engine failed on that scenario',
          details,
        );
        if (lastGood) {
          store.setState({
            scenario: lastGood,
            view: { ...state.view, step: Math.min(state.view.step, eventCount(lastGood)) },
          });
        }
        store.setState({ sim: { ...store.getState().sim, status: 'ok' } });
        return;
      }
      case 'pong':
      case 'ready':
      case 'fatal':
        return;
    }
  }

  function start(): void {
    client?.terminate();
    if (inFlight) clearTimeout(inFlight.timer);
    inFlight = null;
    store.setState({ worker: { kind: 'starting' } });
    const current = new WorkerClient({
      ...(deps.createWorker ? { createWorker: deps.createWorker } : {}),
      onMessage: (message) => {
        if (client === current) onMessage(message);
      },
      onFailure: (reason) => {
        if (client !== current) return;
        if (inFlight) clearTimeout(inFlight.timer);
        inFlight = null;
        store.setState({
          worker: { kind: 'failed', reason },
          sim: { ...store.getState().sim, status: 'ok' },
        });
      },
    });
    client = current;
    current.ready.then(
      ({ engineVersion }) => {
        if (client !== current) return;
        store.setState({ worker: { kind: 'ready', engineVersion } });
        send();
      },
      () => undefined,
    );
  }

  start();
  return store;
}

export type AppStore = ReturnType<typeof createAppStore>;
