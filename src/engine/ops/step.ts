/** What an operation reports about its step, before the totals are attached. */
import type { Placement } from '../result.ts';
import { formatBytes, hex } from '../units.ts';
import type { Machine } from '../model/machine.ts';

export interface StepDraft {
  ok: boolean;
  errors: string[];
  narrative: string[];
  log: string[];
  blocksChanged: number;
  zonesChosen: Set<string>;
  /** Blocks whose state or zone changed, as runs (the narration names them). */
  changes: { first: number; count: number; what: string }[];
  /** Where the event landed, defaults resolved (bytes). */
  resolved?: { start: number; size: number; node: number };
  add?: {
    blocksAdded: number;
    memmapBytes: number;
    memmapFromRamBytes: number;
    memmapFromRamByNode: Record<string, number>;
    memmapSelfHostedBytes: number;
    memmapWastedBytes: number;
    pageTablesBytes: number;
    placement: Placement;
  };
  hugetlb?: {
    pageSize: number;
    node: number | null;
    requested: number;
    allocated: number;
    limitedBy?: string;
  };
}

export function newDraft(): StepDraft {
  return {
    ok: true,
    errors: [],
    narrative: [],
    log: [],
    blocksChanged: 0,
    zonesChosen: new Set(),
    changes: [],
  };
}

/** The add-step figures before anything was added. */
export function emptyAdd(placement: Placement): NonNullable<StepDraft['add']> {
  return {
    blocksAdded: 0,
    memmapBytes: 0,
    memmapFromRamBytes: 0,
    memmapFromRamByNode: {},
    memmapSelfHostedBytes: 0,
    memmapWastedBytes: 0,
    pageTablesBytes: 0,
    placement,
  };
}

export function fail(draft: StepDraft, error: string, log?: string): StepDraft {
  draft.ok = false;
  draft.errors.push(error);
  if (log) draft.log.push(log);
  return draft;
}

/** "[mem 0x180000000-0x187ffffff]" as the kernel prints physical ranges. */
export function memRange(machine: Machine, startPfn: number, pages: number): string {
  const start = machine.toBytes(startPfn);
  return `[mem ${hex(start, 9)}-${hex(start + machine.toBytes(pages) - 1, 9)}]`;
}

/** "memory48–memory175 (128 blocks): online in node 1 Normal; ...", merging neighbours. */
export function describeChanges(changes: StepDraft['changes']): string | null {
  if (changes.length === 0) return null;
  const merged: StepDraft['changes'] = [];
  for (const change of changes) {
    const last = merged[merged.length - 1];
    if (last && last.what === change.what && last.first + last.count === change.first)
      last.count += change.count;
    else merged.push({ ...change });
  }
  const shown = merged.slice(0, 6).map((c) => {
    const name =
      c.count === 1
        ? `memory${c.first}`
        : `memory${c.first}–memory${c.first + c.count - 1} (${c.count} blocks)`;
    return `${name}: ${c.what}`;
  });
  const more = merged.length > 6 ? `; and ${merged.length - 6} more runs` : '';
  return `${shown.join('; ')}${more}.`;
}

export const bytesOf = (machine: Machine, pages: number) => formatBytes(machine.toBytes(pages));
