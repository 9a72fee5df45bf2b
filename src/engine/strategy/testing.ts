/** The strategy tests' machine: the demo "What the RFC left open" as a scenario to vary. */

/** The demo machine: a 16 GiB q35 VM, one 64 GiB DIMM, onlined, and 64 x 1 GiB asked for. */
export function rfcLeftOpen(strategy?: unknown, kernel: Record<string, unknown> = {}) {
  return {
    version: 1,
    era: 'U3',
    machine: {
      nodes: [
        {
          id: 0,
          ram: [
            { start: 0, size: '2G' },
            { start: '4G', size: '14G' },
          ],
        },
      ],
    },
    kernel: { memmapOnMemory: 'on', bootUsed: { 0: '256M' }, ...kernel, strategy },
    events: [
      { op: 'add', size: '64G' },
      { op: 'online' },
      { op: 'hugetlb', pageSize: '1G', count: 64 },
    ],
  };
}
