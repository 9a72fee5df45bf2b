/** The benchmark machines of the engine issue, as scenarios. */
const TiB = 1024 ** 4;
const GiB = 1024 ** 3;

/** (a) a 4 GiB VM (q35 layout) with one hot-add. */
export function smallVm() {
  return {
    version: 1,
    title: 'bench (a): 4 GiB VM, one 4 GiB hot-add',
    machine: {
      nodes: [
        {
          id: 0,
          ram: [
            { start: 0, size: '2G' },
            { start: '4G', size: '2G' },
          ],
        },
      ],
    },
    kernel: { bootUsed: { 0: '64M' } },
    events: [
      { op: 'add', size: '4G' },
      { op: 'online' },
      { op: 'hugetlb', pageSize: '1G', count: 4 },
    ],
  };
}

/** Nodes with boot RAM side by side, then `adds` hot-adds spread round-robin over the nodes. */
function bigMachine(
  title: string,
  arch: string,
  nodes: number,
  bootPerNode: number,
  adds: number,
  addSize: number,
  hugeCount: number,
  memmapOnMemory: string,
) {
  const bootEnd = nodes * bootPerNode;
  return {
    version: 1,
    title,
    arch,
    machine: {
      virtual: false,
      nodes: Array.from({ length: nodes }, (_, id) => ({
        id,
        ram: [{ start: id * bootPerNode, size: bootPerNode }],
      })),
      hotpluggable: Array.from({ length: nodes }, (_, id) => ({
        start: bootEnd + id * (adds / nodes) * addSize,
        size: (adds / nodes) * addSize,
        node: id,
      })),
    },
    kernel: {
      memmapOnMemory,
      bootUsed: Object.fromEntries(Array.from({ length: nodes }, (_, id) => [id, '1G'])),
    },
    events: [
      ...Array.from({ length: adds }, (_, i) => ({
        op: 'add',
        size: addSize,
        start: bootEnd + i * addSize,
      })),
      { op: 'online' },
      { op: 'hugetlb', pageSize: '1G', count: hugeCount },
    ],
  };
}

/** (b) the largest x86_64 4-level machine: 64 TiB over 16 nodes, 32 TiB at boot, 256 hot-adds of 128 GiB. */
export function x86Max(memmapOnMemory = 'off') {
  return bigMachine(
    'bench (b): 64 TiB over 16 nodes, 256 hot-adds',
    'x86_64',
    16,
    2 * TiB,
    256,
    128 * GiB,
    32 * 1024,
    memmapOnMemory,
  );
}

/** (c) x86_64-5level: 2 PiB over 64 nodes (1 PiB at boot), 512 hot-adds of 2 TiB, a million 1 GiB pages. */
export function fiveLevel(memmapOnMemory = 'off') {
  return bigMachine(
    'bench (c): 2 PiB over 64 nodes, 512 hot-adds of 2 TiB',
    'x86_64-5level',
    64,
    16 * TiB,
    512,
    2 * TiB,
    1_000_000,
    memmapOnMemory,
  );
}

/**
 * (d) one 2 PiB add with memmap_on_memory on (x86_64-5level, bare metal: 2 GiB blocks), onlined,
 * then 3,000,000 1 GiB pages: a single event that used to leave a record per block.
 */
export function onePiBAdd() {
  return {
    version: 1,
    title: 'bench (d): one 2 PiB add with memmap_on_memory, 3,000,000 1 GiB pages',
    arch: 'x86_64-5level',
    machine: { virtual: false, nodes: [{ id: 0, ram: [{ start: 0, size: '64G' }] }] },
    kernel: { memmapOnMemory: 'on', bootUsed: { 0: '1G' } },
    events: [
      { op: 'add', start: '64G', size: 2 * 1024 * TiB },
      { op: 'online' },
      { op: 'hugetlb', pageSize: '1G', count: 3_000_000 },
    ],
  };
}
