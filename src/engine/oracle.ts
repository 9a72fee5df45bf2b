/**
 * Checking a result against a real-kernel case (shared/oracle/README.md): how an expectation
 * picks a step and a field, and whether the engine's value lies in the kernel's bounds.
 */
import type { Result, Step } from './result.ts';
import { fullStep } from './read-steps.ts';

export interface Expectation {
  why: string;
  event?: number;
  sumOverEvents?: string;
  field: string;
  delta?: boolean;
  min: number;
  max: number;
}

export interface OracleCase {
  id: string;
  kernel?: string;
  scenario: unknown;
  expect: Expectation[];
}

export interface PairCheck {
  why: string;
  a: string;
  b: string;
  event: number;
  field: string;
  aMinusB: number;
}

/** A field of one step, as the oracle names it; a missing entry counts as 0. */
export function fieldValue(step: Step, field: string): number {
  const zoneMatch = /^zone:(\d+)\/(\w+)\.(\w+)$/.exec(field);
  if (zoneMatch) {
    const [, node, zone, key] = zoneMatch;
    const entry = step.zones.find((z) => z.node === Number(node) && z.zone === zone);
    return Number((entry as Record<string, unknown> | undefined)?.[key!] ?? 0);
  }
  const nodeMatch = /^node:(\d+)\.(\w+)$/.exec(field);
  if (nodeMatch) {
    const [, node, key] = nodeMatch;
    const entry = step.nodes.find((n) => n.node === Number(node));
    return Number((entry as Record<string, unknown> | undefined)?.[key!] ?? 0);
  }
  let value: unknown = step;
  for (const part of field.split('.')) {
    value =
      value !== null && typeof value === 'object'
        ? (value as Record<string, unknown>)[part]
        : undefined;
  }
  if (typeof value === 'boolean') return value ? 1 : 0;
  return typeof value === 'number' ? value : 0;
}

/** steps[0] is boot; event k is steps[k + 1], with its full zone and node tables. */
export function stepOf(result: Result, event: number): Step | undefined {
  return result.steps[event + 1] ? fullStep(result, event + 1) : undefined;
}

export function expectationValue(result: Result, expectation: Expectation): number {
  if (expectation.sumOverEvents) {
    return result.steps
      .map((step, index) =>
        step.op === expectation.sumOverEvents ? fullStep(result, index) : null,
      )
      .reduce((sum, step) => sum + (step ? fieldValue(step, expectation.field) : 0), 0);
  }
  const event = expectation.event ?? 0;
  const step = stepOf(result, event);
  if (!step) return Number.NaN;
  const value = fieldValue(step, expectation.field);
  if (!expectation.delta) return value;
  const before = result.steps[event] ? fullStep(result, event) : undefined;
  return before ? value - fieldValue(before, expectation.field) : Number.NaN;
}

export interface CheckOutcome {
  expectation: Expectation;
  value: number;
  pass: boolean;
}

export function checkCase(result: Result, oracleCase: OracleCase): CheckOutcome[] {
  return oracleCase.expect.map((expectation) => {
    const value = expectationValue(result, expectation);
    return { expectation, value, pass: value >= expectation.min && value <= expectation.max };
  });
}
