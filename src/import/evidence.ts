/**
 * What all the parsed pastes say together, before any scenario is built: one block size, one
 * picture of the blocks (lsmem and sysfs overlaid), the RAM and driver-managed ranges of
 * /proc/iomem, the zones of /proc/zoneinfo, the nodes of numactl, and the kernel settings some of
 * them show. Disagreements between pastes become problems here; the first source wins.
 */
import type { ZoneName } from '../engine/arch.ts';
import type { ArchEvidence } from './arch-infer.ts';
import type { AddVia } from '../engine/scenario/types.ts';
import { formatShortSize } from '../engine/units.ts';
import { type BlockSource, lsmemRuns, overlayBlocks, zoneOf } from './blocks.ts';
import type { DriverRange, SpanAt } from './hotplug.ts';
import { type IomemParse, type IomemResource, ancestorOfKind } from './iomem.ts';
import type { LsmemParse } from './lsmem.ts';
import type { NumactlParse } from './numactl.ts';
import { type Range, sizeOf } from './ranges.ts';
import type { AutoOnline, SysfsParse } from './sysfs.ts';
import type { ImportFormat, ImportProblem } from './types.ts';
import type { ZoneRecord, ZoneinfoParse } from './zoneinfo.ts';

export type ParsedPart = (LsmemParse | IomemParse | ZoneinfoParse | NumactlParse | SysfsParse) & {
  source?: string;
};

export interface KernelSettings {
  memmapOnMemory?: 'on' | 'off' | 'force';
  autoOnline?: AutoOnline;
  onlinePolicy?: 'contig-zones' | 'auto-movable';
}

export interface Evidence {
  formats: ImportFormat[];
  blockSize: number | null;
  spans: SpanAt[];
  iomem: IomemParse | null;
  /** Top-level "System RAM", as printed (not page-aligned). */
  ram: IomemResource[];
  drivers: DriverRange[];
  zones: ZoneRecord[];
  numa: NumactlParse | null;
  kernel: KernelSettings;
}

const DRIVER_VIA: Record<string, AddVia> = { kmem: 'kmem', 'virtio-mem': 'virtio-mem' };
/** memory_hotplug.memmap_on_memory as /sys/module prints it (a bool, or "force" since 6.6). */
const MMO_PARAM: Record<string, 'on' | 'off' | 'force'> = {
  y: 'on',
  '1': 'on',
  n: 'off',
  '0': 'off',
  force: 'force',
};

function ofFormat<F extends ParsedPart['format']>(parts: ParsedPart[], format: F) {
  return parts.filter((part): part is Extract<ParsedPart, { format: F }> => part.format === format);
}

function chooseBlockSize(lsmems: LsmemParse[], sysfss: SysfsParse[], problems: ImportProblem[]) {
  const sizes = [
    ...sysfss.map((p) => ({ bytes: p.blockSize, from: 'block_size_bytes' })),
    ...lsmems.map((p) => ({ bytes: p.blockSize, from: 'lsmem' })),
  ].filter((s): s is { bytes: number; from: string } => s.bytes !== null);
  const chosen = sizes[0] ?? null;
  const other = sizes.find((s) => s.bytes !== chosen?.bytes);
  if (chosen && other)
    problems.push({
      message: `${chosen.from} says the block size is ${formatShortSize(chosen.bytes)}, ${other.from} says ${formatShortSize(other.bytes)}; ${formatShortSize(chosen.bytes)} is used (are the pastes from one machine?)`,
    });
  return chosen?.bytes ?? null;
}

function gatherBlocks(parts: ParsedPart[], blockSize: number | null, problems: ImportProblem[]) {
  const sources: BlockSource[] = [];
  for (const part of parts) {
    if (part.format === 'sysfs' && part.blocks.length)
      sources.push({ label: 'sysfs', source: part.source, runs: part.blocks });
    if (part.format === 'lsmem' && part.ranges.length && blockSize)
      sources.push({ label: 'lsmem', source: part.source, runs: lsmemRuns(part, blockSize) });
  }
  if (!sources.length) return [];
  if (!blockSize) {
    problems.push({
      message:
        'the memory blocks cannot be placed without the block size: add /sys/devices/system/memory/block_size_bytes (or the lsmem summary)',
    });
    return [];
  }
  return overlayBlocks(sources, blockSize, problems).map((span) => ({
    ...span,
    start: span.firstBlock * blockSize,
    end: (span.firstBlock + span.count) * blockSize,
  }));
}

function gatherIomem(iomems: IomemParse[], notes: string[]) {
  const usable = iomems.filter((p) => !p.zeroed && p.resources.length);
  if (usable.length > 1) notes.push(`${usable.length} /proc/iomem pastes: the last one is used`);
  const iomem = usable[usable.length - 1] ?? null;
  if (!iomem) return { iomem, ram: [], drivers: [] };
  const ram = iomem.resources.filter(
    (r, i) =>
      r.kind === 'ram' && !ancestorOfKind(iomem, i, ['ram', 'kmem', 'virtio-mem', 'driver-ram']),
  );
  const drivers: DriverRange[] = [];
  for (const r of iomem.resources) {
    if (r.kind !== 'kmem' && r.kind !== 'virtio-mem' && r.kind !== 'driver-ram') continue;
    drivers.push({ start: r.start, end: r.end, name: r.name, via: DRIVER_VIA[r.kind] ?? 'acpi' });
    if (r.kind === 'driver-ram')
      notes.push(
        `"${r.name}" is RAM a driver added; the scenario knows no such caller, so it is added as ACPI`,
      );
  }
  return { iomem, ram, drivers };
}

