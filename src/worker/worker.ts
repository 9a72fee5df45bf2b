/// <reference lib="webworker" />
/** Worker entry: hands each message to `handle` and reports anything unexpected as fatal. */
import { simulate } from '../engine/simulate.ts';
import { toColumns } from '../engine/columns.ts';
import { handle } from './handle.ts';
import { WARMUP_SCENARIOS } from './warmup.ts';
import type { FromWorker, ToWorker } from './protocol.ts';

const scope = self as unknown as DedicatedWorkerGlobalScope;

function send(message: FromWorker, transfer: Transferable[] = []): void {
  scope.postMessage(message, transfer);
}

let warmups = [...WARMUP_SCENARIOS];
function warmUp(): void {
  const scenario = warmups.shift();
  if (!scenario) return;
  const outcome = simulate(scenario);
  if (outcome.ok) toColumns(outcome.result.final, outcome.result.resolved.pageSize);
  setTimeout(warmUp, 0);
}

scope.onmessage = (event: MessageEvent<ToWorker>) => {
  try {
    handle(event.data, send);
    if (event.data.type === 'simulate' && warmups.length === WARMUP_SCENARIOS.length)
      setTimeout(warmUp, 50);
  } catch (error) {
    warmups = [];
    send({ type: 'fatal', message: error instanceof Error ? error.message : String(error) });
  }
};
