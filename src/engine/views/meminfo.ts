/**
 * /proc/meminfo of a 6.12 kernel (fs/proc/meminfo.c meminfo_proc_show, mm/hugetlb.c
 * hugetlb_report_meminfo, the arch's arch_report_meminfo), with the configuration of Debian's
 * 6.12 kernels: ZSWAP, MEMORY_FAILURE, TRANSPARENT_HUGEPAGE and CMA on everywhere,
 * UNACCEPTED_MEMORY on x86, no HIGHMEM. Every field is printed in the kernel's order and layout
 * (show_val_kb: a 16-character label, the value right-aligned in 8, " kB"); fields the engine
 * does not model read 0, and `modelled` names the ones that carry its figures.
 *
 * MemTotal and MemFree are sums over zones (totalram_pages is the sum of managed pages, free
 * pages exclude huge pages in pools), as si_meminfo() reads them.
 */
import type { Machine } from '../model/machine.ts';

type Layout = 'kb' | 'pages5' | 'kb5';
interface Field {
  label: string;
  layout: Layout;
}

const kb = (label: string): Field => ({ label, layout: 'kb' });

const HEAD = [
  'MemTotal',
  'MemFree',
  'MemAvailable',
  'Buffers',
  'Cached',
  'SwapCached',
  'Active',
  'Inactive',
  'Active(anon)',
  'Inactive(anon)',
  'Active(file)',
  'Inactive(file)',
  'Unevictable',
  'Mlocked',
  'SwapTotal',
  'SwapFree',
  'Zswap',
  'Zswapped',
  'Dirty',
  'Writeback',
  'AnonPages',
  'Mapped',
  'Shmem',
  'KReclaimable',
  'Slab',
  'SReclaimable',
  'SUnreclaim',
  'KernelStack',
  'PageTables',
  'SecPageTables',
  'NFS_Unstable',
  'Bounce',
  'WritebackTmp',
  'CommitLimit',
  'Committed_AS',
  'VmallocTotal',
  'VmallocUsed',
  'VmallocChunk',
  'Percpu',
].map(kb);

const THP_CMA = [
  'AnonHugePages',
  'ShmemHugePages',
  'ShmemPmdMapped',
  'FileHugePages',
  'FilePmdMapped',
  'CmaTotal',
  'CmaFree',
].map(kb);

const HUGETLB: Field[] = [
  { label: 'HugePages_Total', layout: 'pages5' },
  { label: 'HugePages_Free', layout: 'pages5' },
  { label: 'HugePages_Rsvd', layout: 'pages5' },
  { label: 'HugePages_Surp', layout: 'pages5' },
  kb('Hugepagesize'),
  kb('Hugetlb'),
];

/** arch_report_meminfo(): x86 (arch/x86/mm/pat/set_memory.c, gbpages on) and Radix ppc64. */
function archTail(arch: string): Field[] {
  if (arch.startsWith('x86')) return ['DirectMap4k', 'DirectMap2M', 'DirectMap1G'].map(kb);
  if (arch.startsWith('ppc64-radix'))
    return ['DirectMap4k', 'DirectMap64k', 'DirectMap2M', 'DirectMap1G'].map(kb);
  return [];
}

export function meminfoFields(arch: string): Field[] {
  return [
    ...HEAD,
    { label: 'HardwareCorrupted', layout: 'kb5' },
    ...THP_CMA,
    ...(arch.startsWith('x86') ? [kb('Unaccepted')] : []),
    ...HUGETLB,
    ...archTail(arch),
  ];
}

/** One line exactly as the kernel's format strings lay it out. */
export function meminfoLine(label: string, layout: Layout, value: number): string {
  const name = `${label}:`;
  if (layout === 'pages5') return `${name.padEnd(19)}${String(value).padStart(5)}`;
  if (layout === 'kb5') return `${name} ${String(value).padStart(5)} kB`;
  return `${name.padEnd(16)}${String(value).padStart(8)} kB`;
}

export const MEMINFO_MODELLED = [
  'MemTotal',
  'MemFree',
  'HugePages_Total',
  'HugePages_Free',
  'HugePages_Rsvd',
  'HugePages_Surp',
  'Hugepagesize',
  'Hugetlb',
];

/** The default hstate: the PMD-sized page where the arch has one, as HPAGE_SIZE. */
function defaultHugePageBytes(machine: Machine): number {
  const sizes = machine.spec.hugePageSizes;
  return sizes.includes(machine.spec.pmdSize) ? machine.spec.pmdSize : (sizes[0] ?? 0);
}

function meminfoValues(machine: Machine): Map<string, number> {
  const kib = machine.pageSize / 1024;
  let managedPages = 0;
  let freePages = 0;
  for (const zone of machine.zones()) {
    managedPages += zone.managedPages;
    freePages += zone.freePages;
  }
  const defaultBytes = defaultHugePageBytes(machine);
  let defaultCount = 0;
  let hugetlbBytes = 0;
  for (const pool of machine.pools.values()) {
    const count = machine.poolCount(pool.pageSize, pool.node);
    hugetlbBytes += count * pool.pageSize;
    if (pool.pageSize === defaultBytes) defaultCount += count;
  }
  return new Map([
    ['MemTotal', managedPages * kib],
    ['MemFree', freePages * kib],
    // No user of huge pages is modelled: every pooled page is free, none reserved or surplus.
    ['HugePages_Total', defaultCount],
    ['HugePages_Free', defaultCount],
    ['HugePages_Rsvd', 0],
    ['HugePages_Surp', 0],
    ['Hugepagesize', defaultBytes / 1024],
    ['Hugetlb', hugetlbBytes / 1024],
  ]);
}

export function meminfoText(machine: Machine): string {
  const values = meminfoValues(machine);
  const lines = meminfoFields(machine.spec.id).map((field) =>
    meminfoLine(field.label, field.layout, values.get(field.label) ?? 0),
  );
  return `${lines.join('\n')}\n`;
}
