/**
 * `daxctl reconfigure-device --mode=system-ram`: a devdax namespace becomes System RAM.
 *
 * The device is unbound from device_dax (devm_memunmap_pages(): its ZONE_DEVICE memmap goes,
 * on the device or back to RAM; the ZONE_DEVICE span stays, the kernel never shrinks it since
 * 5.5), then bound to kmem, whose dev_dax_kmem_probe() adds the whole memory blocks inside the
 * dax range (which starts at the namespace's data offset) on the device's target node, as one
 * static memory group, "System RAM (kmem)" (drivers/dax/kmem.c). daxX.Y/memmap_on_memory,
 * written before, asks for memmap_on_memory (v6.9 knob; writing 1 with the global switch off
 * fails with EOPNOTSUPP and the memmap comes from RAM).
 */
import { has, RULES } from '../kernel/versions.ts';
import type { Machine } from '../model/machine.ts';
import { cutRecords } from '../model/memmap-records.ts';
import { recordHostPages } from '../model/memmap-records.ts';
import type { EventOf } from '../scenario/types.ts';
import { alignDown, alignUp, formatBytes } from '../units.ts';
import { addEvent } from './add.ts';
import { fail, newDraft, type StepDraft } from './step.ts';

export function daxKmemEvent(
  machine: Machine,
  event: EventOf<'dax-kmem'>,
  index: number,
): StepDraft {
  const draft = newDraft();
  if (!has(machine.version, 'kmem'))
    return fail(draft, `dax/kmem arrived in v${RULES.kmem.since}: this kernel has no such driver`);
  const devices = machine.devices.filter((d) => d.kind === 'pmem');
  const device =
    event.device === undefined
      ? devices[devices.length - 1]
      : devices.find((d) => d.event === event.device);
  if (!device)
    return fail(
      draft,
      event.device === undefined
        ? 'no pmem namespace to reconfigure'
        : `event ${event.device} made no pmem namespace`,
    );
  if (device.mode !== 'devdax')
    return fail(
      draft,
      `an ${device.mode} namespace has no dax device: kmem needs a devdax namespace (ndctl create-namespace -m devdax)`,
    );
  // The dax range: from the data offset to the end of the mapped range (the alignment's cut at
  // the end is not part of the device).
  const dataStart = device.startPfn + (device.dataOffsetPages ?? 0);
  const dataEnd = device.startPfn + device.nrPages;
  const startPfn = alignUp(dataStart, machine.blockPages);
  const endPfn = alignDown(dataEnd, machine.blockPages);
  if (endPfn <= startPfn)
    return fail(
      draft,
      `the dax range ${formatBytes(machine.toBytes(dataEnd - dataStart))} holds no whole memory block of ${formatBytes(machine.toBytes(machine.blockPages))}: kmem adds nothing (-EINVAL)`,
    );
  let wantsMmo = event.memmapOnMemory === true;
  const knobNote: string[] = [];
  if (wantsMmo && !has(machine.version, 'daxMemmapKnob')) {
    knobNote.push(
      has(machine.version, 'kmemMemmapOnMemory')
        ? 'Linux 6.8 has no daxX.Y/memmap_on_memory knob: a pmem device keeps the driver default, off.'
        : `dax/kmem uses memmap_on_memory from v${RULES.kmemMemmapOnMemory.since}.`,
    );
    wantsMmo = false;
  } else if (wantsMmo && machine.kernel.memmapOnMemory === 'off') {
    knobNote.push(
      'echo 1 > daxX.Y/memmap_on_memory fails with EOPNOTSUPP: memory_hotplug.memmap_on_memory is off.',
    );
    draft.log.push('dax: memmap_on_memory is not available');
    wantsMmo = false;
  }
  // Unbind device_dax: the device memmap goes; RAM that held it returns to its zone.
  let returned = 0;
  for (const record of cutRecords(machine, device.startPfn, device.startPfn + device.nrPages)) {
    if (record.host !== 'ram' || !record.hostZone) continue;
    const zone = machine.findZone(record.hostNode, record.hostZone);
    zone?.free.addRun({
      start: record.hostStartPfn,
      len: record.hostPages,
      stride: record.hostStridePfn,
      reps: record.reps,
    });
    returned += recordHostPages(record);
  }
  machine.devices.splice(machine.devices.indexOf(device), 1);
  if (!has(machine.version, 'zoneDeviceSpanKept'))
    machine
      .findZone(device.node, 'Device')
      ?.span.remove(device.startPfn, device.startPfn + device.nrPages);
  const added = addEvent(
    machine,
    {
      op: 'add',
      start: machine.toBytes(startPfn),
      size: machine.toBytes(endPfn - startPfn),
      node: device.targetNode ?? device.node,
      via: 'kmem',
      ...(wantsMmo ? { memmapOnMemory: true } : {}),
    },
    index,
  );
  added.narrative.unshift(
    `daxctl reconfigure-device --mode=system-ram: device_dax lets go of the namespace${returned ? ` (its memmap, ${formatBytes(machine.toBytes(returned))} of RAM, is freed)` : ' (its memmap on the device goes with it)'}; kmem adds ${formatBytes(machine.toBytes(endPfn - startPfn))} on target node ${device.targetNode ?? device.node}, the whole blocks of the dax range.`,
    ...knobNote,
  );
  added.log.unshift(...draft.log);
  return added;
}
