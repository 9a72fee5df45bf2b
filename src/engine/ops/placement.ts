/**
 * Where the memmap of one add event goes, era by era (reference §12.2), and how the event is cut
 * into add_memory() requests by its caller.
 */
import { hotplugBuilt, mmoBuilt, mmoGeometry, mmoGeometryU1, type Era } from '../arch.ts';
import { has, RULES, versionText } from '../kernel/versions.ts';
import type { Machine } from '../model/machine.ts';
import type { Placement } from '../result.ts';
import type { AddVia, EventOf } from '../scenario/types.ts';
import { formatBytes } from '../units.ts';
import { applyStrategy } from '../strategy/plan.ts';

export interface AddRequest {
  startPfn: number;
  nrPages: number;
}

export interface AddPlan {
  requests: AddRequest[];
  placement: Exclude<Placement, 'device-altmap'>;
  memmapPagesPerBlock: number;
  wastePagesPerBlock: number;
  /** self-per-group: blocks per altmap (memmapPagesPerBlock is then per group). */
  groupBlocks?: number;
  /** Why this placement, in a kernel developer's words. */
  why: string;
  /** Set when the kernel of this era cannot do the add at all. */
  fault?: string;
}

const RFC = (era: Era) => era === 'RFC1' || era === 'RFC2';

/** How each caller cuts an add into add_memory() requests. */
/** virtio-mem: the device block size (QEMU's default: 2 MiB or a pageblock, the larger). */
export function virtioDeviceBlockPages(machine: Machine, event: EventOf<'add'>): number {
  return machine.toPfn(
    event.deviceBlockSize ?? Math.max(2 * 1024 ** 2, machine.spec.pageblockSize),
  );
}

function cutRequests(
  machine: Machine,
  event: EventOf<'add'>,
  startPfn: number,
  nrPages: number,
): AddRequest[] {
  const via = event.via;
  const blockPages = machine.blockPages;
  let unit = nrPages;
  if (via === 'dlpar') unit = blockPages;
  // virtio-mem adds one memory block at a time (Sub Block Mode), or one big block when its
  // subblocks (a device block, at least a pageblock) are a memory block or more (Big Block Mode).
  if (via === 'virtio-mem') {
    const subblock = Math.max(virtioDeviceBlockPages(machine, event), machine.pageblockPages);
    unit = Math.max(blockPages, subblock);
  }
  if (via === 'hv-balloon') unit = Math.max(blockPages, machine.toPfn(128 * 1024 ** 2));
  if (via === 'probe') unit = RFC(machine.era) ? machine.pagesPerSection : blockPages;
  const requests: AddRequest[] = [];
  for (let offset = 0; offset < nrPages; offset += unit) {
    requests.push({ startPfn: startPfn + offset, nrPages: Math.min(unit, nrPages - offset) });
  }
  return requests;
}

function unavailable(machine: Machine, via: AddVia): string | undefined {
  const { era, spec, version } = machine;
  const v = versionText(version);
  if (!hotplugBuilt(spec, version))
    return `memory hotplug on ${spec.id} arrived in v${RULES[spec.hotplugRule!].since}; Linux ${v} has none`;
  if (via === 'kmem' && !has(version, 'kmem'))
    return `dax/kmem arrived in v${RULES.kmem.since}; ${RFC(era) ? 'the 2017 kernels have' : `Linux ${v} has`} no such driver`;
  if (via === 'virtio-mem' && !has(version, 'virtioMem'))
    return `virtio-mem arrived in v${RULES.virtioMem.since}; ${RFC(era) ? 'the 2017 kernels have' : `Linux ${v} has`} no such driver`;
  if (via === 'dlpar' && !spec.id.startsWith('ppc64'))
    return 'DLPAR is the pseries (ppc64) hotplug interface';
  if (via === 'probe' && !(spec.id.startsWith('x86') || spec.id.startsWith('ppc64'))) {
    return `the sysfs probe interface (CONFIG_ARCH_MEMORY_PROBE) does not exist on ${spec.id}`;
  }
  return undefined;
}

/** Does this caller pass MHP_MEMMAP_ON_MEMORY in this kernel? */
function callerAsks(machine: Machine, caller: AddVia | 'sclp', event: EventOf<'add'>): boolean {
  const { version } = machine;
  switch (caller) {
    case 'acpi':
      return has(version, 'memmapOnMemory');
    case 'dlpar':
      return has(version, 'ppc64MemmapOnMemory');
    case 'sclp':
      return has(version, 's390MemmapOnMemory');
    case 'kmem':
      return has(version, 'kmemMemmapOnMemory') && event.memmapOnMemory === true;
    default:
      return false;
  }
}

