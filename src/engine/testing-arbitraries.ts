/**
 * Random small scenarios for the property tests: two nodes, every era and a few arches, every
 * kernel.strategy, and events with explicit addresses so that removes and onlines can name what
 * adds created.
 */
import fc from 'fast-check';
import { GiB } from './units.ts';

const ARCH = fc.constantFrom(
  'x86_64',
  'x86_64',
  'x86_64',
  'arm64-4k',
  'ppc64-radix-64k',
  's390x',
  'x86_64-5level',
);
const ERA = fc.constantFrom('LEGACY', 'RFC1', 'RFC2', 'U1', 'U2', 'U3');
const HALF_GIB = 512 * 1024 ** 2;
/** kernel.strategy: absent (the kernel's own) half of the time, else one of the what-ifs. */
const STRATEGY = fc.oneof(
  { weight: 4, arbitrary: fc.constant(undefined) },
  { weight: 1, arbitrary: fc.constant({ kind: 'ram' }) },
  {
    weight: 1,
    arbitrary: fc
      .constantFrom('1G', '2G', '4G')
      .map((blockSize) => ({ kind: 'bigger-blocks', blockSize })),
  },
  { weight: 1, arbitrary: fc.constant({ kind: 'node-hosts' }) },
  {
    weight: 1,
    arbitrary: fc
      .integer({ min: 2, max: 24 })
      .map((groupBlocks) => ({ kind: 'group', groupBlocks })),
  },
);

/** Events with explicit addresses so that removes and onlines can name what adds created. */
function eventArb(index: number) {
  const base = 64 * GiB + index * 32 * GiB;
  return fc.oneof(
    {
      weight: 4,
      arbitrary: fc.record({
        op: fc.constant('add'),
        start: fc.constant(base),
        size: fc.integer({ min: 1, max: 16 }).map((k) => k * HALF_GIB),
        node: fc.integer({ min: 0, max: 1 }),
        via: fc.constantFrom('acpi', 'acpi', 'hv-balloon', 'virtio-mem', 'xen-balloon'),
      }),
    },
    {
      weight: 3,
      arbitrary: fc.record({
        op: fc.constant('online'),
        as: fc.constantFrom('online', 'online_kernel', 'online_movable'),
      }),
    },
    { weight: 1, arbitrary: fc.constant({ op: 'offline' }) },
    {
      // Part of an earlier add: a host block there may have to stay online.
      weight: 1,
      arbitrary: fc
        .integer({ min: 0, max: index })
        .map((k) => ({ op: 'offline', start: 64 * GiB + k * 32 * GiB, size: HALF_GIB * 2 })),
    },
    {
      weight: 1,
      arbitrary: fc
        .integer({ min: 0, max: index })
        .map((k) => ({ op: 'remove', start: 64 * GiB + k * 32 * GiB, size: HALF_GIB * 2 })),
    },
    {
      weight: 2,
      arbitrary: fc.record({
        op: fc.constant('hugetlb'),
        pageSize: fc.constant('2M'),
        count: fc.integer({ min: 0, max: 6000 }),
        node: fc.option(fc.integer({ min: 0, max: 1 }), { nil: undefined }),
      }),
    },
    {
      weight: 2,
      arbitrary: fc.record({
        op: fc.constant('hugetlb'),
        pageSize: fc.constant('1G'),
        count: fc.integer({ min: 0, max: 20 }),
      }),
    },
    {
      weight: 1,
      arbitrary: fc.record({
        op: fc.constant('consume'),
        size: fc.integer({ min: 1, max: 600 }).map((m) => m * 1024 ** 2),
      }),
    },
    {
      weight: 1,
      arbitrary: fc.record({
        op: fc.constant('pmem'),
        start: fc.constant(base + 16 * GiB),
        size: fc.integer({ min: 1, max: 8 }).map((k) => k * HALF_GIB),
        node: fc.constant(0),
        map: fc.constantFrom('dev', 'mem'),
      }),
    },
    {
      weight: 1,
      arbitrary: fc.record({
        op: fc.constant('device-private'),
        size: fc.integer({ min: 1, max: 8 }).map((k) => k * HALF_GIB),
      }),
    },
  );
}

export const scenarioArb = fc
  .record({
    arch: ARCH,
    era: ERA,
    bootGiB: fc.integer({ min: 1, max: 8 }),
    node1GiB: fc.integer({ min: 0, max: 4 }),
    memmapOnMemory: fc.constantFrom('off', 'on', 'force'),
    movableNode: fc.boolean(),
    onlinePolicy: fc.constantFrom('contig-zones', 'auto-movable'),
    autoOnline: fc.constantFrom('offline', 'online', 'online_movable'),
    hvo: fc.boolean(),
    bootUsed: fc.constantFrom(0, 32, 256),
    eventCount: fc.integer({ min: 0, max: 9 }),
    strategy: STRATEGY,
  })
  .chain((base) =>
    fc.tuple(...Array.from({ length: base.eventCount }, (_, i) => eventArb(i))).map((events) => {
      const hugeOk =
        base.arch.startsWith('x86') ||
        base.arch === 'arm64-4k' ||
        base.arch.startsWith('ppc64-radix');
      return {
        version: 1,
        arch: base.arch,
        era: base.era,
        machine: {
          nodes: [
            { id: 0, ram: [{ start: 0, size: `${base.bootGiB}G` }] },
            { id: 1, ram: base.node1GiB ? [{ start: '32G', size: `${base.node1GiB}G` }] : [] },
          ],
          hotpluggable: [{ start: '32G', size: '4T', node: 1 }],
        },
        kernel: {
          memmapOnMemory: base.memmapOnMemory,
          movableNode: base.movableNode,
          onlinePolicy: base.onlinePolicy,
          autoOnline: base.autoOnline,
          hvo: base.hvo,
          bootUsed: base.bootUsed ? { 0: `${base.bootUsed}M` } : {},
          ...(base.strategy ? { strategy: base.strategy } : {}),
        },
        events: events
          .filter((event) => hugeOk || event.op !== 'hugetlb')
          .map((event) =>
            base.arch === 'ppc64-radix-64k' && event.op === 'add'
              ? { ...event, via: 'dlpar' }
              : event,
          ),
      };
    }),
  );
