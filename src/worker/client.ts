/**
 * The page's side of the worker: starts it, performs the versioned handshake and reports a dead,
 * silent or foreign-speaking worker through `onFailure`, once. Requests are numbered and timed by
 * the store's scheduler (`state/scheduler.ts`), the only user of this class.
 */
import type { Catalog } from '../engine/catalog.ts';
import { PROTOCOL_VERSION, isFromWorker, type FromWorker, type ToWorker } from './protocol.ts';

export interface WorkerClientOptions {
  /** Called once if the worker fails to start, breaks the protocol or dies. */
  onFailure: (reason: string) => void;
  /** Every non-handshake message, for the store to route by `seq`. */
  onMessage: (message: FromWorker) => void;
  handshakeTimeoutMs?: number;
  /** Injected in tests; the default builds the bundled module worker. */
  createWorker?: () => Worker;
}

function createDefaultWorker(): Worker {
  return new Worker(new URL('./worker.ts', import.meta.url), { type: 'module', name: 'engine' });
}

export class WorkerClient {
  private worker: Worker | null = null;
  private failed = false;
  readonly ready: Promise<{ engineVersion: string; catalog: Catalog }>;

  constructor(private readonly options: WorkerClientOptions) {
    this.ready = new Promise((resolve, reject) => {
      const fail = (reason: string) => {
        reject(new Error(reason));
        this.fail(reason);
      };
      let worker: Worker;
      try {
        worker = (options.createWorker ?? createDefaultWorker)();
      } catch (error) {
        fail(`the simulation worker could not start (${String(error)})`);
        return;
      }
      this.worker = worker;
      const timer = setTimeout(
        () => fail('the simulation worker did not answer its handshake'),
        options.handshakeTimeoutMs ?? 10_000,
      );
      worker.onerror = (event) => {
        clearTimeout(timer);
        event.preventDefault();
        fail(`the simulation worker crashed${event.message ? `: ${event.message}` : ''}`);
      };
      worker.onmessageerror = () =>
        fail('the simulation worker sent a message that could not be read');
      worker.onmessage = (event: MessageEvent<unknown>) => {
        const data = event.data;
        if (!isFromWorker(data)) {
          fail('the simulation worker sent a message outside the protocol');
          return;
        }
        if (data.type === 'ready') {
          clearTimeout(timer);
          if (data.protocol !== PROTOCOL_VERSION) {
            fail(
              `the simulation worker speaks protocol v${data.protocol}, the page v${PROTOCOL_VERSION}`,
            );
            return;
          }
          resolve({ engineVersion: data.engineVersion, catalog: data.catalog });
          return;
        }
        if (data.type === 'fatal') {
          clearTimeout(timer);
          fail(`the simulation worker stopped: ${data.message}`);
          return;
        }
        options.onMessage(data);
      };
      this.post({ type: 'hello', protocol: PROTOCOL_VERSION });
    });
    // The rejection is reported through onFailure; keep it from surfacing as unhandled.
    this.ready.catch(() => undefined);
  }

  post(message: ToWorker, transfer: Transferable[] = []): void {
    if (this.failed || !this.worker) return;
    this.worker.postMessage(message, transfer);
  }

  terminate(): void {
    this.worker?.terminate();
    this.worker = null;
  }

  /** Ends the worker as a crash would: used by the "worker died" test hook. */
  kill(reason: string): void {
    this.terminate();
    this.fail(reason);
  }

  private fail(reason: string): void {
    if (this.failed) return;
    this.failed = true;
    this.terminate();
    this.options.onFailure(reason);
  }
}
