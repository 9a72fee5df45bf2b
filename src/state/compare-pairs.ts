/**
 * The comparisons one click sets up: B is A with one thing changed. What "another version" and
 * "another strategy" are comes from the worker's catalog and A's resolved facts, not from here.
 */
import type { Catalog } from '../engine/catalog.ts';
import type { Resolved } from '../engine/result.ts';
import type { ScenarioInput } from '../engine/scenario/schema.ts';
import { setKernel, setKernelChoice } from './scenario-edit.ts';

export type ComparePair = 'same' | 'memmap-on-memory' | 'version' | 'strategy';

export const COMPARE_PAIRS: { pair: ComparePair; label: string }[] = [
  { pair: 'memmap-on-memory', label: 'memmap on memory off vs on' },
  { pair: 'version', label: 'this kernel vs another version' },
  { pair: 'strategy', label: "the kernel's placement vs an RFC option" },
  { pair: 'same', label: 'two copies (then edit B)' },
];

interface Facts {
  catalog: Catalog | null;
  resolved: Resolved | undefined;
}

/** The version B runs: the 6.1/6.12 LTS pair, the one A is not on. */
function otherVersion(scenario: ScenarioInput, facts: Facts): string {
  const current = scenario.kernelVersion ?? facts.resolved?.kernelVersion;
  return current === '6.12' ? '6.1' : '6.12';
}

export function comparePair(
  scenario: ScenarioInput,
  pair: ComparePair = 'same',
  facts: Facts,
): ScenarioInput {
  switch (pair) {
    case 'same':
      return scenario;
    case 'memmap-on-memory': {
      // A is the "off" side of the pair when it has the feature on: B then shows it off.
      const on = (scenario.kernel?.memmapOnMemory ?? 'off') !== 'off';
      return on
        ? setKernel(scenario, { memmapOnMemory: 'off' })
        : setKernel(scenario, { memmapOnMemory: 'on' });
    }
    case 'version': {
      const version = otherVersion(scenario, facts);
      const choice = facts.catalog?.kernels.find((kernel) => kernel.value === version);
      return choice ? setKernelChoice(scenario, choice) : { ...scenario, kernelVersion: version };
    }
    case 'strategy': {
      const kind = scenario.kernel?.strategy?.kind ?? 'kernel';
      // B takes option b (node host blocks), or the kernel's own when A already has a what-if.
      // A strategy applies where memmap_on_memory would self-host, so B has it on.
      const off = (scenario.kernel?.memmapOnMemory ?? 'off') === 'off';
      return setKernel(scenario, {
        ...(off ? { memmapOnMemory: 'on' as const } : {}),
        strategy: { kind: kind === 'kernel' ? 'node-hosts' : 'kernel' },
      });
    }
  }
}
