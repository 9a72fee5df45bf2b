/**
 * The memmap placement strategies (kernel.strategy, issue 13): what the chosen kernel does, and
 * the placements the 2017 RFC's cover letter offered as answers to "1 GiB pages on hot-added
 * memory" (options a, b and c) plus the 2024 s390 idea of grouping blocks behind one altmap.
 * docs/strategies.md states each rule and where it comes from.
 *
 * A scenario without kernel.strategy is { kind: "kernel" }: every rule stays the kernel's own.
 * Strategies no kernel implements (bigger-blocks, node-hosts, group) mark the result
 * hypothetical.
 */
import type { Scenario } from '../scenario/types.ts';
import type { STRATEGY_KINDS } from '../scenario/schema.ts';
import { formatBytes } from '../units.ts';

export type StrategyKind = (typeof STRATEGY_KINDS)[number];

/** The normalised strategy (result.resolved.strategy): only the field its kind uses. */
export interface Strategy {
  kind: StrategyKind;
  /** bigger-blocks: the memory block size, bytes. */
  blockSize?: number;
  /** group: blocks per altmap. */
  groupBlocks?: number;
}

export interface StrategyInfo {
  label: string;
  /** One line: what it does. */
  does: string;
  /** Who proposed it, and where. */
  proposedBy: string;
  /** No kernel implements it: results are what-ifs. */
  hypothetical: boolean;
}

export const STRATEGY_INFO: Record<StrategyKind, StrategyInfo> = {
  kernel: {
    label: 'What the kernel does',
    does: "The chosen kernel version's own placement: RAM, per-request packing (2017 RFC) or one altmap per block (5.13+).",
    proposedBy: 'Michal Hocko (RFC, 2017), Oscar Salvador (upstream, v5.13)',
    hypothetical: false,
  },
  'bigger-blocks': {
    label: 'a) Bigger memory blocks',
    does: 'Memory blocks of blockSize; each keeps its memmap at its start, leaving whole 1 GiB windows above it.',
    proposedBy:
      'Michal Hocko, RFC cover letter option a ("enlarge memory sections", v2: "memory blocks"), 26 Jul / 1 Aug 2017',
    hypothetical: true,
  },
  'node-hosts': {
    label: 'b) Node host blocks',
    does: "The memmap of every hot-added block of a node is packed into the node's lowest hot-added memory; the rest stays clean.",
    proposedBy:
      'Michal Hocko, RFC cover letter option b ("reuse low memory sections to host memmaps of other sections on the same NUMA node"), 2017',
    hypothetical: true,
  },
  group: {
    label: 'Groups of blocks share one altmap',
    does: 'Blocks in groups of groupBlocks share one altmap on the first block of the group.',
    proposedBy:
      'the 2024 s390 memmap_on_memory discussion (LKML, Dec 2024), in the spirit of option b',
    hypothetical: true,
  },
  ram: {
    label: 'c) Always RAM',
    does: 'The memmap always comes from existing RAM, as before memmap_on_memory.',
    proposedBy:
      'Michal Hocko, RFC cover letter option c ("fallback to the current allocation"); upstream made the feature opt-in',
    hypothetical: false,
  },
};

/** kernel.strategy with its default filled and only the fields its kind uses. */
export function strategyOf(scenario: Scenario): Strategy {
  const given = scenario.kernel.strategy;
  const kind = given?.kind ?? 'kernel';
  if (kind === 'bigger-blocks' && given?.blockSize !== undefined)
    return { kind, blockSize: given.blockSize };
  if (kind === 'group' && given?.groupBlocks !== undefined)
    return { kind, groupBlocks: given.groupBlocks };
  return { kind };
}

export const isHypothetical = (strategy: Strategy) => STRATEGY_INFO[strategy.kind].hypothetical;

/** Strategies whose host blocks hold the memmap of other blocks, so cannot be offlined. */
export const pinsHosts = (strategy: Strategy) =>
  strategy.kind === 'node-hosts' || strategy.kind === 'group';

/** The notes final.notes carries for a strategy (none for the kernel's own). */
export function strategyNotes(strategy: Strategy, kernelBlockBytes: number): string[] {
  const notes: string[] = [];
  const info = STRATEGY_INFO[strategy.kind];
  if (isHypothetical(strategy))
    notes.push(
      `kernel.strategy "${strategy.kind}" (${info.label}; proposed by ${info.proposedBy}) is implemented by no kernel: ` +
        'the placements, and what follows from them, are hypothetical (docs/strategies.md).',
    );
  if (strategy.blockSize !== undefined && strategy.blockSize <= kernelBlockBytes)
    notes.push(
      `kernel.strategy bigger-blocks asks for ${formatBytes(strategy.blockSize)} blocks, not more than the kernel's own ${formatBytes(kernelBlockBytes)}.`,
    );
  return notes;
}
