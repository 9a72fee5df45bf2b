/**
 * Creating the blocks of one add request placed by a hypothetical strategy, and their memmap
 * records: groups sharing an altmap (group.ts) or the node's host area (node-hosts.ts). The
 * kernel's own placements (and bigger-blocks, which is the kernel's per-block placement at
 * another block size) are ops/add.ts's.
 */
import { addedBlockAttrs } from '../model/blocks.ts';
import type { Machine, MemmapRecord, Resource } from '../model/machine.ts';
import type { AddPlan, AddRequest } from '../ops/placement.ts';
import type { StepDraft } from '../ops/step.ts';
import { createGroupBlocks, type Placed } from './group.ts';
import { placeNodeHost } from './node-hosts.ts';

const narrated = new WeakSet<StepDraft>();

/** The request's records, or null when the plan is not a strategy's own placement. */
export function placeStrategyMemmap(
  machine: Machine,
  request: AddRequest,
  resource: Resource,
  plan: AddPlan,
  draft: StepDraft,
): MemmapRecord[] | null {
  let placed: Placed;
  if (plan.placement === 'self-per-group') {
    placed = createGroupBlocks(machine, request, resource, plan);
  } else if (plan.placement === 'node-host') {
    machine.blocks.insert(
      request.startPfn / machine.blockPages,
      request.nrPages / machine.blockPages,
      addedBlockAttrs(resource.node, resource.id, machine.blockPages, {
        memmapPages: 0,
        wastePages: 0,
      }),
    );
    const host = placeNodeHost(machine, request, resource);
    // One line per new host area, and one for the first growth of a step (DLPAR adds an LMB
    // per request: sixty-four alike lines say nothing more than one).
    if (host.newArea || !narrated.has(draft)) draft.narrative.push(host.note);
    narrated.add(draft);
    placed = host;
  } else return null;
  if (draft.add) draft.add.memmapWastedBytes += machine.toBytes(placed.wastePages);
  return placed.records;
}
