/**
 * Request scheduling between the store and the simulation worker.
 *
 * One simulation is in flight at a time. A change that arrives meanwhile only marks the schedule
 * dirty; when the answer comes it is dropped (it describes an older state) and the newest state is
 * read and sent, so a burst of toggles costs at most two simulations. Every request carries a
 * sequence number, counted across workers, and only the answer to the request in flight is taken.
 * A request that outlives its timeout ends the worker, which is reported like a crash; restart()
 * starts a new worker and sends the current state again once it is ready, so nothing of the
 * scenario is lost. The scheduler holds no state of its own beyond this: `current` is read at
 * the moment of sending, and answers go back with the request they answer.
 */
import type { Catalog } from '../engine/catalog.ts';
import type { TileDiff } from '../engine/compare-tiles.ts';
import type { ScenarioInput } from '../engine/scenario/schema.ts';
import type { ValidationError } from '../engine/scenario/types.ts';
import { WorkerClient } from '../worker/client.ts';
import type { ImportInput, ImportResult } from '../import/index.ts';
import type { Reproduction } from '../qemu/reproduce.ts';
import type { FromWorker, Side, SimSide, ToWorker } from '../worker/protocol.ts';

export type { Side, SimSide } from '../worker/protocol.ts';

export type WorkerStatus =
  | { kind: 'starting' }
  | { kind: 'ready'; engineVersion: string; catalog: Catalog }
  | { kind: 'failed'; reason: string };

/**
 * What one request asks: the scenario, how many of its events the map shows, compare mode's
 * second scenario, and whether the kernel views are wanted.
 */
export interface SimRequest {
  scenario: ScenarioInput;
  at: number;
  compare?: ScenarioInput;
  views?: boolean;
}

export type Answer =
  | { kind: 'result'; a: SimSide; b?: SimSide & { diff: TileDiff | null }; ms: number }
  | { kind: 'invalid'; side: Side; errors: ValidationError[] }
  | { kind: 'failed'; side: Side; message: string };

export interface SchedulerOptions {
  /** The state to simulate, read when a request goes out (so the newest state is what goes). */
  current: () => SimRequest;
  onWorker: (status: WorkerStatus) => void;
  /** A request went out. */
  onSent?: (request: SimRequest) => void;
  /** The answer to the newest request, with that request. */
  onAnswer: (answer: Answer, request: SimRequest) => void;
  createWorker?: () => Worker;
  requestTimeoutMs?: number;
  handshakeTimeoutMs?: number;
}

export interface Scheduler {
  /** The state changed: simulate it now, or once the request in flight is answered. */
  request: () => void;
  /** A new worker; the current state is sent as soon as it is ready. */
  restart: () => void;
  /** Ends the worker as a crash would (the "worker died" test hook). */
  kill: (reason: string) => void;
  /** A request is in flight, or one waits for the worker to be ready. */
  busy: () => boolean;
  /** The whole result of a scenario as JSON text (a download); rejects with the reason. */
  exportResult: (scenario: ScenarioInput, at: number) => Promise<string>;
  /** The QEMU reproducer of a scenario, or why QEMU cannot run it. */
  reproduce: (scenario: ScenarioInput) => Promise<Reproduction>;
  /** Pasted outputs of a real machine to a scenario. */
  importMachine: (inputs: ImportInput[]) => Promise<ImportResult>;
  /** Ends the worker for good. */
  dispose: () => void;
}

const DEFAULT_TIMEOUT_MS = 20_000;

