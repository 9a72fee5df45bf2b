/**
 * The architecture presets (reference §2.1): page, section, PMD and pageblock sizes, zone limits,
 * when memory hotplug and memmap_on_memory arrived, and where the vmemmap starts. Values the
 * reference marks unverified carry a note saying so.
 */
import type { ArchId, ArchSpec } from './arch.ts';
import { GiB, KiB, MiB } from './units.ts';

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
  mmoRule: 'memmapOnMemory',
  archSupportsMmo: pmdAligned,
  hotplugRule: null,
  vmemmapBasePages: false,
  accessibleAtAdd: true,
  caller: 'acpi',
};

/** What every arm64 configuration shares (48-bit PA, DMA below 4 GiB, ACPI hotplug). */
const arm64 = {
  maxPhysBits: 48,
  dmaLimit: 4 * GiB,
  dma32Limit: 0,
  mmoRule: 'memmapOnMemory',
  archSupportsMmo: pmdAligned,
  hotplugRule: 'arm64Hotplug',
  vmemmapBasePages: false,
  accessibleAtAdd: true,
  vmemmapBase: '0xfffffc0000000000',
  caller: 'acpi',
} as const;

/** What every pseries configuration shares (16 MiB sections, LMBs of 256 MiB, DLPAR). */
const pseries = {
  sectionBits: 24,
  maxPhysBits: 51,
  dmaLimit: 0,
  dma32Limit: 0,
  defaultBlock: 256 * MiB,
  hotplugRule: null,
  vmemmapBasePages: false,
  accessibleAtAdd: true,
  caller: 'dlpar',
} as const;

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
    ...arm64,
    id: 'arm64-4k',
    label: 'arm64, 4K pages',
    pageSize: 4 * KiB,
    sectionBits: 27,
    pmdSize: 2 * MiB,
    pageblockSize: 2 * MiB,
    hugePageSizes: [64 * KiB, 2 * MiB, 32 * MiB, 1 * GiB],
    maxBuddySize: 4 * MiB,
    defaultBlock: 128 * MiB,
    vmemmapNote:
      'VMEMMAP_START for 48-bit VA; arm64 offsets the array by memstart_addr (approximate)',
  },
  'arm64-16k': {
    ...arm64,
    id: 'arm64-16k',
    label: 'arm64, 16K pages',
    pageSize: 16 * KiB,
    sectionBits: 27,
    pmdSize: 32 * MiB,
    pageblockSize: 32 * MiB,
    hugePageSizes: [2 * MiB, 32 * MiB, 1 * GiB],
    maxBuddySize: 32 * MiB,
    defaultBlock: 128 * MiB,
    // vmemmap_populate() uses PMD blocks only with 4K pages (arch/arm64/mm/mmu.c).
    vmemmapBasePages: true,
    vmemmapNote: 'VMEMMAP_START for 48-bit VA (approximate)',
  },
  'arm64-64k': {
    ...arm64,
    id: 'arm64-64k',
    label: 'arm64, 64K pages',
    pageSize: 64 * KiB,
    sectionBits: 29,
    pmdSize: 512 * MiB,
    pageblockSize: 512 * MiB,
    hugePageSizes: [2 * MiB, 512 * MiB],
    maxBuddySize: 512 * MiB,
    defaultBlock: 512 * MiB,
    vmemmapBasePages: true,
    vmemmapNote: 'VMEMMAP_START for 48-bit VA (approximate)',
  },
  'ppc64-radix-64k': {
    ...pseries,
    id: 'ppc64-radix-64k',
    label: 'ppc64 pseries, Radix MMU, 64K pages',
    pageSize: 64 * KiB,
    pmdSize: 2 * MiB,
    pageblockSize: 2 * MiB,
    hugePageSizes: [2 * MiB, 1 * GiB],
    maxBuddySize: 16 * MiB,
    mmoRule: 'ppc64MemmapOnMemory',
    // Radix with 64K pages can map the vmemmap with base pages, so any page-aligned size works.
    archSupportsMmo: () => true,
    vmemmapBase: '0xc00c000000000000',
    vmemmapNote: 'Radix vmemmap base',
  },
  'ppc64-radix-4k': {
    ...pseries,
    id: 'ppc64-radix-4k',
    label: 'ppc64 pseries, Radix MMU, 4K pages',
    pageSize: 4 * KiB,
    pmdSize: 2 * MiB,
    pageblockSize: 2 * MiB,
    hugePageSizes: [2 * MiB, 1 * GiB],
    maxBuddySize: 4 * MiB,
    mmoRule: 'ppc64MemmapOnMemory',
    archSupportsMmo: pmdAligned,
    vmemmapBase: '0xc00c000000000000',
    vmemmapNote: 'Radix vmemmap base',
  },
  // Hash MMU pageblock of 16 MiB is unverified (reference §13.3); it never matters here because
  // memmap_on_memory needs Radix.
  'ppc64-hash-64k': {
    ...pseries,
    id: 'ppc64-hash-64k',
    label: 'ppc64 pseries, Hash MMU, 64K pages',
    pageSize: 64 * KiB,
    pmdSize: 16 * MiB,
    pageblockSize: 16 * MiB,
    hugePageSizes: [16 * MiB, 16 * GiB],
    maxBuddySize: 16 * MiB,
    mmoRule: null,
    archSupportsMmo: () => false,
    vmemmapBase: '0xf000000000000000',
    vmemmapNote: 'Hash MMU vmemmap region (approximate)',
  },
  // s390: the newest form; archFor() gives 256 MiB sections before 6.13. memmap_on_memory
  // since 6.9 (see kernel/versions.ts).
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
    mmoRule: 's390MemmapOnMemory',
    archSupportsMmo: pmdAligned,
    hotplugRule: null,
    vmemmapBasePages: false,
    accessibleAtAdd: false,
    vmemmapBase: null,
    vmemmapNote: 's390 places the vmemmap at boot, after the identity mapping',
    caller: 'sclp',
  },
  // riscv64: memory hotplug and memmap_on_memory both arrived in 6.11.
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
    mmoRule: 'riscvHotplug',
    archSupportsMmo: pmdAligned,
    hotplugRule: 'riscvHotplug',
    vmemmapBasePages: false,
    accessibleAtAdd: true,
    vmemmapBase: '0xffff8d8000000000',
    vmemmapNote: 'Sv48 VMEMMAP_START (approximate)',
    caller: 'acpi',
  },
};
