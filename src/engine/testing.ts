/** Helpers for the engine's tests: build scenarios tersely and run them, failing loudly. */
import type { Result, Step } from './result.ts';
import { simulate } from './simulate.ts';
import { fullStep } from './read-steps.ts';

export function run(input: unknown): Result {
  const outcome = simulate(input);
  if (!outcome.ok) throw new Error(outcome.errors.map((e) => `${e.path}: ${e.message}`).join('\n'));
  return outcome.result;
}

/** steps[k + 1] is event k, with its full zone and node tables. */
export const step = (result: Result, event: number): Step => {
  if (!result.steps[event + 1]) throw new Error(`no step for event ${event}`);
  return fullStep(result, event + 1);
};

export const zoneOf = (s: Step, node: number, zone: string) =>
  s.zones.find((z) => z.node === node && z.zone === zone) ?? {
    spannedPages: 0,
    presentPages: 0,
    managedPages: 0,
    freePages: 0,
  };

/** An x86_64 VM of the QEMU q35 shape: 2 GiB below 4 GiB, the rest above. */
export function q35(ramGiB: number, extra: Record<string, unknown> = {}) {
  const low = Math.min(ramGiB, 2);
  const ram = [{ start: 0, size: `${low}G` }];
  if (ramGiB > 2) ram.push({ start: '4G' as unknown as number, size: `${ramGiB - 2}G` });
  return { nodes: [{ id: 0, ram }], ...extra };
}
