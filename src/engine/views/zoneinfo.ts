/**
 * /proc/zoneinfo as mm/vmstat.c zoneinfo_show_print() (v6.12) prints it: every zone type of
 * every online node in zone-index order, empty ones included, each with its free pages,
 * watermarks, spanned/present/managed counts and lowmem protection; populated zones then list
 * their counters and end with node_unreclaimable and start_pfn.
 *
 * Abbreviated where nothing is modelled: the per-node stats block, every zone counter but
 * nr_free_pages and the per-CPU pagesets are left out; the lines printed keep their layout.
 *
 * Watermarks follow __setup_per_zone_wmarks() (mm/page_alloc.c): min is the engine's (Zone.minPages,
 * see model/zone.ts updateWatermarks); the step is max(share / 4, managed * 10 / 10000), with
 * share the zone's part of min_free_kbytes (for kernel zones that is min itself), low = min +
 * step, high = low + step, promo = high + step.
 */
import { ZONE_INDEX, type ZoneName } from '../arch.ts';
import type { Machine } from '../model/machine.ts';
import { lowmemReserve, type Zone } from '../model/zone.ts';

const WATERMARK_SCALE_FACTOR = 10;

/** The zone types this arch's kernel has (MAX_NR_ZONES entries, ZONE_DEVICE configured). */
function archZones(machine: Machine): ZoneName[] {
  const zones: ZoneName[] = [];
  if (machine.spec.dmaLimit > 0) zones.push('DMA');
  if (machine.spec.dma32Limit > 0) zones.push('DMA32');
  zones.push('Normal', 'Movable', 'Device');
  return zones;
}

/** Nodes the kernel has online: those with boot RAM or any memory added since. */
function onlineNodes(machine: Machine): number[] {
  const nodes = new Set<number>();
  for (const node of machine.nodeIds) if (machine.nodeHasBootRam(node)) nodes.add(node);
  for (const run of machine.blocks.all()) nodes.add(run.attrs.node);
  for (const device of machine.devices) nodes.add(device.node);
  for (const zone of machine.zones()) if (zone.spannedPages > 0) nodes.add(zone.node);
  return [...nodes].sort((a, b) => a - b);
}

/**
 * min_free_kbytes in pages, as model/zone.ts updateWatermarks derives it (the movable zone's
 * share of it sets its low/high step although its min is clamped).
 */
function pagesMin(machine: Machine): { pagesMin: number; lowmemPages: number } {
  let lowmemPages = 0;
  for (const zone of machine.zones())
    if (zone.name !== 'Movable' && zone.name !== 'Device') lowmemPages += zone.managedPages;
  const pageKiB = machine.pageSize / 1024;
  const minFreeKiB = Math.min(
    262144,
    Math.max(128, Math.floor(Math.sqrt(lowmemPages * pageKiB * 16))),
  );
  return { pagesMin: Math.floor(minFreeKiB / pageKiB), lowmemPages };
}

interface Watermarks {
  min: number;
  low: number;
  high: number;
  promo: number;
}

function watermarks(
  name: ZoneName,
  zone: Zone | undefined,
  share: { pagesMin: number; lowmemPages: number },
): Watermarks {
  const managed = zone?.managedPages ?? 0;
  // An empty movable zone still gets the clamp's floor of SWAP_CLUSTER_MAX pages.
  const min = zone?.minPages ?? (name === 'Movable' ? 32 : 0);
  const sharePages =
    name === 'Movable' && share.lowmemPages > 0
      ? Math.floor((share.pagesMin * managed) / share.lowmemPages)
      : min;
  const step = Math.max(
    Math.floor(sharePages / 4),
    Math.floor((managed * WATERMARK_SCALE_FACTOR) / 10000),
  );
  return { min, low: min + step, high: min + 2 * step, promo: min + 3 * step };
}

/** setup_per_zone_lowmem_reserve(): nothing kept back by an empty zone or by ratio 0. */
function protection(machine: Machine, node: number, zone: Zone | undefined, zones: ZoneName[]) {
  return zones.map((upper) =>
    zone && zone.managedPages > 0
      ? lowmemReserve(zone, machine.nodeZones(node), ZONE_INDEX[upper])
      : 0,
  );
}

function zoneBlock(
  machine: Machine,
  node: number,
  name: ZoneName,
  zones: ZoneName[],
  share: { pagesMin: number; lowmemPages: number },
): string[] {
  const zone = machine.findZone(node, name);
  const free = zone?.freePages ?? 0;
  const marks = watermarks(name, zone, share);
  const lines = [
    `Node ${node}, zone ${name.padStart(8)}`,
    `  pages free     ${free}`,
    `        boost    0`,
    `        min      ${marks.min}`,
    `        low      ${marks.low}`,
    `        high     ${marks.high}`,
    `        promo    ${marks.promo}`,
    `        spanned  ${zone?.spannedPages ?? 0}`,
    `        present  ${zone?.presentPages ?? 0}`,
    `        managed  ${zone?.managedPages ?? 0}`,
    `        cma      0`,
    `        protection: (${protection(machine, node, zone, zones).join(', ')})`,
  ];
  if (!zone || zone.presentPages === 0) return lines;
  lines.push(
    `      ${'nr_free_pages'.padEnd(12)} ${free}`,
    `  node_unreclaimable:  0`,
    `  start_pfn:           ${zone.startPfn}`,
  );
  return lines;
}

export function zoneinfoText(machine: Machine): string {
  const zones = archZones(machine);
  const share = pagesMin(machine);
  const lines: string[] = [];
  for (const node of onlineNodes(machine))
    for (const name of zones) lines.push(...zoneBlock(machine, node, name, zones, share));
  return `${lines.join('\n')}\n`;
}

export const ZONEINFO_NOTES = [
  'Abbreviated: the per-node stats, the zone counters other than nr_free_pages and the per-CPU pagesets are not modelled and left out.',
  'boost, cma and node_unreclaimable are not modelled and read 0.',
];
