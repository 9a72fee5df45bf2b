/**
 * Kernel versions and the one table of when each modelled rule arrived.
 *
 * A scenario may name a `kernelVersion` ("6.12"); every version-dependent rule asks this table,
 * and the era (the old, coarse input) is derived from the version. Without a version, each era
 * stands for a representative version (the ones the oracle recorded where there is one), so old
 * scenarios behave as they always did. Commit ids are from the kernel trees and LKML threads
 * read for these rules (docs/kernel-versions.md lists the evidence); where only a posting date
 * dates a change, the table says so.
 */
import type { Era } from '../arch.ts';

export interface Version {
  major: number;
  minor: number;
}

/** Releases the model accepts: 4.13 (the 2017 RFC's base) to mainline. */
const LAST_MINOR: Record<number, number> = { 4: 20, 5: 19, 6: 19, 7: 4 };
export const OLDEST = '4.13';
export const NEWEST = '7.4';
/** The newest tree the rules were read from; later versions follow its rules. */
export const NEWEST_READ = '6.18';

export function parseVersion(text: string): Version | null {
  const match = /^(\d+)\.(\d+)$/.exec(text.trim());
  if (!match) return null;
  const major = Number(match[1]);
  const minor = Number(match[2]);
  const last = LAST_MINOR[major];
  if (last === undefined || minor > last) return null;
  if (major === 4 && minor < 13) return null;
  return { major, minor };
}

export const versionText = (v: Version) => `${v.major}.${v.minor}`;

const order = (v: Version) => v.major * 100 + v.minor;

export function atLeast(version: Version, since: string): boolean {
  const other = parseVersion(since);
  if (!other) throw new Error(`not a version: ${since}`);
  return order(version) >= order(other);
}

/** The era a version belongs to (the RFC eras are 4.13 plus patches, never a release). */
export function eraOf(version: Version): Exclude<Era, 'RFC1' | 'RFC2'> {
  if (!atLeast(version, '5.13')) return 'LEGACY';
  if (!atLeast(version, '6.6')) return 'U1';
  if (!atLeast(version, '6.8')) return 'U2';
  return 'U3';
}

/** What each era means when no version is named: the behaviour the explorer always had. */
export const ERA_VERSION: Record<Era, string> = {
  LEGACY: '5.12',
  RFC1: '4.13',
  RFC2: '4.13',
  U1: '6.1',
  U2: '6.6',
  U3: '6.12',
};

export interface Rule {
  /** A few words for a version list ("memmap_on_memory=force"). */
  short: string;
  since: string;
  /** Commit (abbreviated) and title, or the evidence where no commit was found. */
  commit: string;
  what: string;
}

/**
 * When each modelled behaviour arrived. Tests check each rule on both sides of its version;
 * the engine asks `has(version, id)`.
 */
