/**
 * The worker's message handler, apart from the worker global so it can be tested in Node:
 * each request becomes one engine call (two in compare mode) and one answer.
 */
import { catalog } from '../engine/catalog.ts';
import { liteResult, toColumns, transferables } from '../engine/columns.ts';
import { compareTiles } from '../engine/compare-tiles.ts';
import { simulate, type SimulateOptions as EngineOptions } from '../engine/simulate.ts';
import { ENGINE_VERSION } from '../engine/version.ts';
import { importMachine } from '../import/index.ts';
import { reproduce } from '../qemu/reproduce.ts';
import {
  PROTOCOL_VERSION,
  type FromWorker,
  type Side,
  type SimSide,
  type SimulateOptions,
  type ToWorker,
} from './protocol.ts';

export type Send = (message: FromWorker, transfer?: Transferable[]) => void;

type Outcome = { ok: true; side: SimSide } | { ok: false; message: FromWorker };

function engineOptions(at: number | undefined, options: SimulateOptions = {}): EngineOptions {
  // "What changed" needs the summary one step before the one shown.
  return { ...(at === undefined ? {} : { finalAt: at }), previous: true, views: !!options.views };
}

function run(seq: number, side: Side, scenario: unknown, options: EngineOptions): Outcome {
  const outcome = simulate(scenario, options);
  if (!outcome.ok)
    return {
      ok: false,
      message:
        outcome.kind === 'invalid'
          ? { type: 'invalid', seq, side, errors: outcome.errors }
          : { type: 'failed', seq, side, message: outcome.errors.map((e) => e.message).join('; ') },
    };
  return {
    ok: true,
    side: {
      result: liteResult(outcome.result),
      columns: toColumns(outcome.result.final, outcome.result.resolved.pageSize),
      scenario: outcome.scenario,
    },
  };
}

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
      send({
        type: 'ready',
        protocol: PROTOCOL_VERSION,
        engineVersion: ENGINE_VERSION,
        catalog: catalog(),
      });
      return;
    case 'simulate': {
      const start = performance.now();
      const options = engineOptions(message.at, message.options);
      const a = run(message.seq, 'a', message.scenario, options);
      if (!a.ok) return send(a.message);
      if (message.compare === undefined) {
        send(
          { type: 'result', seq: message.seq, a: a.side, ms: performance.now() - start },
          transferables(a.side.columns),
        );
        return;
      }
      const b = run(message.seq, 'b', message.compare, options);
      if (!b.ok) return send(b.message);
      const diff = compareTiles(a.side.columns.tiles, b.side.columns.tiles);
      send(
        {
          type: 'result',
          seq: message.seq,
          a: a.side,
          b: { ...b.side, diff },
          ms: performance.now() - start,
        },
        [
          ...transferables(a.side.columns),
          ...transferables(b.side.columns),
          ...(diff ? [diff.rowMask.buffer, diff.masks.buffer] : []),
        ] as Transferable[],
      );
      return;
    }
    case 'export': {
      const outcome = simulate(
        message.scenario,
        message.at === undefined ? {} : { finalAt: message.at },
      );
      if (!outcome.ok) {
        send({
          type: 'failed',
          seq: message.seq,
          side: 'a',
          message: outcome.errors.map((e) => e.message).join('; '),
        });
        return;
      }
      send({
        type: 'exported',
        seq: message.seq,
        json: `${JSON.stringify(outcome.result, null, 2)}\n`,
      });
      return;
    }
    case 'reproduce': {
      const outcome = simulate(message.scenario);
      send({
        type: 'reproduced',
        seq: message.seq,
        reproduction: outcome.ok
          ? reproduce(outcome.scenario, outcome.result)
          : { ok: false, reasons: outcome.errors.map((e) => `${e.path}: ${e.message}`) },
      });
      return;
    }
    case 'import':
      send({ type: 'imported', seq: message.seq, result: importMachine(message.inputs) });
      return;
  }
}
