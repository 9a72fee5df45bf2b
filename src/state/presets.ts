/**
 * The demos of the gallery: each point of the 2017 thread and its aftermath as a ready scenario.
 * Each names the summary figure that carries its point (the headline), which the page shows and
 * the tests check against the engine.
 */
import type { ScenarioInput } from '../engine/scenario/schema.ts';
import type { Summary } from '../engine/result.ts';
import type { ViewState } from './view.ts';

const MiB = 2 ** 20;
const GiB = 2 ** 30;

export interface Preset {
  id: string;
  title: string;
  blurb: string;
  scenario: ScenarioInput;
  view?: Partial<ViewState>;
  /** The summary row that carries the point, by its label and field. */
  headline: { term: string; field: keyof Summary };
}

const q35 = (gib: number) => [
  { start: 0, size: '2G' },
  { start: '4G', size: `${gib - 2}G` },
];
const vm = (gib: number, extra: Partial<NonNullable<ScenarioInput['machine']>> = {}) => ({
  nodes: [{ id: 0, ram: q35(gib) }],
  ...extra,
});
const twoNodes = {
  nodes: [
    { id: 0, ram: q35(4) },
    { id: 1, ram: [] },
  ],
  hotpluggable: [{ start: '6G', size: '58G', node: 1 }],
};
const dimm16 = [
  { op: 'add' as const, start: '6G', size: '16G', label: 'one 16 GiB ACPI DIMM' },
  { op: 'online' as const, label: 'udev onlines the blocks' },
];
const oracleMachine = {
  nodes: [
    { id: 0, ram: [{ start: 0, size: '2G' }] },
    { id: 1, ram: [] },
  ],
  hotpluggable: [{ start: '4G', size: '30G', node: 1 }],
};
const oracleEvents = [
  { op: 'add' as const, start: '4G', size: '4G', node: 0, label: 'QEMU pc-dimm, 4 GiB' },
  { op: 'online' as const, label: 'online every new block' },
  { op: 'hugetlb' as const, pageSize: '1G', count: 8, label: 'ask for 8 × 1 GiB' },
];

/** The ballooning pair: a 2 GiB guest with about 300 MiB free is given 32 GiB in one request. */
const balloon = (era: 'LEGACY' | 'U3'): ScenarioInput => ({
  version: 1,
  title: `balloon a tight guest, ${era === 'LEGACY' ? 'memmap in RAM' : 'memmap_on_memory'}`,
  era,
  machine: { nodes: [{ id: 0, ram: [{ start: 0, size: '2G' }] }] },
  kernel: { autoOnline: 'online', ...(era === 'U3' ? { memmapOnMemory: 'on' as const } : {}) },
  events: [
    { op: 'consume', size: '1716M', label: 'the guest is under pressure' },
    { op: 'add', size: '32G', label: 'the host adds 32 GiB' },
  ],
});

/** The HMM pair: 16 GiB of GPU memory through memremap_pages(MEMORY_DEVICE_PRIVATE). */
const hmm = (era: 'RFC1' | 'RFC2'): ScenarioInput => ({
  version: 1,
  title: `device-private 16 GiB, RFC ${era === 'RFC1' ? 'v1' : 'v2'}`,
  era,
  machine: vm(8),
  events: [{ op: 'device-private', size: '16G', label: 'GPU VRAM via HMM' }],
});

