/**
 * Hot-remove: every block in the range must exist and be offline. A memmap taken from RAM goes
 * back to the zone that hosted it now (not at offline time); a self-hosted memmap leaves with the
 * memory. Real-kernel evidence: 64 MiB returned to node 0 when a 4 GiB legacy DIMM was removed.
 */
import type { Machine } from '../model/machine.ts';
import { cutRecords, recordHostPages } from '../model/memmap-records.ts';
import type { EventOf } from '../scenario/types.ts';
import { formatBytes, hex } from '../units.ts';
import { fail, memRange, newDraft, type StepDraft } from './step.ts';
import { forgetHostAreas } from '../strategy/node-hosts.ts';
import { hostsOutside } from '../strategy/pinned.ts';

export function removeEvent(machine: Machine, event: EventOf<'remove'>): StepDraft {
  const draft = newDraft();
  const blockBytes = machine.toBytes(machine.blockPages);
  if (event.start % blockBytes !== 0 || event.size % blockBytes !== 0 || event.size === 0) {
    return fail(
      draft,
      `Block size [${hex(blockBytes)}] unaligned hotplug range: start ${hex(event.start)}, size ${hex(event.size)}`,
    );
  }
  const firstBlock = event.start / blockBytes;
  const count = event.size / blockBytes;
  const runs = [...machine.blocks.within(firstBlock, count)];
  const present = runs.reduce((sum, run) => sum + run.count, 0);
  if (present === 0)
    return fail(
      draft,
      `no memory blocks in ${memRange(machine, machine.toPfn(event.start), machine.toPfn(event.size))}`,
    );
  if (present < count) {
    return fail(
      draft,
      `${memRange(machine, machine.toPfn(event.start), machine.toPfn(event.size))} is not all present: ${count - present} of ${count} blocks are holes`,
    );
  }
  const online = runs.find((run) => run.attrs.state === 'online');
  if (online) {
    const message = `removing memory fails, because memory ${memRange(machine, online.first * machine.blockPages, machine.blockPages)} is onlined`;
    return fail(draft, message, message);
  }
  const resourceIds = new Set(runs.map((run) => run.attrs.resource));
  const resources = machine.resources.filter((resource) => resourceIds.has(resource.id));
  const startPfn = machine.toPfn(event.start);
  const endPfn = startPfn + machine.toPfn(event.size);
  for (const resource of resources) {
    const partial = resource.startPfn < startPfn || resource.startPfn + resource.nrPages > endPfn;
    if (resource.placement === 'self-per-request' && partial) {
      return fail(
        draft,
        `the memmap of ${memRange(machine, resource.startPfn, resource.nrPages)} is packed in its first blocks (one altmap per request): remove the whole request`,
      );
    }
  }
  const placements = new Set(resources.map((resource) => resource.placement === 'self-per-block'));
  if (placements.size > 1)
    return fail(
      draft,
      'mixed memmap_on_memory and RAM-hosted memmap in one range are not supported (-EINVAL)',
    );
  // A block holding struct pages of memory that stays (a group's first block, a node's host).
  const pinned = hostsOutside(machine, startPfn, endPfn);
  if (pinned) return fail(draft, pinned);

  let returned = 0;
  const returnedByNode = new Map<number, number>();
  for (const record of cutRecords(machine, startPfn, endPfn)) {
    if (record.host !== 'ram' || !record.hostZone) continue;
    const zone = machine.findZone(record.hostNode, record.hostZone);
    if (!zone) continue;
    zone.free.addRun({
      start: record.hostStartPfn,
      len: record.hostPages,
      stride: record.hostStridePfn,
      reps: record.reps,
    });
    const pages = recordHostPages(record);
    if (record.kind === 'boot') zone.managedPages += pages;
    returned += pages;
    returnedByNode.set(record.hostNode, (returnedByNode.get(record.hostNode) ?? 0) + pages);
  }
  machine.blocks.delete(firstBlock, count);
  draft.changes.push({ first: firstBlock, count, what: 'removed' });
  forgetHostAreas(machine, startPfn, endPfn);
  for (const ram of machine.bootRam.values()) ram.remove(startPfn, endPfn);
  // Trim the add requests to what is left of them.
  for (let i = machine.resources.length - 1; i >= 0; i--) {
    const resource = machine.resources[i]!;
    const end = resource.startPfn + resource.nrPages;
    if (end <= startPfn || resource.startPfn >= endPfn) continue;
    const left = Math.max(0, startPfn - resource.startPfn);
    const right = Math.max(0, end - endPfn);
    if (left === 0 && right === 0) resource.nrPages = 0;
    else if (left > 0) resource.nrPages = left;
    else {
      resource.startPfn = endPfn;
      resource.nrPages = right;
    }
  }
  // The page tables of requests now wholly gone are freed with them.
  const gone = new Set(resources.filter((r) => r.nrPages === 0).map((r) => r.id));
  machine.allocations = machine.allocations.filter((allocation) => {
    if (allocation.kind !== 'page-tables' || allocation.resource === undefined) return true;
    if (!gone.has(allocation.resource)) return true;
    machine.findZone(allocation.node, allocation.zone)?.free.addRun({
      start: allocation.startPfn,
      len: allocation.pages,
      stride: allocation.stridePfn,
      reps: allocation.reps,
    });
    return false;
  });
  machine.refreshWatermarks();
  draft.blocksChanged = count;
  draft.narrative.push(
    `${count} memory blocks removed ${memRange(machine, startPfn, endPfn - startPfn)}.`,
  );
  draft.narrative.push(
    returned > 0
      ? `Their memmap in RAM (${formatBytes(machine.toBytes(returned))}) goes back to node ${[...returnedByNode.keys()].join(', ')}.`
      : 'Their memmap lived inside them and leaves with them; nothing returns to other memory.',
  );
  return draft;
}
