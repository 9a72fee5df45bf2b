/// <reference lib="webworker" />
/**
 * Worker entry: adapts protocol messages to engine calls and nothing more.
 */
import { ENGINE_VERSION } from '../engine/version.ts';
import { PROTOCOL_VERSION, type FromWorker, type ToWorker } from './protocol.ts';

const scope = self as unknown as DedicatedWorkerGlobalScope;

function send(message: FromWorker, transfer: Transferable[] = []): void {
  scope.postMessage(message, transfer);
}

scope.onmessage = (event: MessageEvent<ToWorker>) => {
  const message = event.data;
  try {
    switch (message.type) {
      case 'hello':
        if (message.protocol !== PROTOCOL_VERSION) {
          send({
            type: 'fatal',
            message: `protocol mismatch: page speaks v${message.protocol}, worker speaks v${PROTOCOL_VERSION}`,
          });
          return;
        }
        send({ type: 'ready', protocol: PROTOCOL_VERSION, engineVersion: ENGINE_VERSION });
        return;
      case 'ping':
        send({ type: 'pong', seq: message.seq });
        return;
    }
  } catch (error) {
    send({ type: 'fatal', message: error instanceof Error ? error.message : String(error) });
  }
};
