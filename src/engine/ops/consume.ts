/**
 * `consume`: unmovable kernel allocations that use up free memory, the pressure under which a
 * ballooning guest hot-adds memory. Placed like any GFP_KERNEL allocation; all or nothing.
 */
import { allocationOf, kernelAlloc, releasePieces, type Piece } from '../model/kalloc.ts';
import type { Machine } from '../model/machine.ts';
import type { EventOf } from '../scenario/types.ts';
import { bytesOf, fail, newDraft, type StepDraft } from './step.ts';

export function consumeEvent(
  machine: Machine,
  event: EventOf<'consume'>,
  index: number,
): StepDraft {
  const draft = newDraft();
  const node = event.node ?? 0;
  const pages = Math.ceil(event.size / machine.pageSize);
  const blocks = Math.floor(pages / machine.pageblockPages);
  const rest = pages - blocks * machine.pageblockPages;
  const pieces: Piece[] = [];
  for (const [chunks, chunkPages] of [
    [blocks, machine.pageblockPages],
    [rest, 1],
  ] as const) {
    if (chunks === 0) continue;
    const result = kernelAlloc(machine, node, chunks, chunkPages);
    if (!result.ok) {
      releasePieces(pieces);
      return fail(
        draft,
        `out of memory: ${bytesOf(machine, pages)} of unmovable allocations do not fit; ${bytesOf(machine, result.usablePages)} free above the watermarks in the kernel zones of node ${result.nodes.join(', ')}`,
        'Out of memory: the OOM killer would run',
      );
    }
    pieces.push(...result.pieces);
  }
  for (const piece of pieces) machine.allocations.push(allocationOf('consume', piece, index));
  machine.refreshWatermarks();
  const nodes = [...new Set(pieces.map((piece) => piece.zone.node))];
  draft.narrative.push(
    `${bytesOf(machine, pages)} of unmovable kernel memory allocated on node ${nodes.join(', ')}.`,
  );
  return draft;
}
