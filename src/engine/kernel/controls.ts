/**
 * Whether each kernel knob can change anything for this kernel, arch and machine, and if not,
 * why: the UI disables a control with this reason beside it instead of knowing the rules.
 */
import { mmoBuilt, mmoGeometry, mmoGeometryU1 } from '../arch.ts';
import type { Machine } from '../model/machine.ts';
import { has, RULES, versionText } from './versions.ts';

export interface ControlHints {
  /** null: the knob matters; else the reason it does not. */
  memmapOnMemory: string | null;
  force: string | null;
  onlinePolicy: string | null;
  hvo: string | null;
}

export function controlHints(machine: Machine): ControlHints {
  const { version, spec, era } = machine;
  const v = `Linux ${versionText(version)}`;
  const rfc = era === 'RFC1' || era === 'RFC2';
  const blockBytes = machine.toBytes(machine.blockPages);
  let memmapOnMemory: string | null = null;
  if (rfc)
    memmapOnMemory =
      'the 2017 RFC always puts the memmap in the added range (v2: for ordinary RAM); the parameter did not exist';
  else if (!has(version, 'memmapOnMemory'))
    memmapOnMemory = `memory_hotplug.memmap_on_memory arrived in v${RULES.memmapOnMemory.since}`;
  else if (!mmoBuilt(spec, version))
    memmapOnMemory = spec.mmoRule
      ? `${spec.label} gained memmap_on_memory in v${RULES[spec.mmoRule].since}`
      : `${spec.label} cannot use memmap_on_memory`;
  else {
    const plain = has(version, 'memmapOnMemoryForce')
      ? mmoGeometry(spec, blockBytes, machine.structPageSize, false)
      : mmoGeometryU1(spec, blockBytes, machine.structPageSize);
    const forced = mmoGeometry(spec, blockBytes, machine.structPageSize, true);
    const forceHelps = has(version, 'memmapOnMemoryForce') && forced.problem === null;
    if (plain.problem && !forceHelps)
      memmapOnMemory = `with ${spec.label}: ${forced.problem ?? plain.problem}`;
    if (
      !memmapOnMemory &&
      machine.kernel.hvo &&
      has(version, 'hvo') &&
      !has(version, 'hvoWithMemmapOnMemory')
    )
      memmapOnMemory = `${v} switches memmap_on_memory off while hugetlb_free_vmemmap is on (until 6.0)`;
  }
  let force: string | null = null;
  if (memmapOnMemory) force = memmapOnMemory;
  else if (!has(version, 'memmapOnMemoryForce'))
    force = `${v} reads memmap_on_memory=force as a boolean, false (force arrived in v${RULES.memmapOnMemoryForce.since})`;
  else {
    const forced = mmoGeometry(spec, blockBytes, machine.structPageSize, true);
    if (forced.problem === null && forced.wastePages === 0)
      force = `the memmap of a block is already whole pageblocks here: force equals on (it only adds the boot line "waste 0 pages")`;
  }
  return {
    memmapOnMemory,
    force,
    onlinePolicy: has(version, 'autoMovable')
      ? null
      : `memory_hotplug.online_policy arrived in v${RULES.autoMovable.since}: ${v} onlines as contig-zones does`,
    hvo: has(version, 'hvo') ? null : `hugetlb_free_vmemmap arrived in v${RULES.hvo.since}`,
  };
}
