/**
 * What the controls offer, in the engine's words: architectures, kernels, strategies, knob
 * values, the Summary's figures and the kernel views. The worker sends it once at the handshake,
 * so the page names nothing itself and a new arch or rule shows up without a UI change.
 */
import { ARCHES, ARCH_IDS, ERA_LABELS, ERAS, type ArchId, type Era } from './arch.ts';
import {
  LTS,
  notableVersions,
  parseVersion,
  RULES,
  eraOf,
  NEWEST_READ,
} from './kernel/versions.ts';
import { STRATEGY_INFO, type StrategyKind } from './strategy/kinds.ts';
import type { Summary } from './result.ts';
import { VIEW_FORMATS, type ViewFormat } from './views/index.ts';
import { GiB, MiB } from './units.ts';

export interface CatalogArch {
  id: ArchId;
  label: string;
  pageSize: number;
  sectionSize: number;
  hugePageSizes: number[];
}

export interface CatalogKernel {
  /** The control's value: "6.12", or an RFC era ("RFC1"). */
  value: string;
  label: string;
  /** The scenario fields this choice sets (the others are removed). */
  kernelVersion?: string;
  era?: Era;
}

export interface CatalogFigure {
  key: keyof Summary;
  label: string;
  unit: 'bytes' | 'count';
  /** Shown as "N of M": the figure's total. */
  of?: keyof Summary;
  /** Replaced by the gigantic page size in the label ("1 GiB pages possible"). */
  sized?: boolean;
  note?: string;
}

export interface Catalog {
  arches: CatalogArch[];
  eras: { id: Era; label: string }[];
  kernels: CatalogKernel[];
  strategies: {
    kind: StrategyKind;
    label: string;
    does: string;
    proposedBy: string;
    hypothetical: boolean;
    /** The field the kind needs, the value it starts with, and the values offered. */
    parameter?:
      | { field: 'blockSize'; label: string; start: string; options: string[] }
      | { field: 'groupBlocks'; label: string; start: number; options: number[] };
  }[];
  onlinePolicies: { value: string; label: string }[];
  autoOnline: { value: string; label: string }[];
  /** Block sizes offered beside "auto" (bytes); an arch's smaller than its section are left out. */
  blockSizes: number[];
  figures: CatalogFigure[];
  views: { format: ViewFormat; tab: string }[];
}

function kernelLabel(version: string): string {
  const arrived = Object.values(RULES)
    .filter((rule) => rule.since === version)
    .map((rule) => rule.short);
  const lts = (LTS as readonly string[]).includes(version) ? ' LTS' : '';
  return `Linux ${version}${lts}${arrived.length ? ` (${arrived.join(', ')})` : ''}`;
}

/** The figures of the Summary, in its order; the comparison table and "what changed" read them. */
export const FIGURES: CatalogFigure[] = [
  {
    key: 'memmapTotalBytes',
    label: 'Memmap total',
    unit: 'bytes',
    note: 'struct pages of hot-added and device memory',
  },
  { key: 'memmapFromRamBytes', label: 'Memmap taken from existing RAM', unit: 'bytes' },
  { key: 'memmapSelfHostedBytes', label: 'Memmap inside hot-added memory', unit: 'bytes' },
  { key: 'memmapOffNodeBytes', label: 'Memmap off-node', unit: 'bytes' },
  { key: 'memmapWastedBytes', label: 'Memmap wasted (force)', unit: 'bytes' },
  { key: 'memmapDeviceBytes', label: 'Memmap on devices', unit: 'bytes' },
  {
    key: 'giganticPossible',
    label: 'pages possible',
    sized: true,
    unit: 'count',
    of: 'giganticWindows',
  },
  { key: 'giganticAllocated', label: 'pages allocated', sized: true, unit: 'count' },
  { key: 'memTotal', label: 'MemTotal', unit: 'bytes' },
  { key: 'memFree', label: 'MemFree', unit: 'bytes' },
  {
    key: 'blocksAllMemmap',
    label: 'Memory blocks all memmap',
    unit: 'count',
    note: 'blocks with no usable page: the RFC packs a request memmap at its start',
  },
  {
    key: 'blocksPinnedByMemmap',
    label: 'Blocks pinned by hosting memmap',
    unit: 'count',
    note: 'blocks holding struct pages of other blocks, so they cannot go first',
  },
  { key: 'bootMemmapBytes', label: 'Boot memmap', unit: 'bytes' },
  { key: 'blocksOnline', label: 'Memory blocks online', unit: 'count', of: 'blocks' },
];

/**
 * What bigger-blocks and group need (docs/strategies.md): 2 GiB blocks keep one clean 1 GiB
 * window per block on x86, as the RFC's v2 said; 16 blocks per altmap leave every other window of
 * 128 MiB blocks clean.
 */
const STRATEGY_PARAMETERS: Partial<
  Record<StrategyKind, Catalog['strategies'][number]['parameter']>
> = {
  'bigger-blocks': {
    field: 'blockSize',
    label: 'Block size (option a)',
    start: '2G',
    options: ['512M', '1G', '2G', '4G', '8G', '16G', '32G', '64G'],
  },
  group: {
    field: 'groupBlocks',
    label: 'Blocks per altmap',
    start: 16,
    options: [2, 4, 8, 16, 32, 64],
  },
};

const VIEW_TABS: Record<ViewFormat, string> = {
  lsmem: 'lsmem',
  meminfo: '/proc/meminfo',
  zoneinfo: '/proc/zoneinfo',
  iomem: '/proc/iomem',
  sysfs: '/sys/devices/system/memory',
  dmesg: 'dmesg',
};

export function catalog(): Catalog {
  const versions = notableVersions();
  return {
    arches: ARCH_IDS.map((id) => {
      const spec = ARCHES[id];
      return {
        id,
        label: spec.label,
        pageSize: spec.pageSize,
        sectionSize: 2 ** spec.sectionBits,
        hugePageSizes: [...spec.hugePageSizes],
      };
    }),
    eras: ERAS.map((id) => ({ id, label: ERA_LABELS[id] })),
    kernels: [
      { value: 'RFC1', label: ERA_LABELS.RFC1, era: 'RFC1' },
      { value: 'RFC2', label: ERA_LABELS.RFC2, era: 'RFC2' },
      ...versions.map((version) => ({
        value: version,
        label: kernelLabel(version) + (version === NEWEST_READ ? ', newest read' : ''),
        kernelVersion: version,
        era: eraOf(parseVersion(version)!),
      })),
    ],
    strategies: (Object.keys(STRATEGY_INFO) as StrategyKind[]).map((kind) => ({
      kind,
      ...STRATEGY_INFO[kind],
      ...(STRATEGY_PARAMETERS[kind] ? { parameter: STRATEGY_PARAMETERS[kind] } : {}),
    })),
    onlinePolicies: [
      { value: 'contig-zones', label: 'contig-zones (default)' },
      { value: 'auto-movable', label: 'auto-movable (ratio 301%)' },
    ],
    autoOnline: [
      { value: 'offline', label: 'offline (udev onlines)' },
      { value: 'online', label: 'online' },
      { value: 'online_kernel', label: 'online_kernel' },
      { value: 'online_movable', label: 'online_movable' },
    ],
    blockSizes: [128 * MiB, 256 * MiB, 512 * MiB, 1 * GiB, 2 * GiB],
    figures: FIGURES,
    views: VIEW_FORMATS.map((format) => ({ format, tab: VIEW_TABS[format] })),
  };
}