/** The kernel's plan, then kernel.strategy's (strategy/plan.ts; "kernel" keeps the kernel's). */
export function planAdd(
  machine: Machine,
  event: EventOf<'add'>,
  startPfn: number,
  nrPages: number,
): AddPlan {
  const plan = kernelPlan(machine, event, startPfn, nrPages);
  return applyStrategy(machine, event, plan, unavailable(machine, event.via) !== undefined);
}

function kernelPlan(
  machine: Machine,
  event: EventOf<'add'>,
  startPfn: number,
  nrPages: number,
): AddPlan {
  const { era, spec, kernel } = machine;
  const via = event.via;
  const requests = cutRequests(machine, event, startPfn, nrPages);
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

  const v = versionText(machine.version);
  let mode = kernel.memmapOnMemory;
  // Before 6.6 the parameter is a boolean: "force" starts with 'f' and reads as false, silently
  // (a real 6.1 kernel did exactly that; shared/oracle evidence).
  if (mode === 'force' && !has(machine.version, 'memmapOnMemoryForce')) mode = 'off';
  if (mode === 'off') {
    return ram(
      kernel.memmapOnMemory === 'force'
        ? `Linux ${v} reads memmap_on_memory=force as a boolean, false, without a warning: the memmap comes from existing RAM.`
        : 'memory_hotplug.memmap_on_memory is off: the memmap comes from existing RAM at add time.',
    );
  }
  if (!mmoBuilt(spec, machine.version)) {
    return ram(
      `${spec.label} cannot use memmap_on_memory in Linux ${v}${spec.mmoRule ? ` (it arrived with v${RULES[spec.mmoRule].since})` : ''}: the memmap comes from RAM.`,
    );
  }
  // 5.14-5.19: hugetlb_free_vmemmap=on switches memmap_on_memory off (6e02c46b4d97; from 5.19
  // in the parameter's setter); 6.0 made them compatible.
  if (kernel.hvo && has(machine.version, 'hvo') && !has(machine.version, 'hvoWithMemmapOnMemory'))
    return ram(
      `Linux ${v} refuses memmap_on_memory while hugetlb_free_vmemmap is on (until 6.0): the memmap comes from RAM.`,
    );
  const caller = standby ? 'sclp' : via;
  if (!callerAsks(machine, caller, event)) {
    return ram(
      via === 'kmem'
        ? has(machine.version, 'kmemMemmapOnMemory')
          ? `dax/kmem asks for memmap_on_memory only when the device does (${has(machine.version, 'daxMemmapKnob') ? 'daxX.Y/memmap_on_memory = 1' : 'in 6.8 fixed by the driver: on for CXL, off for pmem'}): the memmap comes from RAM.`
          : `dax/kmem passes MHP_MEMMAP_ON_MEMORY from v${RULES.kmemMemmapOnMemory.since}: the memmap comes from RAM.`
        : `${via} does not pass MHP_MEMMAP_ON_MEMORY in Linux ${v}: the memmap comes from RAM.`,
    );
  }
  const blockBytes = machine.toBytes(machine.blockPages);
  const split = has(machine.version, 'memmapOnMemorySplit');
  if (!split && requests.some((request) => request.nrPages !== machine.blockPages)) {
    return ram(
      `Before v6.8 memmap_on_memory applies only when one add request is exactly one memory block; this request is ${formatBytes(machine.toBytes(requests[0]!.nrPages))} with ${formatBytes(blockBytes)} blocks, so the kernel silently uses the old path.`,
    );
  }
  const geometry = has(machine.version, 'memmapOnMemoryForce')
    ? mmoGeometry(spec, blockBytes, machine.structPageSize, mode === 'force')
    : mmoGeometryU1(spec, blockBytes, machine.structPageSize);
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
      split && requests.some((request) => request.nrPages > machine.blockPages)
        ? `memmap_on_memory: since v6.8 the request is split into per-block altmaps; each block keeps its own ${formatBytes(machine.toBytes(geometry.memmapPages))} of memmap at its start.`
        : `memmap_on_memory: an altmap over the block puts its ${formatBytes(machine.toBytes(geometry.memmapPages))} of memmap in the block's first pages.`,
  };
}
