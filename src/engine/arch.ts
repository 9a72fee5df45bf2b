/**
 * Architecture presets (reference §2.1) and the rules that derive from them: the memory block
 * size (§2.3 for x86), pageblocks, and whether memmap_on_memory can apply to a block (§2.2).
 */
import { GiB, KiB, MiB, isPowerOfTwo, TiB } from './units.ts';

export const ARCH_IDS = [
  'x86_64',
  'x86_64-5level',
  'arm64-4k',
  'arm64-16k',
  'arm64-64k',
  'ppc64-radix-64k',
  'ppc64-radix-4k',
  'ppc64-hash-64k',
  's390x',
  'riscv64',
] as const;
export type ArchId = (typeof ARCH_IDS)[number];

export const ERAS = ['LEGACY', 'RFC1', 'RFC2', 'U1', 'U2', 'U3'] as const;
export type Era = (typeof ERAS)[number];

export const ERA_LABELS: Record<Era, string> = {
  LEGACY: 'Before memmap_on_memory (≤ 5.12, or the feature off)',
  RFC1: '2017 RFC v1 (Hocko, 26 Jul 2017)',
  RFC2: '2017 RFC v2 (Hocko, 1 Aug 2017)',
  U1: 'Linux 5.13–6.5 (one block per request)',
  U2: 'Linux 6.6–6.7 (force, arch override)',
  U3: 'Linux 6.8+ (per-block split, dax/kmem)',
};

/** Kernel zone types in zone-index order. */
export const ZONES = ['DMA', 'DMA32', 'Normal', 'Movable', 'Device'] as const;
export type ZoneName = (typeof ZONES)[number];
export const ZONE_INDEX: Record<ZoneName, number> = {
  DMA: 0,
  DMA32: 1,
  Normal: 2,
  Movable: 3,
  Device: 4,
};
export const isKernelZone = (zone: ZoneName) =>
  zone === 'DMA' || zone === 'DMA32' || zone === 'Normal';

export interface ArchSpec {
  id: ArchId;
  label: string;
  pageSize: number;
  sectionBits: number;
  maxPhysBits: number;
  pmdSize: number;
  pageblockSize: number;
  hugePageSizes: number[];
  /** Largest size the buddy allocator hands out (MAX_PAGE_ORDER); bigger huge pages are gigantic. */
  maxBuddySize: number;
  /** 'x86' applies probe_memory_block_size(); a number is the fixed default. */
  defaultBlock: 'x86' | number;
  /** Upper limits (exclusive, bytes) of ZONE_DMA and ZONE_DMA32; 0 when the arch has no such zone. */
  dmaLimit: number;
  dma32Limit: number;
  /** First era whose kernels let this arch use memmap_on_memory (ARCH_MHP_MEMMAP_ON_MEMORY_ENABLE). */
  mmoSince: Era | null;
  /** arch_supports_memmap_on_memory(vmemmap_size). */
  archSupportsMmo: (vmemmapBytes: number, spec: ArchSpec) => boolean;
  /** First era in which memory hotplug exists at all on this arch. */
  hotplugSince: Era;
  /** s390 standby memory is not accessible before it goes online (the 2017 objection). */
  accessibleAtAdd: boolean;
  /** Hex vmemmap base (a virtual address past 2^53, so kept as text), or null when set at boot. */
  vmemmapBase: string | null;
  vmemmapNote: string;
  caller: 'acpi' | 'dlpar' | 'sclp' | 'generic';
}

const pmdAligned = (vmemmapBytes: number, spec: ArchSpec) => vmemmapBytes % spec.pmdSize === 0;

const x86: Omit<ArchSpec, 'id' | 'label' | 'maxPhysBits' | 'vmemmapBase' | 'vmemmapNote'> = {
  pageSize: 4 * KiB,
  sectionBits: 27,
  pmdSize: 2 * MiB,
  pageblockSize: 2 * MiB,
  hugePageSizes: [2 * MiB, 1 * GiB],
  maxBuddySize: 4 * MiB,
  defaultBlock: 'x86',
  dmaLimit: 16 * MiB,
  dma32Limit: 4 * GiB,
  mmoSince: 'U1',
  archSupportsMmo: pmdAligned,
  hotplugSince: 'LEGACY',
  accessibleAtAdd: true,
  caller: 'acpi',
};

