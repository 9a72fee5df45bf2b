/**
 * Boot RAM and its nodes when the better sources are missing. /proc/iomem gives exact RAM and
 * block listings give nodes; without them, zoneinfo gives each zone's span and how many pages of
 * it are holes (not where), and numactl gives only how much memory each node manages. Each
 * fallback says in a note what it had to assume.
 */
import { MiB, alignUp, formatBytes } from '../engine/units.ts';
import type { NumaNode } from './numactl.ts';
import { type Owned, type Range, addressText, sizeOf, sizeText, subtractRanges } from './ranges.ts';
import type { Evidence } from './evidence.ts';
import type { ZoneRecord } from './zoneinfo.ts';

export const zoneRange = (zone: ZoneRecord, pageSize: number): Range | null =>
  zone.startPfn === null || zone.spannedPages === null || zone.spannedPages === 0
    ? null
    : { start: zone.startPfn * pageSize, end: (zone.startPfn + zone.spannedPages) * pageSize };

/**
 * RAM from zone spans. A zone's holes (spanned - present) are put where x86 has them in ZONE_DMA
 * (below 1 MiB, the legacy VGA/BIOS area) and elsewhere just below the zone's last 2 MiB, so the
 * zone keeps both its span and its present pages.
 */
export function ramFromZones(
  zones: ZoneRecord[],
  pageSize: number,
  exclude: Range[],
  x86: boolean,
  notes: string[],
): Owned<number>[] {
  const out: Owned<number>[] = [];
  for (const zone of zones) {
    const range = zoneRange(zone, pageSize);
    if (!range || zone.zone === 'Device' || !zone.presentPages) continue;
    const holePages = zone.spannedPages! - zone.presentPages;
    let pieces: Range[] = [range];
    if (holePages > 0) {
      const endPfn = range.end / pageSize;
      const legacy =
        x86 && zone.zone === 'DMA' && endPfn > 256 && zone.startPfn! + holePages <= 256;
      const tailPages = Math.max(
        1,
        Math.min((2 * MiB) / pageSize, Math.floor(zone.presentPages / 2)),
      );
      const hole = legacy
        ? { start: (256 - holePages) * pageSize, end: 256 * pageSize }
        : {
            start: range.end - (holePages + tailPages) * pageSize,
            end: range.end - tailPages * pageSize,
          };
      pieces = subtractRanges(pieces, [hole]);
      notes.push(
        `node ${zone.node} ${zone.zone}: ${holePages} of its ${zone.spannedPages} pages are holes that zoneinfo does not place; put at ${addressText(hole.start)}–${addressText(hole.end)}${legacy ? ' (the legacy area below 1 MiB)' : ''}`,
      );
    }
    for (const piece of subtractRanges(pieces, exclude)) out.push({ ...piece, owner: zone.node });
  }
  return out;
}

/** Nodes laid end to end from address 0, each its numactl size rounded up to whole blocks. */
export function ramFromNumaSizes(
  nodes: NumaNode[],
  blockSize: number,
  notes: string[],
): Owned<number>[] {
  const out: Owned<number>[] = [];
  let start = 0;
  for (const node of [...nodes].sort((a, b) => a.id - b.id)) {
    if (!node.sizeBytes) continue;
    const size = alignUp(node.sizeBytes, blockSize);
    out.push({ start, end: start + size, owner: node.id });
    start += size;
  }
  if (out.length)
    notes.push(
      `numactl -H shows each node's size but no addresses: the nodes' RAM is laid end to end from 0, each rounded up to ${formatBytes(blockSize)} blocks (paste /proc/iomem or lsmem -a -o RANGE,SIZE,STATE,REMOVABLE,BLOCK,NODE,ZONES for the real layout)`,
    );
  return out;
}

/**
 * Which node owns which part of `ram` from numactl sizes alone: nodes take RAM in id order, each
 * as much as numactl says (rounded up to blocks: numactl shows managed memory, a little less).
 */
export function ownersFromNumaSizes(
  ram: Range[],
  nodes: NumaNode[],
  blockSize: number,
  notes: string[],
): Owned<number>[] {
  const withMemory = [...nodes].filter((n) => n.sizeBytes).sort((a, b) => a.id - b.id);
  if (withMemory.length < 2) return [];
  const owners: Owned<number>[] = [];
  let nodeIndex = 0;
  let quota = alignUp(withMemory[0]!.sizeBytes!, blockSize);
  for (const range of ram) {
    let start = range.start;
    while (start < range.end) {
      const last = nodeIndex === withMemory.length - 1;
      const end = last ? range.end : Math.min(range.end, start + quota);
      owners.push({ start, end, owner: withMemory[nodeIndex]!.id });
      quota -= end - start;
      start = end;
      if (quota <= 0 && !last) quota = alignUp(withMemory[++nodeIndex]!.sizeBytes!, blockSize);
    }
  }
  notes.push(
    'which RAM belongs to which node is guessed from the numactl sizes (nodes in id order, each taking its size of RAM from the bottom); lsmem -a -o ...,NODE or the sysfs node links would tell',
  );
  return owners;
}

/** Notes naming the holes between boot RAM ranges of each node (the first few). */
export function holeNotes(ramByNode: Map<number, Range[]>, names: (range: Range) => string | null) {
  const notes: string[] = [];
  for (const [node, ranges] of ramByNode) {
    const holes: string[] = [];
    for (let i = 1; i < ranges.length; i++) {
      const hole = { start: ranges[i - 1]!.end, end: ranges[i]!.start };
      if (hole.end <= hole.start) continue;
      const name = names(hole);
      holes.push(
        `${addressText(hole.start)}–${addressText(hole.end)} (${formatBytes(hole.end - hole.start)}${name ? `, ${name}` : ''})`,
      );
    }
    if (holes.length)
      notes.push(
        `node ${node} boot RAM has ${holes.length} hole${holes.length > 1 ? 's' : ''}: ${holes.slice(0, 4).join('; ')}${holes.length > 4 ? '; …' : ''}`,
      );
  }
  return notes;
}

/** What /proc/iomem has in a hole of boot RAM ("Reserved", "PCI Bus 0000:00"). */
export function holeNames(evidence: Evidence, hole: Range): string | null {
  const names = (evidence.iomem?.resources ?? [])
    .filter((r) => r.depth === 0 && r.kind !== 'ram' && r.start < hole.end && hole.start < r.end)
    .map((r) => r.name);
  return names.length ? [...new Set(names)].join(', ') : null;
}

/** Memory in use when the snapshot was taken (managed - free), only for a machine without events. */
export function bootUsed(
  evidence: Evidence,
  pageSize: number,
  ramByNode: Map<number, Range[]>,
  notes: string[],
) {
  const used: Record<string, string | number> = {};
  for (const [node, ranges] of ramByNode) {
    const pages = evidence.zones
      .filter(
        (z) =>
          z.node === node && z.zone !== 'Device' && z.managedPages !== null && z.freePages !== null,
      )
      .reduce((sum, z) => sum + Math.max(0, z.managedPages! - z.freePages!), 0);
    const bytes = Math.floor((pages * pageSize) / MiB) * MiB;
    if (bytes > 0 && bytes <= sizeOf(ranges)) used[String(node)] = sizeText(bytes);
  }
  if (Object.keys(used).length)
    notes.push(
      `kernel.bootUsed from zoneinfo (managed - free pages when it was read): ${Object.entries(used)
        .map(([n, b]) => `node ${n} ${b}`)
        .join(', ')}`,
    );
  return used;
}
