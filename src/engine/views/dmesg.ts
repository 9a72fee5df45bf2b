/**
 * `dmesg`: the kernel log lines of every step so far, each behind printk's "[%5lu.%06lu] "
 * timestamp. Times are the model's own clock, not a kernel's: the boot step at 0 s, each event
 * one second after the previous one, and a microsecond between the lines of one step, so the
 * log reads in order and each event's lines sit together.
 *
 * Warnings the model raised that no step logged (they are not all kernel lines) follow the
 * step whose narrative mentions them, or the last step.
 */
import type { Step } from '../result.ts';
import { printkTime } from './text.ts';

const STEP_MICROS = 1_000_000;

export function dmesgText(steps: readonly Step[], warnings: readonly string[]): string {
  const logged = new Set(steps.flatMap((step) => step.log));
  const extra = new Map<number, string[]>();
  for (const warning of warnings) {
    if (logged.has(warning)) continue;
    let at = steps.findIndex((step) => step.narrative.some((line) => line.includes(warning)));
    if (at < 0) at = steps.length - 1;
    extra.set(at, [...(extra.get(at) ?? []), warning]);
  }
  const lines: string[] = [];
  steps.forEach((step, index) => {
    [...step.log, ...(extra.get(index) ?? [])].forEach((line, k) =>
      lines.push(`${printkTime(index * STEP_MICROS + k)}${line}`),
    );
  });
  return lines.length ? `${lines.join('\n')}\n` : '';
}
