/**
 * Edits the controls make to a scenario. Pure: each takes a scenario and returns a new one, so
 * the store can keep the previous one when the engine refuses the result.
 */
import type { ScenarioInput } from '../engine/scenario/schema.ts';

type Kernel = NonNullable<ScenarioInput['kernel']>;
type Machine = NonNullable<ScenarioInput['machine']>;
type Event = NonNullable<ScenarioInput['events']>[number];

export function setKernel(scenario: ScenarioInput, patch: Partial<Kernel>): ScenarioInput {
  return { ...scenario, kernel: { ...scenario.kernel, ...patch } };
}

export function setMachine(scenario: ScenarioInput, patch: Partial<Machine>): ScenarioInput {
  return { ...scenario, machine: { ...scenario.machine, ...patch } };
}

export function setTop(
  scenario: ScenarioInput,
  patch: Pick<ScenarioInput, 'era' | 'arch' | 'title'>,
): ScenarioInput {
  return { ...scenario, ...patch };
}

/** Index of the first hot-add: the one the size and node inputs edit. */
export function firstAddIndex(scenario: ScenarioInput): number {
  return (scenario.events ?? []).findIndex((event) => event.op === 'add');
}

/** Changes the first hot-add (creating one, followed by an online, when there is none). */
export function setFirstAdd(
  scenario: ScenarioInput,
  patch: { size?: unknown; node?: number },
): ScenarioInput {
  const events: Event[] = [...(scenario.events ?? [])];
  const index = firstAddIndex(scenario);
  if (index < 0) {
    events.unshift(
      {
        op: 'add',
        size: (patch.size ?? '4G') as never,
        ...(patch.node !== undefined ? { node: patch.node } : {}),
      },
      { op: 'online' },
    );
  } else {
    const event = events[index]!;
    if (event.op !== 'add') return scenario;
    const next = { ...event };
    if (patch.size !== undefined) next.size = patch.size as never;
    if (patch.node !== undefined) next.node = patch.node;
    events[index] = next;
  }
  return { ...scenario, events };
}

export function memmapMode(scenario: ScenarioInput): 'off' | 'on' | 'force' {
  return scenario.kernel?.memmapOnMemory ?? 'off';
}
