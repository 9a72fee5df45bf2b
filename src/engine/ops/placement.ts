/**
 * Where the memmap of one add event goes, era by era (reference §12.2), and how the event is cut
 * into add_memory() requests by its caller.
 */
import { eraAtLeast, mmoGeometry, mmoGeometryU1, type Era } from '../arch.ts';
import type { Machine } from '../model/machine.ts';
import type { Placement } from '../result.ts';
import type { AddVia, EventOf } from '../scenario/types.ts';
import { formatBytes } from '../units.ts';

export interface AddRequest {
  startPfn: number;
  nrPages: number;
}

export interface AddPlan {
  requests: AddRequest[];
  placement: Exclude<Placement, 'device-altmap'>;
  memmapPagesPerBlock: number;
  wastePagesPerBlock: number;
  /** Why this placement, in a kernel developer's words. */
  why: string;
  /** Set when the kernel of this era cannot do the add at all. */
  fault?: string;
}

const RFC = (era: Era) => era === 'RFC1' || era === 'RFC2';

/** How each caller cuts an add into add_memory() requests. */
function cutRequests(
  machine: Machine,
  via: AddVia,
  startPfn: number,
  nrPages: number,
): AddRequest[] {
  const blockPages = machine.blockPages;
  let unit = nrPages;
  if (via === 'dlpar' || via === 'virtio-mem') unit = blockPages;
  if (via === 'hv-balloon') unit = Math.max(blockPages, machine.toPfn(128 * 1024 ** 2));
  if (via === 'probe') unit = RFC(machine.era) ? machine.pagesPerSection : blockPages;
  const requests: AddRequest[] = [];
  for (let offset = 0; offset < nrPages; offset += unit) {
    requests.push({ startPfn: startPfn + offset, nrPages: Math.min(unit, nrPages - offset) });
  }
  return requests;
}

function unavailable(machine: Machine, via: AddVia): string | undefined {
  const { era, spec } = machine;
  if (!eraAtLeast(era, spec.hotplugSince))
    return `memory hotplug on ${spec.id} arrived in v6.11; this era has none`;
  if (via === 'kmem' && RFC(era))
    return 'dax/kmem arrived in v5.1; the 2017 kernels have no such driver';
  if (via === 'virtio-mem' && RFC(era))
    return 'virtio-mem arrived in v5.8; the 2017 kernels have no such driver';
  if (via === 'dlpar' && !spec.id.startsWith('ppc64'))
    return 'DLPAR is the pseries (ppc64) hotplug interface';
  if (via === 'probe' && !(spec.id.startsWith('x86') || spec.id.startsWith('ppc64'))) {
    return `the sysfs probe interface (CONFIG_ARCH_MEMORY_PROBE) does not exist on ${spec.id}`;
  }
  return undefined;
}

