/** Test helpers for the reproducer: a scenario through the engine and into a script. */
import type { ScenarioInput } from '../engine/scenario/schema.ts';
import { simulate } from '../engine/simulate.ts';
import { reproduce, type Reproduction } from './reproduce.ts';

/** The recordings' machine: 2 GiB on node 0, memoryless node 1, QEMU's window as hot-pluggable. */
export const recorded = (extra: Partial<ScenarioInput> = {}): ScenarioInput => ({
  version: 1,
  era: 'U3',
  machine: {
    nodes: [
      { id: 0, ram: [{ start: 0, size: '2G' }] },
      { id: 1, ram: [] },
    ],
    hotpluggable: [{ start: '4G', size: '30G', node: 1 }],
  },
  kernel: { bootUsed: { 0: '32M' } },
  events: [{ op: 'add', start: '4G', size: '4G', node: 0 }, { op: 'online' }],
  ...extra,
});

export function reproduceInput(input: ScenarioInput) {
  const outcome = simulate(input);
  if (!outcome.ok) throw new Error(outcome.errors.map((e) => e.message).join('; '));
  return { ...outcome, reproduction: reproduce(outcome.scenario, outcome.result) };
}

export function scriptOf(input: ScenarioInput): string {
  const reproduction: Reproduction = reproduceInput(input).reproduction;
  if (!reproduction.ok) throw new Error(reproduction.reasons.join('\n'));
  return reproduction.script;
}

export function reasonsOf(input: ScenarioInput): string[] {
  const reproduction = reproduceInput(input).reproduction;
  return reproduction.ok ? [] : reproduction.reasons;
}

/** The text of a bash array assignment `NAME=( ... )` in the script. */
export function arrayOf(script: string, name: string): string {
  const match = new RegExp(`^${name}=\\(([\\s\\S]*?)\\)$`, 'm').exec(script);
  if (!match) throw new Error(`no ${name}=( ) in the script`);
  return match[1]!.trim();
}

/** The body of a quoted heredoc of the script. */
export function heredocOf(script: string, delimiter: string): string {
  const start = script.indexOf(`<<'${delimiter}'\n`);
  const end = script.indexOf(`\n${delimiter}\n`, start);
  if (start < 0 || end < 0) throw new Error(`no heredoc ${delimiter}`);
  return script.slice(start + delimiter.length + 5, end + 1);
}