/** Later zoneinfo pastes replace earlier ones zone by zone. */
function gatherZones(zoneinfos: ZoneinfoParse[]): ZoneRecord[] {
  const byKey = new Map<string, ZoneRecord>();
  for (const part of zoneinfos)
    for (const zone of part.zones) byKey.set(`${zone.node}/${zone.zone}`, zone);
  return [...byKey.values()];
}

function gatherKernel(lsmems: LsmemParse[], sysfss: SysfsParse[], notes: string[]): KernelSettings {
  const kernel: KernelSettings = {};
  const params = Object.assign({}, ...sysfss.map((p) => p.params)) as Record<string, string>;
  const fromParam = MMO_PARAM[(params.memmap_on_memory ?? '').toLowerCase()];
  const mmo = lsmems.find((p) => p.memmapOnMemory)?.memmapOnMemory ?? fromParam;
  if (mmo) {
    kernel.memmapOnMemory = mmo;
    notes.push(`memory_hotplug.memmap_on_memory=${mmo}`);
  }
  const auto = sysfss.find((p) => p.autoOnline)?.autoOnline;
  if (auto) {
    kernel.autoOnline = auto;
    notes.push(`auto_online_blocks=${auto}`);
  }
  const policy = params.online_policy;
  if (policy === 'contig-zones' || policy === 'auto-movable') kernel.onlinePolicy = policy;
  return kernel;
}

export function gatherEvidence(
  parts: ParsedPart[],
  problems: ImportProblem[],
  notes: string[],
): Evidence {
  const lsmems = ofFormat(parts, 'lsmem');
  const sysfss = ofFormat(parts, 'sysfs');
  const numactls = ofFormat(parts, 'numactl');
  const blockSize = chooseBlockSize(lsmems, sysfss, problems);
  const { iomem, ram, drivers } = gatherIomem(ofFormat(parts, 'iomem'), notes);
  return {
    formats: [...new Set(parts.map((p) => p.format))],
    blockSize,
    spans: gatherBlocks(parts, blockSize, problems),
    iomem,
    ram,
    drivers,
    zones: gatherZones(ofFormat(parts, 'zoneinfo')),
    numa: numactls[numactls.length - 1] ?? null,
    kernel: gatherKernel(lsmems, sysfss, notes),
  };
}

/** Zones that hold memory: populated zoneinfo zones and the zones of online blocks. */
function zonesWithMemory(evidence: Evidence): Set<ZoneName> {
  const zones = new Set<ZoneName>();
  for (const zone of evidence.zones)
    if ((zone.presentPages ?? 0) > 0 && zone.zone !== 'Device') zones.add(zone.zone);
  for (const span of evidence.spans) {
    const zone = zoneOf(span);
    if (zone) zones.add(zone);
  }
  return zones;
}

/** What the architecture inference looks at (arch-infer.ts). */
export function archEvidence(evidence: Evidence): ArchEvidence {
  const dma = evidence.spans.filter((s) => zoneOf(s) === 'DMA');
  const normal = evidence.spans.filter((s) => zoneOf(s) === 'Normal');
  const presentPages = evidence.zones
    .filter((z) => z.zone !== 'Device')
    .reduce((sum, z) => sum + (z.presentPages ?? 0), 0);
  const ramBytes = evidence.iomem
    ? sizeOf([...evidence.ram, ...evidence.drivers])
    : sizeOf(evidence.spans.filter((s) => s.state === 'online'));
  const starts = [...evidence.ram, ...evidence.spans].map((r) => r.start);
  return {
    zones: zonesWithMemory(evidence),
    dmaEnd: dma.length ? Math.max(...dma.map((s) => s.end)) : null,
    normalStart: normal.length ? Math.min(...normal.map((s) => s.start)) : null,
    bytesPerPage: presentPages && ramBytes ? ramBytes / presentPages : null,
    iomemNames: evidence.iomem?.resources.map((r) => r.name) ?? [],
    blockSize: evidence.blockSize,
    lowestRam: starts.length ? Math.min(...starts) : null,
    highestAddress: Math.max(
      0,
      ...[...evidence.ram, ...evidence.spans, ...evidence.drivers].map((r) => r.end),
    ),
  };
}

/** One-block System RAM resources that continue the previous one: DLPAR LMBs. */
export function adjacentLmbs(evidence: Evidence): Range[] {
  const ram = [...evidence.ram].sort((a, b) => a.start - b.start);
  return ram.filter(
    (r, i) => i > 0 && r.start === ram[i - 1]!.end && r.end - r.start === evidence.blockSize,
  );
}
