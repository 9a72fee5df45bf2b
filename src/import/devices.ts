/**
 * Devices in /proc/iomem: persistent memory, EFI specific-purpose memory, and dax devices given
 * to kmem. A "Persistent Memory" region whose namespace (or its dax/pfn device) is active holds
 * ZONE_DEVICE pages: a pmem event over the device's range. One handed to kmem is System RAM
 * instead, and the kmem add covers it. /proc/iomem does not show whether the memmap lives on the
 * device (--map=dev) or in RAM (--map=mem), nor the device's node; dev is assumed, and the node
 * is the one whose ZONE_DEVICE spans pages in zoneinfo (the kernel puts it on the device's
 * numa_node), else 0.
 */
import type { ScenarioInput } from '../engine/scenario/schema.ts';
import type { Evidence } from './evidence.ts';
import type { IomemResource } from './iomem.ts';
import { zoneRange } from './layout.ts';
import { type Range, addressText, mergeRanges, sizeText } from './ranges.ts';

type EventInput = NonNullable<ScenarioInput['events']>[number];

const DEVICE_NAME = /^(namespace|dax|pfn|btt)\d+\.\d+$/;

function descendants(resources: IomemResource[], index: number): IomemResource[] {
  const out: IomemResource[] = [];
  const parents = new Set([index]);
  resources.forEach((r, i) => {
    if (r.parent !== null && parents.has(r.parent)) {
      out.push(r);
      parents.add(i);
    }
  });
  return out;
}

export function pmemEvents(evidence: Evidence, notes: string[]): EventInput[] {
  const iomem = evidence.iomem;
  if (!iomem) return [];
  const events: EventInput[] = [];
  const deviceZone = evidence.zones.find((z) => z.zone === 'Device' && (z.spannedPages ?? 0) > 0);
  iomem.resources.forEach((region, index) => {
    if (region.kind !== 'pmem' && region.kind !== 'soft-reserved') return;
    const inside = descendants(iomem.resources, index);
    const where = `${region.name} at ${addressText(region.start)}–${addressText(region.end)}`;
    if (inside.some((r) => r.kind === 'kmem' || r.kind === 'driver-ram')) {
      notes.push(`${where}: handed to kmem as System RAM (the kmem add event)`);
      return;
    }
    if (region.kind === 'soft-reserved') {
      notes.push(
        `${where}: EFI specific-purpose memory left to device-dax, not RAM; not in the scenario`,
      );
      return;
    }
    const devices = mergeRanges(inside.filter((r) => DEVICE_NAME.test(r.name)));
    if (!devices.length) {
      notes.push(`${where}: no active namespace, so no ZONE_DEVICE memory`);
      return;
    }
    const node = deviceZone?.node ?? 0;
    for (const device of devices)
      events.push({
        op: 'pmem',
        start: sizeText(device.start),
        size: sizeText(device.end - device.start),
        node,
        map: 'dev',
      });
    notes.push(
      `${where}: an active namespace, so a pmem event (ZONE_DEVICE) on node ${node}${deviceZone ? ' (its ZONE_DEVICE in zoneinfo)' : ' (assumed)'}; --map=dev assumed, /proc/iomem does not show where the memmap lives`,
    );
  });
  return events;
}

/**
 * Whether a kmem add put its memmap on the added memory (the dax device's memmap_on_memory
 * switch), read from a zone that spans exactly that memory: self-hosted memmap pages count as
 * present but never as managed, 64 bytes per page.
 */
export function kmemSelfHosted(
  evidence: Evidence,
  add: Range & { node: number | null },
  pageSize: number,
  notes: string[],
): boolean | undefined {
  const blockSize = evidence.blockSize;
  const zone = evidence.zones.find((z) => {
    const range = zoneRange(z, pageSize);
    return z.node === add.node && range?.start === add.start && range.end === add.end;
  });
  const where = `the kmem memory at ${addressText(add.start)}`;
  if (!zone || !blockSize || zone.presentPages === null || zone.managedPages === null) {
    notes.push(`${where}: whether its dax device had memmap_on_memory is not shown; left unset`);
    return undefined;
  }
  const memmapPages =
    (blockSize / pageSize) * (64 / pageSize) * ((add.end - add.start) / blockSize);
  const unmanaged = zone.presentPages - zone.managedPages;
  if (unmanaged === 0 || unmanaged === memmapPages) {
    notes.push(
      `${where}: its zone has ${unmanaged} present pages that are not managed, so the dax device's memmap_on_memory was ${unmanaged ? 'on' : 'off'}`,
    );
    return unmanaged !== 0;
  }
  notes.push(
    `${where}: ${unmanaged} unmanaged pages in its zone fit neither memmap placement; memmap_on_memory left unset`,
  );
  return undefined;
}
