import type { ScenarioInput } from '../engine/scenario/schema.ts';

/**
 * What a bare page address opens: a two-node VM hot-adding an 8 GiB DIMM to node 1 with
 * memmap_on_memory on. One toggle away from each point of the 2017 thread: memmap_on_memory
 * (where the struct pages land, and the 1 GiB pages it costs), movable_node (node 1 loses its
 * kernel zones and the memmap goes off-node), the era (RFC packing, 5.13's one-block rule).
 */
export const DEFAULT_SCENARIO: ScenarioInput = {
  version: 1,
  title: '8 GiB DIMM hot-added to node 1 of a 6 GiB VM',
  arch: 'x86_64',
  era: 'U3',
  machine: {
    virtual: true,
    blockSize: 'auto',
    nodes: [
      {
        id: 0,
        ram: [
          { start: 0, size: '2G' },
          { start: '4G', size: '2G' },
        ],
      },
      { id: 1, ram: [{ start: '6G', size: '2G' }] },
    ],
    hotpluggable: [{ start: '6G', size: '58G', node: 1 }],
  },
  kernel: {
    memmapOnMemory: 'on',
    movableNode: false,
    onlinePolicy: 'contig-zones',
    autoOnline: 'offline',
    bootUsed: { 0: '64M', 1: '16M' },
  },
  events: [
    { op: 'add', size: '8G', node: 1, label: 'ACPI DIMM, 8 GiB, node 1' },
    { op: 'online', label: 'udev onlines the new blocks' },
    { op: 'hugetlb', pageSize: '1G', count: 8, node: 1, label: '8 × 1 GiB pages on node 1' },
  ],
};
