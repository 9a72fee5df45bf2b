/**
 * What /sys/devices/system/memory says about each memory block, as runs of neighbours that
 * read the same (state, node, valid_zones), for the sysfs and lsmem views.
 *
 * valid_zones follows drivers/base/memory.c valid_zones_show() (v6.12): an online block shows
 * its zone, or "none" when a boot block spans several populated zones (its mem->zone is NULL);
 * an offline block shows zone_for_pfn_range() for MMOP_ONLINE, then the kernel and the movable
 * choice when they differ from it. The zone choice is the engine's own (ops/zone-choice.ts).
 *
 * The answer can only change where a block starts or stops overlapping a zone span, so each
 * engine block run is cut at the block ids of its node's zone span edges and evaluated once per
 * piece: cost follows runs and zones, never the number of blocks.
 */
import type { ZoneName } from '../arch.ts';
import type { Machine, Resource } from '../model/machine.ts';
import type { Zone } from '../model/zone.ts';
import { zoneForRange } from '../ops/zone-choice.ts';

export interface SysBlockRun {
  firstBlock: number;
  count: number;
  node: number;
  state: 'online' | 'offline';
  /** The valid_zones line without its newline, space-separated as the kernel prints it. */
  validZones: string;
  /** memoryN/removable: a legacy file that 6.12 fills with 1 whenever CONFIG_MEMORY_HOTREMOVE is set. */
  removable: 1;
}

const SPAN_ZONES: readonly ZoneName[] = ['DMA', 'DMA32', 'Normal', 'Movable'];

/** [firstBlock, endBlock) of the blocks whose pfn range overlaps the zone span. */
function overlapBlocks(zone: Zone, blockPages: number): [number, number] | null {
  const first = zone.span.first();
  const last = zone.span.last();
  if (first === undefined || last === undefined || last <= first) return null;
  return [Math.floor(first / blockPages), Math.ceil(last / blockPages)];
}

function overlaps(zone: Zone, block: number, blockPages: number): boolean {
  const range = overlapBlocks(zone, blockPages);
  return range !== null && block >= range[0] && block < range[1];
}

/** Block ids, per node, where some zone span starts or stops overlapping blocks. */
function cutsByNode(machine: Machine): Map<number, number[]> {
  const cuts = new Map<number, number[]>();
  for (const zone of machine.zones()) {
    if (!SPAN_ZONES.includes(zone.name)) continue;
    const range = overlapBlocks(zone, machine.blockPages);
    if (!range) continue;
    const list = cuts.get(zone.node) ?? [];
    list.push(range[0], range[1]);
    cuts.set(zone.node, list);
  }
  for (const list of cuts.values()) list.sort((a, b) => a - b);
  return cuts;
}

/** mem->zone of an online boot block: the one populated zone it overlaps, else none. */
function bootBlockZone(
  machine: Machine,
  node: number,
  block: number,
  own: ZoneName | null,
): string {
  let found: ZoneName | null = null;
  for (const zone of machine.nodeZones(node)) {
    if (zone.name === 'Device' || zone.presentPages === 0) continue;
    if (!overlaps(zone, block, machine.blockPages)) continue;
    if (found) return 'none';
    found = zone.name;
  }
  return found ?? own ?? 'none';
}

function offlineValidZones(
  machine: Machine,
  node: number,
  resource: Resource | undefined,
  block: number,
): string {
  const startPfn = block * machine.blockPages;
  const endPfn = startPfn + machine.blockPages;
  const zoneFor = (type: 'online' | 'online_kernel' | 'online_movable') =>
    zoneForRange(machine, type, node, resource, startPfn, endPfn);
  const defaultZone = zoneFor('online');
  const names = [defaultZone];
  for (const other of [zoneFor('online_kernel'), zoneFor('online_movable')])
    if (other !== defaultZone) names.push(other);
  return names.join(' ');
}

export function sysBlockRuns(machine: Machine): SysBlockRun[] {
  const resources = new Map(machine.resources.map((resource) => [resource.id, resource]));
  const cuts = cutsByNode(machine);
  const runs: SysBlockRun[] = [];
  const push = (run: SysBlockRun) => {
    const last = runs[runs.length - 1];
    if (
      last &&
      last.firstBlock + last.count === run.firstBlock &&
      last.node === run.node &&
      last.state === run.state &&
      last.validZones === run.validZones
    )
      last.count += run.count;
    else runs.push(run);
  };
  for (const { first, count, attrs } of machine.blocks.all()) {
    const end = first + count;
    const edges = [first, ...(cuts.get(attrs.node) ?? []).filter((b) => b > first && b < end), end];
    for (let i = 0; i + 1 < edges.length; i++) {
      const start = edges[i]!;
      if (edges[i + 1]! <= start) continue;
      const validZones =
        attrs.state === 'online'
          ? attrs.resource < 0
            ? bootBlockZone(machine, attrs.node, start, attrs.zone)
            : (attrs.zone ?? 'none')
          : offlineValidZones(machine, attrs.node, resources.get(attrs.resource), start);
      push({
        firstBlock: start,
        count: edges[i + 1]! - start,
        node: attrs.node,
        state: attrs.state,
        validZones,
        removable: 1,
      });
    }
  }
  return runs;
}