export const PRESETS: Preset[] = [
  {
    id: 'rfc-as-posted',
    title: 'The 2017 RFC as posted',
    blurb:
      'RFC v1, one 16 GiB DIMM: the altmap covers the whole request, so its 256 MiB memmap is packed at the start and fills two memory blocks completely.',
    scenario: {
      version: 1,
      title: 'RFC v1: one 16 GiB DIMM',
      era: 'RFC1',
      machine: vm(4),
      kernel: { bootUsed: { 0: '64M' } },
      events: dimm16,
    },
    // No 1 GiB request, but the RFC's cost is the windows: badges on.
    view: { gigantic: true },
    headline: { term: 'Memory blocks all memmap', field: 'blocksAllMemmap' },
  },
  {
    id: 'gigantic-vs-mom',
    title: '1 GiB pages vs memmap on memory',
    blurb:
      'With 128 MiB blocks every 1 GiB window holds eight self-hosted memmaps: 16 possible 1 GiB pages become 0. Switch memmap on memory off to get them back.',
    scenario: {
      version: 1,
      title: '16 GiB DIMM, 128 MiB blocks, memmap_on_memory',
      era: 'U3',
      machine: vm(4),
      kernel: { memmapOnMemory: 'on', bootUsed: { 0: '64M' } },
      events: [
        ...dimm16,
        { op: 'hugetlb', pageSize: '1G', count: 16, label: 'ask for 16 × 1 GiB' },
      ],
    },
    headline: { term: '1 GiB pages possible', field: 'giganticPossible' },
  },
  {
    id: 'two-gib-blocks',
    title: '2 GiB blocks keep one 1 GiB page per block',
    blurb:
      'A VM whose boot RAM ends at 130 GiB gets 2 GiB blocks: each block keeps its 32 MiB memmap in its lower half, and the upper 1 GiB stays whole ("at least one 1G page will be available", RFC v2).',
    scenario: {
      version: 1,
      title: '128 GiB VM, 16 GiB DIMM, 2 GiB blocks',
      era: 'U3',
      machine: vm(128),
      kernel: { memmapOnMemory: 'on', bootUsed: { 0: '1G' } },
      events: [
        { op: 'add', start: '132G', size: '16G', label: 'one 16 GiB ACPI DIMM' },
        { op: 'online' },
        { op: 'hugetlb', pageSize: '1G', count: 16 },
      ],
    },
    // The DIMM's 16 windows: memmap in the lower of each block's two, a page in the upper.
    view: { window: { start: 132 * GiB, end: 148 * GiB } },
    headline: { term: '1 GiB pages possible', field: 'giganticPossible' },
  },
  {
    id: 'movable-node-legacy',
    title: 'movable_node: struct pages off-node (before 5.13)',
    blurb:
      'A memoryless node 1 gets 16 GiB that onlines to ZONE_MOVABLE; GFP_KERNEL cannot use ZONE_MOVABLE, so all 256 MiB of its struct pages come from node 0.',
    scenario: {
      version: 1,
      title: 'movable_node, memmap in RAM',
      era: 'LEGACY',
      machine: twoNodes,
      kernel: { movableNode: true, bootUsed: { 0: '64M' } },
      events: [
        { op: 'add', start: '6G', size: '16G', node: 1, label: 'node 1 DIMM, 16 GiB' },
        { op: 'online' },
      ],
    },
    headline: { term: 'Memmap off-node', field: 'memmapOffNodeBytes' },
  },
  {
    id: 'movable-node-u3',
    title: 'movable_node with memmap on memory: struct pages stay local',
    blurb:
      'The same node 1 DIMM on 6.8+: each block hosts its own memmap, in ZONE_MOVABLE, and node 0 gives nothing.',
    scenario: {
      version: 1,
      title: 'movable_node, memmap_on_memory',
      era: 'U3',
      machine: twoNodes,
      kernel: { movableNode: true, memmapOnMemory: 'on', bootUsed: { 0: '64M' } },
      events: [
        { op: 'add', start: '6G', size: '16G', node: 1, label: 'node 1 DIMM, 16 GiB' },
        { op: 'online' },
      ],
    },
    headline: { term: 'Memmap off-node', field: 'memmapOffNodeBytes' },
  },
  {
    id: 'balloon-legacy',
    title: 'Ballooning: OOM before the memory is online (before 5.13)',
    blurb:
      'A 2 GiB guest with about 300 MiB free is given 32 GiB in one request. Its 512 MiB memmap must come first, from memory that is already short: vmemmap alloc failure.',
    scenario: balloon('LEGACY'),
    headline: { term: 'MemTotal', field: 'memTotal' },
  },
  {
    id: 'balloon-u3',
    title: 'Ballooning with memmap on memory: it just works',
    blurb:
      'The same guest on 6.8+ with memmap_on_memory: the memmap lives in the new memory, nothing is taken from the 300 MiB, and MemTotal grows by 31.5 GiB.',
    scenario: balloon('U3'),
    headline: { term: 'MemTotal', field: 'memTotal' },
  },
  {
    id: 'hmm-rfc1',
    title: 'HMM device-private memory under RFC v1',
    blurb:
      'RFC v1 was not opt-in: memremap_pages() reaches __add_pages() without an altmap, so the memmap would go into GPU memory the CPU cannot touch. Jerome Glisse asked for forbid_altmap.',
    scenario: hmm('RFC1'),
    headline: { term: 'Memmap taken from existing RAM', field: 'memmapFromRamBytes' },
  },
  {
    id: 'hmm-rfc2',
    title: 'HMM device-private memory under RFC v2',
    blurb:
      'RFC v2 made the feature opt-in: device memory never asks, so its 256 MiB memmap stays in system RAM, where the CPU can write it.',
    scenario: hmm('RFC2'),
    headline: { term: 'Memmap taken from existing RAM', field: 'memmapFromRamBytes' },
  },
  {
    id: 'pmem-dev-vs-mem',
    title: 'pmem --map=dev vs --map=mem',
    blurb:
      'Two 16 GiB namespaces: --map=dev reserves 258 MiB on the device for its info block and memmap (through its own altmap); --map=mem takes 256 MiB of system RAM.',
    scenario: {
      version: 1,
      title: 'two 16 GiB pmem namespaces',
      era: 'U3',
      machine: vm(8),
      events: [
        { op: 'pmem', start: '16G', size: '16G', node: 0, map: 'dev', label: 'ndctl --map=dev' },
        { op: 'pmem', start: '32G', size: '16G', node: 0, map: 'mem', label: 'ndctl --map=mem' },
      ],
    },
    // The two namespaces: the altmap reserve at the start of the first, nothing on the second.
    view: { window: { start: 16 * GiB, end: 48 * GiB } },
    headline: { term: 'Memmap on devices', field: 'memmapDeviceBytes' },
  },
  {
    id: 'ppc64-force',
    title: 'ppc64 with 64K pages: force wastes 28 pages per block',
    blurb:
      'A 256 MiB LMB needs 4 pages of memmap, but pageblocks are 32 pages: memmap_on_memory=force reserves 32 and wastes 28 in every block ("Memory hotplug will waste 28 pages in each memory block").',
    scenario: {
      version: 1,
      title: 'pseries Radix 64K, DLPAR 16 GiB, force',
      arch: 'ppc64-radix-64k',
      era: 'U3',
      machine: { nodes: [{ id: 0, ram: [{ start: 0, size: '8G' }] }] },
      kernel: { memmapOnMemory: 'force' },
      events: [
        { op: 'add', size: '16G', via: 'dlpar', label: 'DLPAR adds 64 LMBs' },
        { op: 'online' },
      ],
    },
    // The first 8 pageblocks of the first LMB: in the first, 4 pages of struct pages and 28 of
    // padding; the others free.
    view: { window: { start: 8 * GiB, end: 8 * GiB + 16 * MiB } },
    headline: { term: 'Memmap wasted (force)', field: 'memmapWastedBytes' },
  },
  {
    id: 'cxl-kmem',
    title: 'A CXL expander through dax/kmem',
    blurb:
      "256 GiB of CXL memory on its own node, onlined by dax/kmem with daxX.Y/memmap_on_memory=1 (6.8+): 4 GiB of memmap stays on the expander instead of eating the CPU node's DRAM.",
    scenario: {
      version: 1,
      title: 'CXL 256 GiB via dax/kmem',
      era: 'U3',
      machine: {
        virtual: false,
        nodes: [
          { id: 0, ram: [{ start: 0, size: '128G' }] },
          { id: 1, ram: [] },
        ],
      },
      kernel: { memmapOnMemory: 'on', bootUsed: { 0: '2G' } },
      events: [
        {
          op: 'add',
          start: '256G',
          size: '256G',
          node: 1,
          via: 'kmem',
          memmapOnMemory: true,
          label: 'dax0.0 onlined by kmem',
        },
        { op: 'online', as: 'online_movable' },
      ],
    },
    headline: { term: 'Memmap inside hot-added memory', field: 'memmapSelfHostedBytes' },
  },
  {
    id: 'linux-6.1',
    title: 'Linux 6.1 with one 4 GiB DIMM',
    blurb:
      'Recorded on a real 6.1 kernel: memmap_on_memory=1, yet the 4 GiB DIMM is 32 blocks, and before 6.8 the feature applies only to a one-block request: 64 MiB comes from RAM.',
    scenario: {
      version: 1,
      title: 'Linux 6.1, memmap_on_memory on, 4 GiB DIMM',
      era: 'U1',
      machine: oracleMachine,
      kernel: { memmapOnMemory: 'on', bootUsed: { 0: '32M' } },
      events: oracleEvents,
    },
    headline: { term: 'Memmap taken from existing RAM', field: 'memmapFromRamBytes' },
  },
  {
    id: 'linux-6.12',
    title: 'Linux 6.12 with one 4 GiB DIMM',
    blurb:
      'The same DIMM on a real 6.12 kernel: the request is split per block, each keeps 2 MiB of memmap, nothing comes from RAM, and no 1 GiB page can be formed.',
    scenario: {
      version: 1,
      title: 'Linux 6.12, memmap_on_memory on, 4 GiB DIMM',
      era: 'U3',
      machine: oracleMachine,
      kernel: { memmapOnMemory: 'on', bootUsed: { 0: '32M' } },
      events: oracleEvents,
    },
    headline: { term: 'Memmap taken from existing RAM', field: 'memmapFromRamBytes' },
  },
  {
    id: 'rfc-left-open',
    title: 'What the RFC left open',
    blurb:
      'A 64 GiB hot-add on a 16 GiB VM that wants 1 GiB pages. The kernel keeps 2 MiB of memmap in every 128 MiB block: no 1 GiB page. Switch the strategy to what the 2017 RFC offered: bigger blocks (a), node host blocks (b), RAM (c), or blocks grouped behind one altmap.',
    scenario: {
      version: 1,
      title: '16 GiB VM, 64 GiB hot-add, 1 GiB pages wanted',
      era: 'U3',
      machine: vm(16),
      kernel: { memmapOnMemory: 'on', bootUsed: { 0: '256M' }, strategy: { kind: 'kernel' } },
      events: [
        { op: 'add', size: '64G', label: 'one 64 GiB ACPI DIMM' },
        { op: 'online', label: 'udev onlines the blocks' },
        { op: 'hugetlb', pageSize: '1G', count: 64, label: 'ask for 64 × 1 GiB' },
      ],
    },
    view: { gigantic: true },
    headline: { term: '1 GiB pages possible', field: 'giganticPossible' },
  },
];
