/// <reference lib="webworker" />
/** Worker entry: hands each message to `handle` and reports anything unexpected as fatal. */
import './no-eval.ts';
import { simulate } from '../engine/simulate.ts';
import { toColumns } from '../engine/columns.ts';
import { handle } from './handle.ts';
import { WARMUP_SCENARIOS } from './warmup.ts';
import type { FromWorker, ToWorker } from './protocol.ts';

const scope = self as unknown as DedicatedWorkerGlobalScope;

function send(message: FromWorker, transfer: Transferable[] = []): void {
  scope.postMessage(message, transfer);
}

const WARMUP_DELAY_MS = 2_000;
/**
 * Rounds of the warm-up list: one round leaves a 64 TiB toggle at 30-60 ms in Chromium's worker,
 * eight at 11-26 ms (measured); six rounds are 36 slices of a few ms each, in idle time.
 */
const WARMUP_ROUNDS = 6;
let warmups = Array.from({ length: WARMUP_ROUNDS }, () => WARMUP_SCENARIOS).flat();
let warmupScheduled = false;
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
    // Not at once: on a machine of two cores the warm-up would compete with the page drawing
    // this first answer.
    if (event.data.type === 'simulate' && !warmupScheduled) {
      warmupScheduled = true;
      setTimeout(warmUp, WARMUP_DELAY_MS);
    }
  } catch (error) {
    warmups = [];
    send({ type: 'fatal', message: error instanceof Error ? error.message : String(error) });
  }
};
