/** The `online` and `offline` events: writes to memoryN/state for every block in a range. */
import type { Machine } from '../model/machine.ts';
import type { EventOf } from '../scenario/types.ts';
import { offlineBlocks, onlineBlocks } from './online.ts';
import { fail, memRange, newDraft, type StepDraft } from './step.ts';
import { strategyOf } from '../strategy/kinds.ts';

function blockRange(
  machine: Machine,
  start: number | undefined,
  size: number | undefined,
): { first: number; count: number } {
  const runs = machine.blocks.all();
  if (start === undefined) {
    const last = runs[runs.length - 1];
    return { first: 0, count: last ? last.first + last.count : 0 };
  }
  const first = Math.floor(machine.toPfn(start) / machine.blockPages);
  const end =
    size === undefined ? first + 1 : Math.ceil(machine.toPfn(start + size) / machine.blockPages);
  return { first, count: Math.max(0, end - first) };
}

export function onlineEvent(machine: Machine, event: EventOf<'online'>, index: number): StepDraft {
  const draft = newDraft();
  const { first, count } = blockRange(machine, event.start, event.size);
  const onlined = onlineBlocks(machine, first, count, event.as, draft, index);
  draft.narrative.push(
    onlined === 0
      ? 'No offline memory block in the range: nothing to online.'
      : `echo ${event.as} > memoryN/state for ${onlined} block${onlined > 1 ? 's' : ''}: into ${[...draft.zonesChosen].join(', ')}.`,
  );
  return draft;
}

export function offlineEvent(
  machine: Machine,
  event: EventOf<'offline'>,
  index: number,
): StepDraft {
  const draft = newDraft();
  const { first, count } = blockRange(machine, event.start, event.size);
  const { offlined, busy, pinned } = offlineBlocks(machine, first, count, draft, index);
  if (offlined > 0) {
    const selfHosted = [...machine.blocks.within(first, count)].some(
      (run) => run.attrs.state === 'offline' && run.attrs.memmapPages > 0,
    );
    draft.narrative.push(
      `${offlined} block${offlined > 1 ? 's' : ''} offlined; their pages leave the zone${selfHosted ? ', but the self-hosted memmap at each block start stays until the memory is removed' : ''}. A memmap in RAM is kept too: it is freed only on removal.`,
    );
  }
  if (busy > 0) {
    fail(
      draft,
      `${busy} block${busy > 1 ? 's' : ''} in ${memRange(machine, first * machine.blockPages, count * machine.blockPages)} could not be offlined: unmovable pages (-EBUSY)`,
    );
    draft.narrative.push(
      'Unmovable kernel allocations (a memmap in RAM, slab, page tables, boot allocations) pin the blocks that hold them.',
    );
  }
  if (pinned > 0) {
    fail(
      draft,
      `${pinned} block${pinned > 1 ? 's' : ''} in ${memRange(machine, first * machine.blockPages, count * machine.blockPages)} host the struct pages of other blocks (kernel.strategy ${strategyOf(machine.scenario).kind}): a kernel would have to refuse offlining them while those blocks exist (-EBUSY)`,
    );
    draft.narrative.push(
      'A host block holds struct pages that other, still present blocks use; offlining is the step before unplugging it (and on s390 offline memory is inaccessible). Remove the blocks it describes first.',
    );
  }
  if (offlined === 0 && busy === 0 && pinned === 0)
    draft.narrative.push('No online memory block in the range: nothing to offline.');
  return draft;
}
