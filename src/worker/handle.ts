/**
 * The worker's message handler, apart from the worker global so it can be tested in Node:
 * each request becomes one engine call and one answer.
 */
import { liteResult, toColumns, transferables } from '../engine/columns.ts';
import { simulate } from '../engine/simulate.ts';
import { ENGINE_VERSION } from '../engine/version.ts';
import { PROTOCOL_VERSION, type FromWorker, type ToWorker } from './protocol.ts';

export type Send = (message: FromWorker, transfer?: Transferable[]) => void;

export function handle(message: ToWorker, send: Send): void {
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
    case 'simulate': {
      const start = performance.now();
      const outcome = simulate(
        message.scenario,
        message.at === undefined ? {} : { finalAt: message.at },
      );
      if (!outcome.ok) {
        if (outcome.kind === 'invalid')
          send({ type: 'invalid', seq: message.seq, errors: outcome.errors });
        else
          send({
            type: 'failed',
            seq: message.seq,
            message: outcome.errors.map((e) => e.message).join('; '),
          });
        return;
      }
      const columns = toColumns(outcome.result.final, outcome.result.resolved.pageSize);
      const result = liteResult(outcome.result);
      send(
        { type: 'result', seq: message.seq, result, columns, ms: performance.now() - start },
        transferables(columns),
      );
      return;
    }
  }
}