export const ARCHES: Record<ArchId, ArchSpec> = {
  x86_64: {
    ...x86,
    id: 'x86_64',
    label: 'x86_64 (4-level paging)',
    maxPhysBits: 46,
    vmemmapBase: '0xffffea0000000000',
    vmemmapNote:
      'vmemmap_base without KASLR of memory regions (Documentation/arch/x86/x86_64/mm.rst)',
  },
  'x86_64-5level': {
    ...x86,
    id: 'x86_64-5level',
    label: 'x86_64 (5-level paging)',
    maxPhysBits: 52,
    vmemmapBase: '0xffd4000000000000',
    vmemmapNote: '5-level vmemmap_base without KASLR (unverified)',
  },
  'arm64-4k': {
    id: 'arm64-4k',
    label: 'arm64, 4K pages',
    pageSize: 4 * KiB,
    sectionBits: 27,
    maxPhysBits: 48,
    pmdSize: 2 * MiB,
    pageblockSize: 2 * MiB,
    hugePageSizes: [64 * KiB, 2 * MiB, 32 * MiB, 1 * GiB],
    maxBuddySize: 4 * MiB,
    defaultBlock: 128 * MiB,
    dmaLimit: 4 * GiB,
    dma32Limit: 0,
    mmoSince: 'U1',
    archSupportsMmo: pmdAligned,
    hotplugSince: 'LEGACY',
    accessibleAtAdd: true,
    vmemmapBase: '0xfffffc0000000000',
    vmemmapNote:
      'VMEMMAP_START for 48-bit VA; arm64 offsets the array by memstart_addr (approximate)',
    caller: 'acpi',
  },
  'arm64-16k': {
    id: 'arm64-16k',
    label: 'arm64, 16K pages',
    pageSize: 16 * KiB,
    sectionBits: 27,
    maxPhysBits: 48,
    pmdSize: 32 * MiB,
    pageblockSize: 32 * MiB,
    hugePageSizes: [2 * MiB, 32 * MiB, 1 * GiB],
    maxBuddySize: 32 * MiB,
    defaultBlock: 128 * MiB,
    dmaLimit: 4 * GiB,
    dma32Limit: 0,
    mmoSince: 'U1',
    archSupportsMmo: pmdAligned,
    hotplugSince: 'LEGACY',
    accessibleAtAdd: true,
    vmemmapBase: '0xfffffc0000000000',
    vmemmapNote: 'VMEMMAP_START for 48-bit VA (approximate)',
    caller: 'acpi',
  },
  'arm64-64k': {
    id: 'arm64-64k',
    label: 'arm64, 64K pages',
    pageSize: 64 * KiB,
    sectionBits: 29,
    maxPhysBits: 48,
    pmdSize: 512 * MiB,
    pageblockSize: 512 * MiB,
    hugePageSizes: [2 * MiB, 512 * MiB],
    maxBuddySize: 512 * MiB,
    defaultBlock: 512 * MiB,
    dmaLimit: 4 * GiB,
    dma32Limit: 0,
    mmoSince: 'U1',
    archSupportsMmo: pmdAligned,
    hotplugSince: 'LEGACY',
    accessibleAtAdd: true,
    vmemmapBase: '0xfffffc0000000000',
    vmemmapNote: 'VMEMMAP_START for 48-bit VA (approximate)',
    caller: 'acpi',
  },
  'ppc64-radix-64k': {
    id: 'ppc64-radix-64k',
    label: 'ppc64 pseries, Radix MMU, 64K pages',
    pageSize: 64 * KiB,
    sectionBits: 24,
    maxPhysBits: 51,
    pmdSize: 2 * MiB,
    pageblockSize: 2 * MiB,
    hugePageSizes: [2 * MiB, 1 * GiB],
    maxBuddySize: 16 * MiB,
    defaultBlock: 256 * MiB,
    dmaLimit: 0,
    dma32Limit: 0,
    mmoSince: 'U2',
    // Radix with 64K pages can map the vmemmap with base pages, so any page-aligned size works.
    archSupportsMmo: () => true,
    hotplugSince: 'LEGACY',
    accessibleAtAdd: true,
    vmemmapBase: '0xc00c000000000000',
    vmemmapNote: 'Radix vmemmap base',
    caller: 'dlpar',
  },
  'ppc64-radix-4k': {
    id: 'ppc64-radix-4k',
    label: 'ppc64 pseries, Radix MMU, 4K pages',
    pageSize: 4 * KiB,
    sectionBits: 24,
    maxPhysBits: 51,
    pmdSize: 2 * MiB,
    pageblockSize: 2 * MiB,
    hugePageSizes: [2 * MiB, 1 * GiB],
    maxBuddySize: 4 * MiB,
    defaultBlock: 256 * MiB,
    dmaLimit: 0,
    dma32Limit: 0,
    mmoSince: 'U2',
    archSupportsMmo: pmdAligned,
    hotplugSince: 'LEGACY',
    accessibleAtAdd: true,
    vmemmapBase: '0xc00c000000000000',
    vmemmapNote: 'Radix vmemmap base',
    caller: 'dlpar',
  },
  'ppc64-hash-64k': {
    id: 'ppc64-hash-64k',
    label: 'ppc64 pseries, Hash MMU, 64K pages',
    pageSize: 64 * KiB,
    sectionBits: 24,
    maxPhysBits: 51,
    pmdSize: 16 * MiB,
    pageblockSize: 16 * MiB,
    hugePageSizes: [16 * MiB, 16 * GiB],
    maxBuddySize: 16 * MiB,
    defaultBlock: 256 * MiB,
    dmaLimit: 0,
    dma32Limit: 0,
    mmoSince: null,
    archSupportsMmo: () => false,
    hotplugSince: 'LEGACY',
    accessibleAtAdd: true,
    vmemmapBase: '0xf000000000000000',
    vmemmapNote: 'Hash MMU vmemmap region (approximate)',
    caller: 'dlpar',
  },
  s390x: {
    id: 's390x',
    label: 's390x (standby memory)',
    pageSize: 4 * KiB,
    sectionBits: 27,
    maxPhysBits: 46,
    pmdSize: 1 * MiB,
    pageblockSize: 1 * MiB,
    hugePageSizes: [1 * MiB, 2 * GiB],
    maxBuddySize: 4 * MiB,
    defaultBlock: 128 * MiB,
    dmaLimit: 2 * GiB,
    dma32Limit: 0,
    mmoSince: 'U3',
    archSupportsMmo: pmdAligned,
    hotplugSince: 'LEGACY',
    accessibleAtAdd: false,
    vmemmapBase: null,
    vmemmapNote: 's390 places the vmemmap at boot, after the identity mapping',
    caller: 'sclp',
  },
  riscv64: {
    id: 'riscv64',
    label: 'riscv64 (Sv48)',
    pageSize: 4 * KiB,
    sectionBits: 27,
    maxPhysBits: 56,
    pmdSize: 2 * MiB,
    pageblockSize: 2 * MiB,
    hugePageSizes: [2 * MiB, 1 * GiB],
    maxBuddySize: 4 * MiB,
    defaultBlock: 128 * MiB,
    dmaLimit: 0,
    dma32Limit: 4 * GiB,
    mmoSince: 'U3',
    archSupportsMmo: pmdAligned,
    hotplugSince: 'U3',
    accessibleAtAdd: true,
    vmemmapBase: '0xffff8d8000000000',
    vmemmapNote: 'Sv48 VMEMMAP_START (approximate)',
    caller: 'acpi',
  },
};

