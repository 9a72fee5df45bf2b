/**
 * Which memory was hot-added after boot, and the events that bring a booted scenario to the
 * pasted state. Clear signs of hotplug: offline blocks, online blocks in ZONE_MOVABLE,
 * driver-managed RAM ("System RAM (kmem)", "(virtio_mem)"), one-block System RAM resources that
 * continue the previous one (pseries DLPAR adds each LMB as its own resource; boot memory is one
 * resource per firmware range), and a populated Movable zone when nothing lists blocks.
 *
 * The boot end is the lowest such sign above the kernel's low zones (DMA, DMA32), or the caller's
 * `bootEnd`; all memory at or above it is hot-added, whatever its state. An offline block below
 * it is boot RAM that was offlined later. Online ZONE_NORMAL memory with no sign is boot RAM:
 * nothing in these files tells a DIMM plugged at runtime from RAM present at boot.
 */
import type { AddVia } from '../engine/scenario/types.ts';
import { alignUp } from '../engine/units.ts';
import { type BlockSpan, zoneOf } from './blocks.ts';
import { type Range, addressText, intersectRanges, mergeRanges, subtractRanges } from './ranges.ts';

export type SpanAt = BlockSpan & Range;

export interface DriverRange extends Range {
  via: AddVia;
  name: string;
}

export interface HotplugInput {
  spans: SpanAt[];
  drivers: DriverRange[];
  /** One-block RAM resources continuing the previous one (DLPAR LMBs). */
  adjacent: Range[];
  /** Top-level System RAM of /proc/iomem. */
  ram: Range[];
  /** Populated Movable zones, used only when no block listing came. */
  movableZones: (Range & { node: number })[];
  /** End of memory in the kernel's low zones: hotplug signs below it are not trusted. */
  lowZonesEnd: number;
  blockSize: number;
  defaultVia: AddVia | null;
  bootEnd?: number;
}

export interface AddPlan extends Range {
  node: number | null;
  via: AddVia | null;
}

export interface OnlinePlan extends Range {
  as: 'online_kernel' | 'online_movable';
}

export interface HotplugPlan {
  bootEnd: number | null;
  adds: AddPlan[];
  onlines: OnlinePlan[];
  /** Boot RAM found offline: offline events. */
  offlined: Range[];
  notes: string[];
}

const span = (range: Range) => `${addressText(range.start)}–${addressText(range.end)}`;

function findBootEnd(input: HotplugInput, notes: string[]): number | null {
  if (input.bootEnd !== undefined) {
    const aligned = alignUp(input.bootEnd, input.blockSize);
    notes.push(
      `boot RAM ends at ${addressText(aligned)} as asked; everything above it is hot-added`,
    );
    return aligned;
  }
  const signs: { start: number; why: string }[] = [
    ...input.spans
      .filter((s) => s.state === 'offline' || s.state === 'going-offline')
      .map((s) => ({ start: s.start, why: `offline blocks at ${span(s)}` })),
    ...input.spans
      .filter((s) => zoneOf(s) === 'Movable')
      .map((s) => ({ start: s.start, why: `ZONE_MOVABLE blocks at ${span(s)}` })),
    ...input.drivers.map((d) => ({ start: d.start, why: `"${d.name}" at ${span(d)}` })),
    ...input.adjacent.map((r) => ({
      start: r.start,
      why: `one-block System RAM resources continuing the boot RAM from ${addressText(r.start)}`,
    })),
    ...(input.spans.length ? [] : input.movableZones).map((z) => ({
      start: z.start,
      why: `a populated Movable zone on node ${z.node}`,
    })),
  ].filter((sign) => sign.start >= input.lowZonesEnd);
  if (!signs.length) return null;
  const first = signs.reduce((low, sign) => (sign.start < low.start ? sign : low));
  notes.push(
    `hot-added after boot: everything from ${addressText(first.start)} (the first sign: ${first.why}); memory below it is boot RAM`,
  );
  return first.start;
}

