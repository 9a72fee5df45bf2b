/**
 * JIT warm-up: shortly after its first answer the worker runs a few mid-sized scenarios in idle
 * slices, so that the first big change the user makes (memmap_on_memory on a 64 TiB machine, say)
 * runs optimised code instead of cold code (measured: 274 ms cold, 109 ms warm). Each slice is one
 * small simulation; a request that arrives meanwhile is served between slices.
 */
const TiB = 1024 ** 4;
const GiB = 1024 ** 3;

function machine(memmapOnMemory: string, blockGiB: number, adds: number) {
  return {
    version: 1,
    machine: {
      virtual: false,
      blockSize: `${blockGiB}G`,
      nodes: Array.from({ length: 4 }, (_, id) => ({ id, ram: [{ start: id * TiB, size: TiB }] })),
      hotpluggable: [{ start: 4 * TiB, size: 4 * TiB, node: 3 }],
    },
    kernel: { memmapOnMemory, bootUsed: { 0: '1G', 1: '1G' } },
    events: [
      ...Array.from({ length: adds }, (_, i) => ({
        op: 'add',
        size: 64 * GiB,
        start: 4 * TiB + i * 64 * GiB,
        node: i % 4,
      })),
      { op: 'online' },
      { op: 'hugetlb', pageSize: '1G', count: 4096 },
      { op: 'hugetlb', pageSize: '2M', count: 100_000 },
      { op: 'offline', start: 4 * TiB, size: 64 * GiB },
      { op: 'remove', start: 4 * TiB, size: 64 * GiB },
    ],
  };
}

export const WARMUP_SCENARIOS: unknown[] = [
  machine('on', 2, 24),
  machine('off', 2, 24),
  machine('on', 1, 8),
  machine('on', 2, 24),
  machine('off', 2, 24),
  machine('on', 1, 16),
];
