/**
 * kernel.strategy over the kernel's own plan for one add event (docs/strategies.md, "Which adds a
 * strategy places"):
 *
 * - kernel: the kernel's plan, untouched.
 * - ram (option c): every add the driver can make takes its memmap from RAM, as before
 *   memmap_on_memory: the kernel's plan with memmap_on_memory off.
 * - bigger-blocks, node-hosts, group: they place the memmap of every add whose memmap the
 *   kernel would self-host, and of every add when memmap_on_memory is on or force, whichever
 *   caller asked: they stand for a kernel that implemented the option behind that switch. Not
 *   where nothing can be written into the new memory at add time (s390 standby memory) and not
 *   for virtio-mem, which plugs its memory piecewise; there the kernel's plan stands.
 *
 * Each strategy's reserved area is padded to whole pageblocks (the buddy allocator's first pfn
 * must be pageblock aligned); an area that would fill its host leaves the add to RAM.
 */
import { mmoGeometry, mmoGeometryU1 } from '../arch.ts';
import { has } from '../kernel/versions.ts';
import type { Machine } from '../model/machine.ts';
import type { AddPlan } from '../ops/placement.ts';
import type { EventOf } from '../scenario/types.ts';
import { alignUp, formatBytes } from '../units.ts';
import { STRATEGY_INFO, strategyOf, type Strategy } from './kinds.ts';

/** Why a hypothetical strategy cannot place this add (the kernel's plan stands), or null. */
function notPlaced(machine: Machine, event: EventOf<'add'>, plan: AddPlan): string | null {
  if (machine.spec.caller === 'sclp' && event.via === 'acpi')
    return 's390 standby memory is not accessible before it goes online, so no memmap can be written into it at add time';
  if (event.via === 'virtio-mem')
    return 'virtio-mem plugs its memory piecewise and never passes an altmap';
  if (plan.placement === 'ram' && machine.kernel.memmapOnMemory === 'off')
    return 'memmap_on_memory is off and the kernel would not self-host this memmap';
  return null;
}

const proposer = (strategy: Strategy) =>
  `kernel.strategy ${strategy.kind} (${STRATEGY_INFO[strategy.kind].proposedBy})`;

function biggerBlocksPlan(machine: Machine, plan: AddPlan, by: string, ram: RamPlan): AddPlan {
  const blockBytes = machine.toBytes(machine.blockPages);
  const force = machine.kernel.memmapOnMemory === 'force';
  // The kernel's own per-block rule at the larger size: the 5.13-6.5 test where the version has
  // nothing newer, else the 6.6+ one (force pads to pageblocks).
  const geometry =
    has(machine.version, 'memmapOnMemory') && !has(machine.version, 'memmapOnMemoryForce')
      ? mmoGeometryU1(machine.spec, blockBytes, machine.structPageSize)
      : mmoGeometry(machine.spec, blockBytes, machine.structPageSize, force);
  if (geometry.problem)
    return ram(`${by}: ${geometry.problem} with ${formatBytes(blockBytes)} blocks`);
  const same = plan.placement === 'self-per-block';
  return {
    requests: plan.requests,
    placement: 'self-per-block',
    memmapPagesPerBlock: same ? plan.memmapPagesPerBlock : geometry.memmapPages,
    wastePagesPerBlock: same ? plan.wastePagesPerBlock : geometry.wastePages,
    why: `${by}: memory blocks of ${formatBytes(blockBytes)}, each keeping its ${formatBytes(machine.toBytes(geometry.memmapPages))} of memmap at its start.`,
  };
}

function groupPlan(machine: Machine, plan: AddPlan, by: string, ram: RamPlan, n: number): AddPlan {
  const usedPages = machine.memmapPagesFor(n * machine.blockPages);
  const hostPages = alignUp(usedPages, machine.pageblockPages);
  if (hostPages >= machine.blockPages)
    return ram(
      `${by}: the memmap of ${n} blocks, padded to whole pageblocks (${formatBytes(machine.toBytes(hostPages))}), would fill the group's first block`,
    );
  return {
    requests: plan.requests,
    placement: 'self-per-group',
    groupBlocks: n,
    memmapPagesPerBlock: hostPages,
    wastePagesPerBlock: hostPages - usedPages,
    why: `${by}: blocks in groups of ${n} share one altmap on the group's first block, ${formatBytes(machine.toBytes(hostPages))} of memmap there; the other ${n - 1} blocks of each group stay clean.`,
  };
}

function nodeHostsPlan(machine: Machine, plan: AddPlan, by: string, ram: RamPlan): AddPlan {
  // A node's first hot-add hosts its own memmap: it must leave the request some pages.
  const tooSmall = plan.requests.find(
    (request) =>
      alignUp(machine.memmapPagesFor(request.nrPages), machine.pageblockPages) >= request.nrPages,
  );
  if (tooSmall)
    return ram(
      `${by}: a request of ${formatBytes(machine.toBytes(tooSmall.nrPages))} cannot host its own memmap padded to whole pageblocks`,
    );
  return {
    requests: plan.requests,
    placement: 'node-host',
    memmapPagesPerBlock: 0,
    wastePagesPerBlock: 0,
    why: `${by}: the memmap is packed into the host blocks of its node, the lowest hot-added memory there; the new blocks stay clean unless they become the node's first host.`,
  };
}

type RamPlan = (why: string) => AddPlan;

export function applyStrategy(
  machine: Machine,
  event: EventOf<'add'>,
  plan: AddPlan,
  driverMissing: boolean,
): AddPlan {
  const strategy = strategyOf(machine.scenario);
  if (strategy.kind === 'kernel' || driverMissing) return plan;
  const by = proposer(strategy);
  const ram: RamPlan = (why) => ({
    requests: plan.requests,
    placement: 'ram',
    memmapPagesPerBlock: 0,
    wastePagesPerBlock: 0,
    why: `${why}. The memmap comes from existing RAM. (The kernel itself: ${plan.why})`,
  });
  if (strategy.kind === 'ram')
    return {
      ...ram(''),
      why: `${by}: the memmap always comes from existing RAM, allocated before any block is onlined. (The kernel itself: ${plan.why})`,
    };
  const reason = notPlaced(machine, event, plan);
  if (reason) return { ...plan, why: `${plan.why} (${by} does not apply: ${reason}.)` };
  const placed =
    strategy.kind === 'bigger-blocks'
      ? biggerBlocksPlan(machine, plan, by, ram)
      : strategy.kind === 'group'
        ? groupPlan(machine, plan, by, ram, strategy.groupBlocks ?? 2)
        : nodeHostsPlan(machine, plan, by, ram);
  if (placed.placement === 'ram') return placed;
  return { ...placed, why: `${placed.why} (The kernel itself: ${plan.why})` };
}
