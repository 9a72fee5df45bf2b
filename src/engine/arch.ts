/**
 * Architecture presets (reference §2.1) and the rules that derive from them: the memory block
 * size (§2.3 for x86), pageblocks, and whether memmap_on_memory can apply to a block (§2.2).
 */
import { GiB, KiB, MiB, isPowerOfTwo, alignUp } from './units.ts';
import { ERA_VERSION, has, parseVersion, type RuleId, type Version } from './kernel/versions.ts';
import { ARCHES } from './arch-presets.ts';

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
  /** The rule (kernel/versions.ts) by which this arch can use memmap_on_memory, or null. */
  mmoRule: RuleId | null;
  /** arch_supports_memmap_on_memory(vmemmap_size). */
  archSupportsMmo: (vmemmapBytes: number, spec: ArchSpec) => boolean;
  /** The rule by which memory hotplug exists on this arch, null when it always has. */
  hotplugRule: RuleId | null;
  /** vmemmap_populate() maps with base pages only (arm64 with 16K or 64K pages). */
  vmemmapBasePages: boolean;
  /** s390 standby memory is not accessible before it goes online (the 2017 objection). */
  accessibleAtAdd: boolean;
  /** Hex vmemmap base (a virtual address past 2^53, so kept as text), or null when set at boot. */
  vmemmapBase: string | null;
  vmemmapNote: string;
  caller: 'acpi' | 'dlpar' | 'sclp' | 'generic';
}

export { ARCHES };

/**
 * The arch as a kernel version has it: arm64 sections (and so blocks) were 1 GiB before 5.12,
 * s390 sections 256 MiB before 6.13.
 */
export function archFor(id: ArchId, version: Version): ArchSpec {
  const spec = ARCHES[id];
  if (id.startsWith('arm64') && !has(version, 'arm64SmallSections'))
    return { ...spec, sectionBits: 30, defaultBlock: 1 * GiB };
  if (id === 's390x' && !has(version, 's390SmallSections'))
    return { ...spec, sectionBits: 28, defaultBlock: 256 * MiB };
  return spec;
}

/** Can this kernel use memmap_on_memory on this arch at all (the Kconfig option exists)? */
export const mmoBuilt = (spec: ArchSpec, version: Version) =>
  spec.mmoRule !== null && has(version, spec.mmoRule);

export const hotplugBuilt = (spec: ArchSpec, version: Version) =>
  spec.hotplugRule === null || has(version, spec.hotplugRule);

export const sectionSize = (spec: ArchSpec) => 2 ** spec.sectionBits;

/**
 * x86 probe_memory_block_size() (arch/x86/mm/init_64.c) by version: 128 MiB while boot memory
 * ends below 64 GiB; above that 2 GiB until 4.16, the largest power of two up to 2 GiB that
 * keeps the end of boot RAM block-aligned from 4.17, and from 5.9 always 2 GiB on bare metal
 * (the CPUID hypervisor bit clear). Real-kernel evidence: a VM whose boot RAM ends at 64 GiB
 * gets 2 GiB. (6.16's CXL "advice" caps the size to CXL window alignment: no CXL windows here.)
 */
export function x86BlockSize(
  bootMemEndBytes: number,
  virtual: boolean,
  version: Version = parseVersion(ERA_VERSION.U3)!,
): number {
  const min = 128 * MiB;
  const max = 2 * GiB;
  if (bootMemEndBytes < 64 * GiB) return min;
  if (!has(version, 'x86BlockEndAligned')) return max;
  if (!virtual && has(version, 'x86BlockBareMetalMax')) return max;
  let size = max;
  while (size > min && bootMemEndBytes % size !== 0) size /= 2;
  return size;
}

/** Why x86BlockSize() chose what it did, in the rule's own terms. */
export function x86BlockSizeReason(
  bootMemEndBytes: number,
  virtual: boolean,
  version: Version,
): string {
  const end = `${bootMemEndBytes / GiB} GiB`;
  if (bootMemEndBytes < 64 * GiB) return `boot memory ends at ${end}, below 64 GiB`;
  if (!has(version, 'x86BlockEndAligned'))
    return `boot memory ends at or above 64 GiB (${end}): before 4.17 always 2 GiB`;
  if (!virtual && has(version, 'x86BlockBareMetalMax'))
    return 'bare metal with 64 GiB or more: the maximum, 2 GiB (since 5.9)';
  return `the largest power of two up to 2 GiB dividing the end of boot memory (${end})`;
}

export function defaultBlockSize(
  spec: ArchSpec,
  bootMemEndBytes: number,
  virtual: boolean,
  version: Version,
): number {
  return spec.defaultBlock === 'x86'
    ? x86BlockSize(bootMemEndBytes, virtual, version)
    : spec.defaultBlock;
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
  const memmapPages = force ? alignUp(usedPages, pageblockPages) : usedPages;
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
        spec.mmoRule === null
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