export const RULES = {
  x86BlockEndAligned: {
    short: 'x86 block size from the end of boot memory',
    since: '4.17',
    commit:
      '078eb6aa50dc (unverified id) x86/mm/memory_hotplug: determine block size based on the end of boot memory',
    what: 'x86 boot memory ending at or above 64 GiB: the largest power of two up to 2 GiB dividing its end (before: 2 GiB)',
  },
  x86BlockBareMetalMax: {
    short: 'x86 bare metal: 2 GiB blocks',
    since: '5.9',
    commit: 'fe124c95df9e x86/mm: use max memory block size on bare metal',
    what: 'x86 bare metal with 64 GiB or more: always 2 GiB blocks',
  },
  arm64Hotplug: {
    short: 'arm64 memory hotplug',
    since: '5.0',
    commit: '4ab215061554 arm64: Add memory hotplug support',
    what: 'memory hotplug on arm64',
  },
  kmem: {
    short: 'dax/kmem',
    since: '5.1',
    commit: 'c221c0b0308f device-dax: "Hotplug" persistent memory for use like normal RAM',
    what: 'dax/kmem: a devdax device as System RAM',
  },
  zoneDeviceSpanKept: {
    short: 'ZONE_DEVICE span kept',
    since: '5.5',
    commit: 'David Hildenbrand, "mm/memory_hotplug: don\'t shrink ZONE_DEVICE" (id unverified)',
    what: 'ZONE_DEVICE zone spans are never shrunk when a device goes away',
  },
  virtioMem: {
    short: 'virtio-mem',
    since: '5.8',
    commit: '5f1f79bbc9e2 virtio-mem: Paravirtualized memory hotplug',
    what: 'the virtio-mem driver',
  },
  arm64SmallSections: {
    short: 'arm64 128 MiB sections',
    since: '5.12',
    commit: 'f0b13ee23241 arm64/sparsemem: reduce SECTION_SIZE_BITS',
    what: 'arm64 sections (and blocks) of 128 MiB (4K, 16K pages) or 512 MiB (64K); 1 GiB before',
  },
  memmapOnMemory: {
    short: 'memmap_on_memory',
    since: '5.13',
    commit: 'a08a2ae34613 mm,memory_hotplug: allocate memmap from the added memory range',
    what: 'memory_hotplug.memmap_on_memory (x86_64, arm64; ACPI), one block per request',
  },
  hvo: {
    short: 'hugetlb_free_vmemmap',
    since: '5.14',
    commit:
      '6e02c46b4d97 mm: memory_hotplug: override memmap_on_memory when hugetlb_free_vmemmap=on',
    what: 'hugetlb_free_vmemmap (HVO); it switches memmap_on_memory off',
  },
  autoMovable: {
    short: 'online_policy=auto-movable',
    since: '5.15',
    commit:
      'e83a437faa62 mm/memory_hotplug: introduce "auto-movable" online policy (with memory groups, 028fc57a1c36)',
    what: 'memory_hotplug.online_policy=auto-movable and memory groups',
  },
  daxVmemmapDedup: {
    short: 'devdax vmemmap dedup',
    since: '5.18',
    commit: '4917f55b4ef9 mm/sparse-vmemmap: improve memory savings for compound devmaps',
    what: 'devdax compound pages keep 2 vmemmap pages each (no altmap)',
  },
  daxDedupGated: {
    short: 'dax dedup needs the arch',
    since: '6.4',
    commit: '87a7ae75d738 mm/vmemmap/devdax: fix kernel crash when probing devdax devices',
    what: 'the devdax vmemmap savings only where the arch opts in (vmemmap_can_optimize)',
  },
  hvoWithMemmapOnMemory: {
    short: 'HVO with memmap_on_memory',
    since: '6.0',
    commit:
      '66361095129b mm: memory_hotplug: make hugetlb_optimize_vmemmap compatible with memmap_on_memory',
    what: 'HVO and memmap_on_memory together; HVO skips self-hosted vmemmap',
  },
  offnodeWarnOnce: {
    short: 'off-node warning once',
    since: '6.0',
    commit: 'abd62377c006 mm: Limit warning message in vmemmap_verify() to once',
    what: '"potential offnode page_structs" printed once (before: for every page)',
  },
  memmapOnMemoryForce: {
    short: 'memmap_on_memory=force',
    since: '6.6',
    commit:
      '2d1f649c7c08 mm/memory_hotplug: support memmap_on_memory when memmap is not aligned to pageblocks (+ e3c2bfdd33a3 fallback, 85a2b4b08f20 arch override, 1a8c64e11043 altmap in the block)',
    what: 'memmap_on_memory=force, the arch override, the silent fallback, the waste line at boot',
  },
  ppc64MemmapOnMemory: {
    short: 'ppc64 memmap_on_memory',
    since: '6.6',
    commit: '603fd64dfa45 powerpc/book3s64/memhotplug: enable memmap on memory for radix',
    what: 'memmap_on_memory on ppc64 Radix; pseries DLPAR passes the flag',
  },
  ppc64DaxDedup: {
    short: 'ppc64 dax dedup',
    since: '6.6',
    commit: 'ARCH_WANT_OPTIMIZE_DAX_VMEMMAP split (Aneesh Kumar K.V, id unverified)',
    what: 'devdax vmemmap savings on ppc64 Radix',
  },
  memmapOnMemorySplit: {
    short: 'memmap_on_memory per block',
    since: '6.8',
    commit: '6b8f0798b85a mm/memory_hotplug: split memmap_on_memory requests across memblocks',
    what: 'requests of many blocks get one altmap per block',
  },
  kmemMemmapOnMemory: {
    short: 'dax/kmem memmap_on_memory',
    since: '6.8',
    commit: '4eca0ef49af9 dax/kmem: allow kmem to add memory with memmap_on_memory',
    what: 'dax/kmem passes MHP_MEMMAP_ON_MEMORY when the device asks (CXL on, pmem off by default)',
  },
  daxMemmapKnob: {
    short: 'dax memmap_on_memory knob',
    since: '6.9',
    commit:
      '73954d379efd dax: add a sysfs knob to control memmap_on_memory behavior (the ABI file says v6.8)',
    what: 'daxX.Y/memmap_on_memory, refused with EOPNOTSUPP when the global switch is off',
  },
  s390MemmapOnMemory: {
    short: 's390 memmap_on_memory',
    since: '6.9',
    commit: '9eda317c15ff s390: enable MHP_MEMMAP_ON_MEMORY',
    what: 'memmap_on_memory for s390 standby memory (initialised at online)',
  },
  riscvHotplug: {
    short: 'riscv memory hotplug',
    since: '6.11',
    commit:
      'f8c2a240556e (linux-next id) riscv: Enable memory hotplugging for RISC-V; memmap_on_memory and DAX savings in the same release',
    what: 'memory hotplug and memmap_on_memory on riscv64',
  },
  s390SmallSections: {
    short: 's390 128 MiB sections',
    since: '6.13',
    commit: 'David Hildenbrand, "s390/sparsemem: reduce section size to 128 MiB" (id unverified)',
    what: 's390 sections of 128 MiB (256 MiB before)',
  },
} as const satisfies Record<string, Rule>;

export type RuleId = keyof typeof RULES;

export function has(version: Version, rule: RuleId): boolean {
  return atLeast(version, RULES[rule].since);
}

/** Versions worth offering: each LTS, and each version where a modelled rule changed. */
export const LTS = ['4.14', '4.19', '5.4', '5.10', '5.15', '6.1', '6.6', '6.12'] as const;

export function notableVersions(): string[] {
  const set = new Set<string>([
    OLDEST,
    ...LTS,
    ...Object.values(RULES).map((rule) => rule.since),
    NEWEST_READ,
  ]);
  return [...set]
    .map((text) => parseVersion(text)!)
    .sort((a, b) => order(a) - order(b))
    .map(versionText);
}