/** Hot memory as pieces with a node and a caller, cut where a driver resource begins or ends. */
function hotPieces(input: HotplugInput, bootEnd: number): AddPlan[] {
  const viaAt = (start: number) => input.drivers.find((d) => d.start <= start && start < d.end);
  const cuts = input.drivers.flatMap((d) => [d.start, d.end]);
  const pieces: AddPlan[] = [];
  // Driver and DLPAR ranges no block listing covers still count (a listing from another moment).
  // Without a block listing, System RAM above the boot end counts too (a boot end given by the
  // caller); populated Movable zones bring their own node.
  const ramAbove = input.spans.length
    ? []
    : intersectRanges(input.ram, { start: bootEnd, end: Number.MAX_SAFE_INTEGER });
  const unlisted = subtractRanges(mergeRanges([...input.drivers, ...input.adjacent, ...ramAbove]), [
    ...input.spans,
    ...input.movableZones,
  ]).map((r) => ({ ...r, node: null }));
  const sources: (Range & { node: number | null })[] = (
    input.spans.length ? [...input.spans, ...unlisted] : [...unlisted, ...input.movableZones]
  ).filter((source) => source.end > bootEnd);
  for (const source of sources) {
    const points = [
      Math.max(source.start, bootEnd),
      ...cuts.filter((c) => c > source.start && c < source.end),
      source.end,
    ]
      .sort((a, b) => a - b)
      .filter((p, i, all) => i === 0 || p !== all[i - 1]);
    for (let i = 0; i + 1 < points.length; i++) {
      const driver = viaAt(points[i]!);
      pieces.push({
        start: points[i]!,
        end: points[i + 1]!,
        node: source.node,
        via: driver?.via ?? input.defaultVia,
      });
    }
  }
  pieces.sort((a, b) => a.start - b.start);
  // One add per contiguous stretch of one node and caller, and one per driver resource.
  const adds: AddPlan[] = [];
  for (const piece of pieces) {
    const last = adds[adds.length - 1];
    const sameDevice = viaAt(piece.start) === (last ? viaAt(last.start) : undefined);
    if (
      last &&
      last.end === piece.start &&
      last.node === piece.node &&
      last.via === piece.via &&
      sameDevice
    )
      last.end = piece.end;
    else adds.push({ ...piece });
  }
  return adds;
}

export function planHotplug(input: HotplugInput): HotplugPlan {
  const notes: string[] = [];
  const bootEnd = findBootEnd(input, notes);
  const limit = bootEnd ?? Number.POSITIVE_INFINITY;
  const offlined = mergeRanges(
    input.spans.filter(
      (s) => s.end <= limit && (s.state === 'offline' || s.state === 'going-offline'),
    ),
  );
  for (const range of offlined)
    notes.push(`offline boot RAM at ${span(range)}: offlined after boot (an offline event)`);
  const movableBelow = input.spans.filter((s) => s.end <= limit && zoneOf(s) === 'Movable');
  if (movableBelow.length)
    notes.push(
      `ZONE_MOVABLE at ${span(movableBelow[0]!)} lies among the boot RAM (kernelcore= or movablecore=?): the scenario format cannot say that, so it boots in the kernel's usual zones`,
    );
  if (bootEnd === null) return { bootEnd, adds: [], onlines: [], offlined, notes };

  const adds = hotPieces(input, bootEnd);
  const onlines: OnlinePlan[] = [];
  for (const s of input.spans.filter((s) => s.end > bootEnd && s.state === 'online')) {
    const as = zoneOf(s) === 'Movable' ? 'online_movable' : 'online_kernel';
    const start = Math.max(s.start, bootEnd);
    const last = onlines[onlines.length - 1];
    if (last && last.end === start && last.as === as) last.end = s.end;
    else onlines.push({ start, end: s.end, as });
  }
  if (!input.spans.length)
    for (const zone of input.movableZones)
      if (zone.start >= bootEnd)
        onlines.push({ start: zone.start, end: zone.end, as: 'online_movable' });
  if (
    !input.spans.length &&
    adds.some((add) => !input.movableZones.some((z) => z.start === add.start))
  )
    notes.push(
      'no block listing came with the hot-added memory, so its blocks are added but not onlined (paste lsmem -a -o RANGE,SIZE,STATE,REMOVABLE,BLOCK,NODE,ZONES to say which are online)',
    );
  return { bootEnd, adds, onlines, offlined, notes };
}
