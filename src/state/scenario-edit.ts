/**
 * Edits the controls make to a scenario. Pure: each takes a scenario and returns a new one, so
 * the store can keep the previous one when the engine refuses the result.
 */
import type { ScenarioInput } from '../engine/scenario/schema.ts';
import { parseSize } from '../engine/units.ts';

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

/** The kernel select's choice: a release (kernelVersion, era derived) or an RFC era. */
export function setKernelChoice(
  scenario: ScenarioInput,
  choice: { kernelVersion?: string; era?: string },
): ScenarioInput {
  const { kernelVersion: _version, era: _era, ...rest } = scenario;
  if (choice.kernelVersion !== undefined) return { ...rest, kernelVersion: choice.kernelVersion };
  return { ...rest, era: choice.era as ScenarioInput['era'] };
}

const sizeText = (bytes: number) => {
  for (const [unit, scale] of [
    ['T', 2 ** 40],
    ['G', 2 ** 30],
    ['M', 2 ** 20],
    ['K', 2 ** 10],
  ] as const)
    if (bytes % scale === 0) return `${bytes / scale}${unit}`;
  return String(bytes);
};

/**
 * Another architecture, with each hugetlb request moved to that arch's page sizes so the
 * scenario stays one the engine accepts: a gigantic request stays gigantic (1 GiB on x86_64
 * becomes 512 MiB on arm64 with 64K pages), a PMD-sized one stays PMD-sized, and the count
 * keeps the bytes asked for. `sizesOf` gives an arch's huge page sizes (the catalog's).
 */
export function setArch(
  scenario: ScenarioInput,
  arch: NonNullable<ScenarioInput['arch']>,
  sizesOf: (arch: NonNullable<ScenarioInput['arch']>) => number[] | undefined,
  fromArch: NonNullable<ScenarioInput['arch']>,
): ScenarioInput {
  const before = sizesOf(fromArch) ?? [];
  const after = sizesOf(arch) ?? [];
  if (!after.length) return { ...scenario, arch };
  const events = (scenario.events ?? []).map((event) => {
    if (event.op !== 'hugetlb') return event;
    const bytes = parseSize(event.pageSize);
    if (bytes === null || after.includes(bytes)) return event;
    const rank = before.indexOf(bytes);
    // Largest stays largest; otherwise the same rank from the bottom, else the nearest size.
    const target =
      rank === before.length - 1 && rank >= 0
        ? after[after.length - 1]!
        : rank >= 0 && rank < after.length
          ? after[rank]!
          : after.reduce((best, size) =>
              Math.abs(Math.log2(size / bytes)) < Math.abs(Math.log2(best / bytes)) ? size : best,
            );
    const count = event.count === 0 ? 0 : Math.max(1, Math.round((event.count * bytes) / target));
    return { ...event, pageSize: sizeText(target) as never, count };
  });
  return { ...scenario, arch, events };
}
