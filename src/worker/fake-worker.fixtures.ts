/**
 * A stand-in for the simulation worker in Node: records what the page posts, and lets a test
 * answer, crash or fall silent at the moment it chooses. Answers are delivered synchronously, as
 * the events a real worker would fire; the handshake is answered on request (`handshake`), or
 * automatically with `autoReady`.
 */
import type { Catalog } from '../engine/catalog.ts';
import { PROTOCOL_VERSION, type FromWorker, type ToWorker } from './protocol.ts';

/** The handshake's catalog: a stand-in (tests that read it use the engine's own). */
export const TEST_CATALOG = { arches: [], kernels: [] } as unknown as Catalog;

export interface FakeWorker {
  /** The object handed to the client as its Worker. */
  worker: Worker;
  posted: ToWorker[];
  terminated: boolean;
  /** Posted simulate requests, oldest first. */
  simulations: () => Extract<ToWorker, { type: 'simulate' }>[];
  /** Delivers a message as the worker would send it (anything, for protocol tests). */
  send: (message: FromWorker | unknown) => void;
  handshake: (protocol?: number, engineVersion?: string) => void;
  crash: (message?: string) => void;
}

export function fakeWorker(options: { autoReady?: boolean } = {}): FakeWorker {
  const target = {
    onmessage: null as ((event: MessageEvent) => void) | null,
    onerror: null as ((event: ErrorEvent) => void) | null,
    onmessageerror: null as ((event: MessageEvent) => void) | null,
    postMessage(message: ToWorker) {
      if (fake.terminated) return;
      fake.posted.push(message);
      if (options.autoReady && message.type === 'hello') fake.handshake();
    },
    terminate() {
      fake.terminated = true;
    },
  };
  const fake: FakeWorker = {
    worker: target as unknown as Worker,
    posted: [],
    terminated: false,
    simulations: () =>
      fake.posted.filter(
        (message): message is Extract<ToWorker, { type: 'simulate' }> =>
          message.type === 'simulate',
      ),
    send: (message) => {
      if (!fake.terminated) target.onmessage?.({ data: message } as MessageEvent);
    },
    handshake: (protocol = PROTOCOL_VERSION, engineVersion = 'test') =>
      fake.send({ type: 'ready', protocol, engineVersion, catalog: TEST_CATALOG }),
    crash: (message = 'boom') => {
      if (fake.terminated) return;
      target.onerror?.({ message, preventDefault: () => undefined } as unknown as ErrorEvent);
    },
  };
  return fake;
}

/** Lets promise callbacks (the handshake's `ready`) run. */
export const settle = () => new Promise<void>((resolve) => setTimeout(resolve, 0));
