/**
 * Which zone a memory block joins when it goes online (mm/memory_hotplug.c zone_for_pfn_range,
 * reference §7.2). The memmap's placement never influences it.
 */
import { isKernelZone, type ZoneName } from '../arch.ts';
import type { Machine, Resource } from '../model/machine.ts';
import type { OnlineType } from '../scenario/types.ts';
import { has } from '../kernel/versions.ts';

const AUTO_MOVABLE_RATIO = 301;

/** default_kernel_zone_for_pfn(): the kernel zone already spanning the range, else ZONE_NORMAL. */
export function defaultKernelZone(
  machine: Machine,
  node: number,
  startPfn: number,
  endPfn: number,
): ZoneName {
  for (const name of ['DMA', 'DMA32', 'Normal'] as const) {
    if (machine.findZone(node, name)?.intersects(startPfn, endPfn)) return name;
  }
  return 'Normal';
}

/** Present pages of a memory group (all blocks of one add event), split by zone kind. */
function groupPresent(
  machine: Machine,
  group: number,
): { movable: number; kernel: number; max: number } {
  let movable = 0;
  let kernel = 0;
  let max = 0;
  for (const resource of machine.resources) {
    if (resource.group !== group || resource.kind !== 'ram') continue;
    max += resource.nrPages;
    const firstBlock = resource.startPfn / machine.blockPages;
    for (const run of machine.blocks.within(firstBlock, resource.nrPages / machine.blockPages)) {
      if (run.attrs.state !== 'online' || run.attrs.resource !== resource.id) continue;
      if (run.attrs.zone === 'Movable') movable += run.count * run.attrs.presentPages;
      else if (run.attrs.zone) kernel += run.count * run.attrs.presentPages;
    }
  }
  return { movable, kernel, max };
}

/** auto_movable_can_online_movable(): would onlining nrPages to ZONE_MOVABLE keep the ratio? */
function canOnlineMovable(
  machine: Machine,
  node: number | null,
  current: Resource,
  nrPages: number,
): boolean {
  let kernelEarly = 0;
  let movable = 0;
  for (const zone of machine.zones()) {
    if (node !== null && zone.node !== node) continue;
    if (zone.name === 'Movable') movable += zone.presentPages;
    else if (isKernelZone(zone.name)) kernelEarly += zone.earlyPresentPages;
  }
  // Dynamic groups (virtio-mem) other than the current one need kernel memory of their own.
  let required = 0;
  let dynamicMovable = 0;
  const seen = new Set<number>();
  for (const resource of machine.resources) {
    if (
      !resource.dynamicGroup ||
      resource.group === null ||
      resource.group === current.group ||
      seen.has(resource.group)
    )
      continue;
    if (node !== null && resource.node !== node) continue;
    seen.add(resource.group);
    const stats = groupPresent(machine, resource.group);
    const pages = Math.floor((stats.movable * 100) / AUTO_MOVABLE_RATIO) - stats.kernel;
    if (pages > 0) required += pages;
    dynamicMovable += stats.movable;
  }
  if (kernelEarly <= required) return false;
  kernelEarly -= required;
  movable -= dynamicMovable;
  if (current.dynamicGroup && current.group !== null)
    kernelEarly += groupPresent(machine, current.group).kernel;
  movable += nrPages;
  return movable <= Math.floor((AUTO_MOVABLE_RATIO * kernelEarly) / 100);
}

/**
 * auto_movable_zone_for_pfn() (online_policy=auto-movable, ratio 301, NUMA aware): a static
 * group goes all movable or all kernel, a dynamic group and memory in no group (DLPAR, probe,
 * balloons) block by block against the MOVABLE:KERNEL budget of boot kernel memory.
 */
function autoMovableZone(
  machine: Machine,
  node: number,
  resource: Resource | undefined,
  startPfn: number,
  endPfn: number,
  kernelZone: ZoneName,
): ZoneName {
  if (!resource) return kernelZone;
  let nrPages: number;
  if (resource.group !== null && !resource.dynamicGroup) {
    const stats = groupPresent(machine, resource.group);
    if (stats.kernel > 0) return kernelZone; // if anything is kernel, we stay kernel
    nrPages = stats.max - stats.movable;
  } else {
    nrPages = endPfn - startPfn;
  }
  if (!canOnlineMovable(machine, null, resource, nrPages)) return kernelZone;
  if (!canOnlineMovable(machine, node, resource, nrPages)) return kernelZone;
  return 'Movable';
}

export function zoneForRange(
  machine: Machine,
  type: OnlineType,
  node: number,
  resource: Resource | undefined,
  startPfn: number,
  endPfn: number,
): ZoneName {
  const kernelZone = defaultKernelZone(machine, node, startPfn, endPfn);
  if (type === 'online_kernel') return kernelZone;
  if (type === 'online_movable') return 'Movable';
  // online_policy arrived in 5.15; an older kernel has no such parameter: contig-zones.
  if (machine.kernel.onlinePolicy === 'auto-movable' && has(machine.version, 'autoMovable'))
    return autoMovableZone(machine, node, resource, startPfn, endPfn, kernelZone);
  const inKernel = machine.findZone(node, kernelZone)?.intersects(startPfn, endPfn) ?? false;
  const inMovable = machine.findZone(node, 'Movable')?.intersects(startPfn, endPfn) ?? false;
  if (inKernel !== inMovable) return inKernel ? kernelZone : 'Movable';
  return machine.kernel.movableNode ? 'Movable' : kernelZone;
}