export const eraIndex = (era: Era) => ERAS.indexOf(era);
export const eraAtLeast = (era: Era, since: Era) => eraIndex(era) >= eraIndex(since);

export const sectionSize = (spec: ArchSpec) => 2 ** spec.sectionBits;

/**
 * x86 probe_memory_block_size() (reference §2.3): 128 MiB below 64 GiB of boot memory end,
 * 2 GiB on bare metal, and in a VM the largest power of two up to 2 GiB that keeps the end of
 * boot RAM block-aligned. Real-kernel evidence: a VM whose boot RAM ends at 64 GiB gets 2 GiB.
 */
export function x86BlockSize(bootMemEndBytes: number, virtual: boolean): number {
  const min = 128 * MiB;
  const max = 2 * GiB;
  if (bootMemEndBytes < 64 * GiB) return min;
  if (!virtual) return max;
  let size = max;
  while (size > min && bootMemEndBytes % size !== 0) size /= 2;
  return size;
}

export function defaultBlockSize(
  spec: ArchSpec,
  bootMemEndBytes: number,
  virtual: boolean,
): number {
  return spec.defaultBlock === 'x86' ? x86BlockSize(bootMemEndBytes, virtual) : spec.defaultBlock;
}

/** A block size is usable when it is a power-of-two multiple of the section size. */
export function blockSizeProblem(spec: ArchSpec, blockBytes: number): string | null {
  const section = sectionSize(spec);
  if (!isPowerOfTwo(blockBytes)) return 'must be a power of two';
  if (blockBytes < section)
    return `must be at least one section (${section / MiB} MiB on ${spec.id})`;
  if (blockBytes > 64 * GiB) return 'must be at most 64 GiB';
  return null;
}