export function createScheduler(options: SchedulerOptions): Scheduler {
  const timeoutMs = options.requestTimeoutMs ?? DEFAULT_TIMEOUT_MS;
  let client: WorkerClient | null = null;
  let ready = false;
  let lastSeq = 0;
  let inFlight: {
    seq: number;
    request: SimRequest;
    timer: ReturnType<typeof setTimeout>;
  } | null = null;
  /** A change arrived while a request was in flight. */
  let dirty = false;
  /** A change arrived before the worker was ready (it is sent once it is). */
  let waiting = false;
  let failed = false;
  /** Tool requests (export, reproduce, import) not yet answered, by seq: outside the one-in-flight rule. */
  const exports = new Map<
    number,
    { resolve: (message: FromWorker) => void; reject: (error: Error) => void }
  >();

  type Tool = Extract<ToWorker, { type: 'export' | 'reproduce' | 'import' }>;
  type Distribute<T> = T extends unknown ? Omit<T, 'seq'> : never;
  function ask(message: Distribute<Tool>): Promise<FromWorker> {
    return new Promise((resolve, reject) => {
      if (!client || !ready) {
        reject(new Error('the simulation worker is not ready'));
        return;
      }
      const seq = ++lastSeq;
      exports.set(seq, { resolve, reject });
      client.post({ ...message, seq } as Tool);
    });
  }

  function clearInFlight(): void {
    if (inFlight) clearTimeout(inFlight.timer);
    inFlight = null;
  }

  function send(): void {
    if (!client || !ready) {
      waiting = true;
      return;
    }
    const request = options.current();
    const seq = ++lastSeq;
    dirty = false;
    waiting = false;
    const sender = client;
    const timer = setTimeout(() => {
      if (inFlight?.seq === seq)
        sender.kill(
          `the simulation worker did not answer within ${Math.round(timeoutMs / 1000)} s`,
        );
    }, timeoutMs);
    inFlight = { seq, request, timer };
    options.onSent?.(request);
    performance.mark('sim-post');
    sender.post({
      type: 'simulate',
      seq,
      scenario: request.scenario,
      at: request.at,
      ...(request.compare ? { compare: request.compare } : {}),
      ...(request.views ? { options: { views: true } } : {}),
    });
  }

  function rejectExports(reason: string): void {
    for (const pending of exports.values()) pending.reject(new Error(reason));
    exports.clear();
  }

  function onMessage(message: FromWorker): void {
    if ('seq' in message && exports.has(message.seq)) {
      const pending = exports.get(message.seq)!;
      exports.delete(message.seq);
      if (message.type === 'failed') pending.reject(new Error(message.message));
      else if (message.type === 'invalid')
        pending.reject(new Error(message.errors.map((e) => e.message).join('; ')));
      else pending.resolve(message);
      return;
    }
    if (!('seq' in message) || inFlight?.seq !== message.seq) return;
    const { request } = inFlight;
    clearInFlight();
    if (dirty) {
      // The answer is for a state that has since changed: send the newest one instead.
      send();
      return;
    }
    performance.mark('sim-result');
    switch (message.type) {
      case 'result':
        options.onAnswer(
          {
            kind: 'result',
            a: message.a,
            ...(message.b ? { b: message.b } : {}),
            ms: message.ms,
          },
          request,
        );
        return;
      case 'invalid':
        options.onAnswer({ kind: 'invalid', side: message.side, errors: message.errors }, request);
        return;
      case 'failed':
        options.onAnswer({ kind: 'failed', side: message.side, message: message.message }, request);
        return;
    }
  }

  function start(): void {
    client?.terminate();
    clearInFlight();
    rejectExports('the simulation worker was restarted');
    ready = false;
    failed = false;
    options.onWorker({ kind: 'starting' });
    const current = new WorkerClient({
      ...(options.createWorker ? { createWorker: options.createWorker } : {}),
      ...(options.handshakeTimeoutMs !== undefined
        ? { handshakeTimeoutMs: options.handshakeTimeoutMs }
        : {}),
      onMessage: (message) => {
        if (client === current) onMessage(message);
      },
      onFailure: (reason) => {
        if (client !== current) return;
        clearInFlight();
        rejectExports(reason);
        ready = false;
        failed = true;
        options.onWorker({ kind: 'failed', reason });
      },
    });
    client = current;
    current.ready.then(
      ({ engineVersion, catalog }) => {
        if (client !== current) return;
        ready = true;
        options.onWorker({ kind: 'ready', engineVersion, catalog });
        send();
      },
      () => undefined,
    );
  }

  start();
  return {
    request: () => {
      if (inFlight) dirty = true;
      else send();
    },
    restart: start,
    kill: (reason) => client?.kill(reason),
    busy: () => inFlight !== null || (waiting && !failed),
    exportResult: (scenario, at) =>
      ask({ type: 'export', scenario, at }).then((m) => (m.type === 'exported' ? m.json : '')),
    reproduce: (scenario) =>
      ask({ type: 'reproduce', scenario }).then((m) =>
        m.type === 'reproduced' ? m.reproduction : { ok: false, reasons: [m.type] },
      ),
    importMachine: (inputs) =>
      ask({ type: 'import', inputs }).then((m) =>
        m.type === 'imported' ? m.result : { scenario: null, notes: [], problems: [], parts: [] },
      ),
    dispose: () => {
      clearInFlight();
      rejectExports('the page closed the simulation worker');
      client?.terminate();
      client = null;
    },
  };
}