export function planAdd(
  machine: Machine,
  event: EventOf<'add'>,
  startPfn: number,
  nrPages: number,
): AddPlan {
  const { era, spec, kernel } = machine;
  const via = event.via;
  const requests = cutRequests(machine, via, startPfn, nrPages);
  const ram = (why: string): AddPlan => ({
    requests,
    placement: 'ram',
    memmapPagesPerBlock: 0,
    wastePagesPerBlock: 0,
    why,
  });
  const fault = unavailable(machine, via);
  if (fault) return { ...ram(fault), fault };
  const standby = spec.caller === 'sclp' && via === 'acpi';

  if (era === 'LEGACY')
    return ram(
      'Before v5.13 the memmap of hot-added memory always comes from existing RAM, allocated before any block is onlined.',
    );
  if (era === 'RFC1') {
    if (standby) {
      const why =
        'RFC v1 writes the memmap into s390 standby memory at add time, before the hypervisor backs it: the first write faults (Heiko Carstens, 26 Jul 2017).';
      return { ...ram(why), fault: why };
    }
    return {
      requests,
      placement: 'self-per-request',
      memmapPagesPerBlock: 0,
      wastePagesPerBlock: 0,
      why: 'RFC v1 is not opt-in: __add_pages() builds one altmap over the whole add request, so the memmap of every section is packed at the start of the request.',
    };
  }
  if (era === 'RFC2') {
    if (standby)
      return ram(
        'RFC v2 lets s390 veto MHP_MEMMAP_FROM_RANGE: standby memory is not accessible before it goes online.',
      );
    return {
      requests,
      placement: 'self-per-request',
      memmapPagesPerBlock: 0,
      wastePagesPerBlock: 0,
      why: 'RFC v2: add_memory_resource() opts ordinary RAM hot-add in with MHP_MEMMAP_FROM_RANGE; the memmap is packed at the start of the request.',
    };
  }

  let mode = kernel.memmapOnMemory;
  // The reference leaves U1's reading of "force" open; a real 6.1 kernel reads the boolean
  // parameter as false, silently: the old behaviour (shared/oracle evidence).
  if (era === 'U1' && mode === 'force') mode = 'off';
  if (mode === 'off') {
    return ram(
      kernel.memmapOnMemory === 'force'
        ? 'Linux 5.13–6.5 read memmap_on_memory=force as a boolean, false, without a warning: the memmap comes from existing RAM.'
        : 'memory_hotplug.memmap_on_memory is off: the memmap comes from existing RAM at add time.',
    );
  }
  if (!spec.mmoSince || !eraAtLeast(era, spec.mmoSince)) {
    return ram(
      `${spec.label} cannot use memmap_on_memory in this era${spec.mmoSince ? ` (it arrived with ${spec.mmoSince})` : ''}: the memmap comes from RAM.`,
    );
  }
  const callers: Record<'U1' | 'U2' | 'U3', (AddVia | 'sclp')[]> = {
    U1: ['acpi'],
    U2: ['acpi', 'dlpar'],
    U3: ['acpi', 'dlpar', 'sclp', ...(event.memmapOnMemory ? (['kmem'] as const) : [])],
  };
  const caller = standby ? 'sclp' : via;
  if (!callers[era].includes(caller)) {
    return ram(
      via === 'kmem'
        ? 'dax/kmem asks for memmap_on_memory only when daxX.Y/memmap_on_memory is 1 (v6.8+): the memmap comes from RAM.'
        : `${via} does not pass MHP_MEMMAP_ON_MEMORY in this era: the memmap comes from RAM.`,
    );
  }
  const blockBytes = machine.toBytes(machine.blockPages);
  if (era !== 'U3' && requests.some((request) => request.nrPages !== machine.blockPages)) {
    return ram(
      `Before v6.8 memmap_on_memory applies only when one add request is exactly one memory block; this request is ${formatBytes(machine.toBytes(requests[0]!.nrPages))} with ${formatBytes(blockBytes)} blocks, so the kernel silently uses the old path.`,
    );
  }
  const geometry =
    era === 'U1'
      ? mmoGeometryU1(spec, blockBytes, machine.structPageSize)
      : mmoGeometry(spec, blockBytes, machine.structPageSize, mode === 'force');
  if (geometry.problem)
    return ram(
      `memmap_on_memory does not apply: ${geometry.problem}. The kernel falls back to RAM.`,
    );
  return {
    requests,
    placement: 'self-per-block',
    memmapPagesPerBlock: geometry.memmapPages,
    wastePagesPerBlock: geometry.wastePages,
    why:
      era === 'U3' && requests.some((request) => request.nrPages > machine.blockPages)
        ? `memmap_on_memory: since v6.8 the request is split into per-block altmaps; each block keeps its own ${formatBytes(machine.toBytes(geometry.memmapPages))} of memmap at its start.`
        : `memmap_on_memory: an altmap over the block puts its ${formatBytes(machine.toBytes(geometry.memmapPages))} of memmap in the block's first pages.`,
  };
}