export interface MmoGeometry {
  vmemmapBytes: number;
  /** memory_block_memmap_on_memory_pages(): used pages, padded to pageblocks in force mode. */
  memmapPages: number;
  usedPages: number;
  wastePages: number;
  /** Why the kernel would refuse, in its own terms; null when eligible. */
  problem: string | null;
}

/**
 * mhp_supports_memmap_on_memory() of v6.6+ (reference §2.2) for one memory block.
 * `force` pads the memmap to whole pageblocks and wastes the rest.
 */
export function mmoGeometry(
  spec: ArchSpec,
  blockBytes: number,
  structPageSize: number,
  force: boolean,
): MmoGeometry {
  const blockPages = blockBytes / spec.pageSize;
  const vmemmapBytes = blockPages * structPageSize;
  const usedPages = Math.floor(vmemmapBytes / spec.pageSize);
  const pageblockPages = spec.pageblockSize / spec.pageSize;
  const memmapPages = force ? Math.ceil(usedPages / pageblockPages) * pageblockPages : usedPages;
  const geometry = { vmemmapBytes, memmapPages, usedPages, wastePages: memmapPages - usedPages };
  if (vmemmapBytes % spec.pageSize !== 0) {
    return {
      ...geometry,
      problem: `the memmap of one block (${vmemmapBytes} bytes) is not a whole number of pages`,
    };
  }
  if (memmapPages % pageblockPages !== 0) {
    return {
      ...geometry,
      problem: `the memmap of one block (${memmapPages} pages) is not a whole number of pageblocks (${pageblockPages} pages); memmap_on_memory=force would pad it`,
    };
  }
  if (memmapPages >= blockPages) {
    return { ...geometry, problem: 'the padded memmap would fill the whole memory block' };
  }
  if (!spec.archSupportsMmo(vmemmapBytes, spec)) {
    return {
      ...geometry,
      problem:
        spec.mmoSince === null
          ? `${spec.label} does not support memmap_on_memory`
          : `the memmap of one block (${vmemmapBytes / KiB} KiB) does not fill whole PMD mappings (${spec.pmdSize / MiB} MiB)`,
    };
  }
  return { ...geometry, problem: null };
}

/**
 * The v5.13–v6.5 test (reference §6.2): one block exactly, memmap PMD-aligned, and the rest of the
 * block whole pageblocks. There is no force mode yet and no arch override.
 */
export function mmoGeometryU1(
  spec: ArchSpec,
  blockBytes: number,
  structPageSize: number,
): MmoGeometry {
  const blockPages = blockBytes / spec.pageSize;
  const vmemmapBytes = blockPages * structPageSize;
  const usedPages = Math.ceil(vmemmapBytes / spec.pageSize);
  const geometry = { vmemmapBytes, memmapPages: usedPages, usedPages, wastePages: 0 };
  if (vmemmapBytes % spec.pmdSize !== 0) {
    return {
      ...geometry,
      problem: `the memmap of one block (${vmemmapBytes / KiB} KiB) is not a whole number of PMDs (${spec.pmdSize / MiB} MiB)`,
    };
  }
  if ((blockBytes - vmemmapBytes) % spec.pageblockSize !== 0) {
    return { ...geometry, problem: 'the rest of the block is not a whole number of pageblocks' };
  }
  return { ...geometry, problem: null };
}

export const MAX_ADDRESS_BYTES = (spec: ArchSpec) => 2 ** spec.maxPhysBits;
export const ARCH_MAX_BOOT = 4 * 1024 * TiB;
