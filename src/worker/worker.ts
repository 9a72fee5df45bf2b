/// <reference lib="webworker" />
/** Worker entry: hands each message to `handle` and reports anything unexpected as fatal. */
import { handle } from './handle.ts';
import type { FromWorker, ToWorker } from './protocol.ts';

const scope = self as unknown as DedicatedWorkerGlobalScope;

function send(message: FromWorker, transfer: Transferable[] = []): void {
  scope.postMessage(message, transfer);
}

scope.onmessage = (event: MessageEvent<ToWorker>) => {
  try {
    handle(event.data, send);
  } catch (error) {
    send({ type: 'fatal', message: error instanceof Error ? error.message : String(error) });
  }
};
