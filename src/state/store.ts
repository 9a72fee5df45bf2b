/**
 * The application store (zustand, vanilla so it works outside React too).
 *
 * It is the only thing that talks to the worker. Everything the UI shows is read from here.
 */
import { createStore } from 'zustand/vanilla';
import { WorkerClient } from '../worker/client.ts';
import type { FromWorker } from '../worker/protocol.ts';

export type WorkerStatus =
  | { kind: 'starting' }
  | { kind: 'ready'; engineVersion: string }
  | { kind: 'failed'; reason: string };

export interface AppState {
  worker: WorkerStatus;
  restartWorker: () => void;
  /** Test hook: ends the worker as if it had crashed. */
  killWorkerForTest: () => void;
}

export interface StoreDeps {
  createWorker?: () => Worker;
}

export function createAppStore(deps: StoreDeps = {}) {
  let client: WorkerClient | null = null;

  const store = createStore<AppState>()(() => ({
    worker: { kind: 'starting' },
    restartWorker: () => start(),
    killWorkerForTest: () => client?.kill('the simulation worker was stopped'),
  }));

  function onMessage(_message: FromWorker): void {
    // Routed by seq once requests exist (engine issue).
  }

  function start(): void {
    client?.terminate();
    store.setState({ worker: { kind: 'starting' } });
    const current = new WorkerClient({
      createWorker: deps.createWorker,
      onMessage: (message) => {
        if (client === current) onMessage(message);
      },
      onFailure: (reason) => {
        if (client === current) store.setState({ worker: { kind: 'failed', reason } });
      },
    });
    client = current;
    current.ready.then(
      ({ engineVersion }) => {
        if (client === current) store.setState({ worker: { kind: 'ready', engineVersion } });
      },
      () => undefined,
    );
  }

  start();
  return store;
}

export type AppStore = ReturnType<typeof createAppStore>;
