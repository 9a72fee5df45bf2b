import { describe, expect, it } from 'vitest';
import { validateScenario } from '../engine/scenario/validate.ts';
import { simulate } from '../engine/simulate.ts';
import { GiB } from '../engine/units.ts';
import { formatProblem, importMachine } from './index.ts';
import { fixture, lastZones } from './testing.fixtures.ts';

const imported = (...texts: string[]) => importMachine(texts.map((text) => ({ text })));

/** Every block of the engine's final state: "id state node zone". */
function finalBlocks(scenario: unknown): string[] {
  const outcome = simulate(scenario);
  if (!outcome.ok) throw new Error(outcome.errors.map((e) => e.message).join('; '));
  return outcome.result.final.blocks.flatMap((run) =>
    Array.from(
      { length: run.count },
      (_, i) => `${run.firstBlock + i} ${run.state} ${run.node} ${run.zone}`,
    ),
  );
}

describe('combining pastes into a scenario', () => {
  it('lsmem -a gives blocks and nodes, numactl the node list: hot-added memory becomes events', () => {
    const result = imported(fixture('lsmem-all-2node.txt'), fixture('numactl-2node.txt'));
    expect(result.problems).toEqual([]);
    expect(result.scenario).toMatchObject({
      arch: 'x86_64',
      machine: {
        blockSize: '128M',
        nodes: [
          { id: 0, ram: [{ start: 0, size: '2G' }] },
          { id: 1, ram: [] },
        ],
      },
      events: [
        { op: 'add', start: '4G', size: '4G', node: 1 },
        { op: 'online', start: '4G', size: '2G', as: 'online_movable' },
      ],
    });
    expect(validateScenario(result.scenario).ok).toBe(true);
    expect(result.notes.join('\n')).toMatch(
      /hot-added after boot: everything from 4 GiB \(the first sign: ZONE_MOVABLE blocks/,
    );
    const blocks = finalBlocks(result.scenario);
    expect(blocks.filter((b) => b.endsWith('1 Movable'))).toHaveLength(16);
    expect(blocks.filter((b) => b.includes('offline 1'))).toHaveLength(16);
  });

  it('overlays lsmem default output (states) with a sysfs listing (nodes, zones, settings)', () => {
    const result = imported(fixture('lsmem-default-2node.txt') + fixture('sysfs-grep-2node.txt'));
    expect(result.problems).toEqual([]);
    expect(result.parts.map((p) => p.format)).toEqual(['lsmem', 'sysfs']);
    expect(result.scenario?.kernel).toEqual({ memmapOnMemory: 'on', autoOnline: 'offline' });
    expect(result.scenario?.events).toEqual(
      imported(fixture('lsmem-all-2node.txt')).scenario?.events,
    );
  });

  it('reports pastes that disagree, naming the block and both sources', () => {
    const sysfs = fixture('sysfs-grep-2node.txt').replace(
      'memory50/state:offline',
      'memory50/state:online',
    );
    const result = imported(fixture('lsmem-default-2node.txt'), sysfs);
    expect(result.problems.map(formatProblem)).toEqual([
      'line 31: block 50 (at 6400 MiB): sysfs says state online, lsmem says offline; lsmem is used',
    ]);
    const wrongSize = fixture('sysfs-grep-2node.txt').replace(
      'block_size_bytes:8000000',
      'block_size_bytes:10000000',
    );
    expect(
      imported(fixture('lsmem-all-2node.txt'), wrongSize).problems.map(formatProblem),
    ).toContainEqual(
      'block_size_bytes says the block size is 256M, lsmem says 128M; 256M is used (are the pastes from one machine?)',
    );
  });

  it('builds RAM from zoneinfo alone, holes placed so the engine spans the zones as the kernel did', () => {
    const result = imported(fixture('zoneinfo-2node.txt'));
    expect(result.problems).toEqual([]);
    expect(result.notes.join('\n')).toMatch(
      /97 of its 4095 pages are holes that zoneinfo does not place/,
    );
    const outcome = simulate(result.scenario);
    if (!outcome.ok) throw new Error('invalid');
    expect(
      lastZones(outcome.result).map((z) => [
        z.node,
        z.zone,
        z.spannedPages,
        z.presentPages,
        z.startPfn,
      ]),
    ).toEqual([
      [0, 'DMA', 4095, 3998, 1],
      [0, 'DMA32', 520160, 520160, 4096],
      [1, 'Movable', 524288, 524288, 1048576],
    ]);
  });

  it('lays nodes end to end from numactl alone, with the distances that are not the default', () => {
    const text = fixture('numactl-2node.txt')
      .replace('  0:  10  20', '  0:  10  21')
      .replace('  1:  20  10', '  1:  21  10');
    const result = imported(text);
    expect(result.scenario?.machine?.nodes).toEqual([
      { id: 0, ram: [{ start: 0, size: '1920M' }], distance: { 1: 21 } },
      { id: 1, ram: [{ start: '1920M', size: '2G' }], distance: { 0: 21 } },
    ]);
    expect(result.notes.join('\n')).toMatch(
      /no addresses: the nodes' RAM is laid end to end from 0/,
    );
  });

  it('takes a boot end from the caller: online Normal memory above it becomes add + online_kernel', () => {
    const text = fixture('mom-node0.onlined.txt');
    expect(imported(text).scenario?.events).toEqual([]);
    const told = importMachine([{ text }], { bootEnd: 4 * GiB });
    expect(told.scenario?.events).toEqual([
      { op: 'add', start: '4G', size: '4G', node: 0 },
      { op: 'online', start: '4G', size: '4G', as: 'online_kernel' },
    ]);
  });

  it('keeps an offline block among boot RAM as boot RAM and offlines it after boot', () => {
    const text = fixture('mom-node0.boot.txt').replace(
      'block 5 00000005 online node0 DMA32',
      'block 5 00000005 offline node0 DMA32',
    );
    const result = imported(text);
    expect(result.scenario?.events).toEqual([{ op: 'offline', start: '640M', size: '128M' }]);
    expect(finalBlocks(result.scenario)[5]).toBe('5 offline 0 null');
  });

  it('adds kmem memory with the dax device switch that the zone counts show', () => {
    const result = imported(fixture('kmem-mom-node1.onlined.txt'));
    expect(result.scenario?.events).toEqual([
      { op: 'add', start: '4224M', size: '3968M', node: 1, via: 'kmem', memmapOnMemory: true },
      { op: 'online', start: '4224M', size: '3968M', as: 'online_kernel' },
    ]);
  });

  it('splits hot-added memory by device, each add onlining its own part of an online run', () => {
    const blocks = Array.from(
      { length: 32 },
      (_, i) => `block ${32 + i} ${(32 + i).toString(16).padStart(8, '0')} online node1 Normal`,
    );
    const text = [
      'block_size_bytes 134217728',
      'block 0 00000000 online node0 DMA32',
      ...blocks,
      '00000000-07ffffff : System RAM',
      '100000000-17fffffff : dax0.0',
      '  100000000-17fffffff : System RAM (kmem)',
      '180000000-1ffffffff : System RAM',
    ].join('\n');
    expect(imported(text).scenario?.events).toEqual([
      { op: 'add', start: '4G', size: '2G', node: 1, via: 'kmem' },
      { op: 'online', start: '4G', size: '2G', as: 'online_kernel' },
      { op: 'add', start: '6G', size: '2G', node: 1 },
      { op: 'online', start: '6G', size: '2G', as: 'online_kernel' },
    ]);
  });

  it('makes an active pmem namespace a pmem event on the node of its ZONE_DEVICE', () => {
    const iomem = [
      '00001000-0009fbff : System RAM',
      '00100000-7ffdefff : System RAM',
      '100000000-1ffffffff : Persistent Memory',
      '  100000000-1ffffffff : namespace0.0',
    ].join('\n');
    const zones = 'zone 0 DMA32 454249 520159 520159 479718 4096\nzone 0 Device 0 1048576 0 0 -';
    const result = imported(iomem, zones);
    expect(result.scenario?.events).toEqual([
      { op: 'pmem', start: '4G', size: '4G', node: 0, map: 'dev' },
    ]);
    expect(result.notes.join('\n')).toMatch(/--map=dev assumed/);
  });

  it('adds virtio-mem and DLPAR memory through their own callers', () => {
    expect(imported(fixture('vmem-legacy-node1.plugged2g.txt')).scenario?.events?.[0]).toEqual({
      op: 'add',
      start: '4G',
      size: '2G',
      node: 1,
      via: 'virtio-mem',
    });
    expect(imported(fixture('ppc64-mom-force-dlpar.added.txt')).scenario?.events?.[0]).toEqual({
      op: 'add',
      start: '2G',
      size: '8G',
      node: 1,
      via: 'dlpar',
    });
  });

  it('imports nothing from an unprivileged /proc/iomem, and says why', () => {
    const result = imported('00000000-00000000 : Reserved\n00000000-00000000 : System RAM');
    expect(result.scenario).toBeNull();
    expect(result.problems.map(formatProblem).join('\n')).toMatch(/read without root/);
  });

  it('keeps what it could read from a damaged paste, naming the source and line', () => {
    const text = fixture('mom-node0.boot.txt').replace(
      'block 7 00000007 online node0 DMA32',
      'block 7 ?? online',
    );
    const result = importMachine([{ text, source: 'boot.txt' }]);
    expect(result.problems.map(formatProblem)).toEqual([
      'boot.txt: line 19: expected "/sys/devices/system/memory/memory<N>/<attribute>:<value>" or "block <id> <phys_index> <state> node<N> <zones>", got "block 7 ?? online"',
    ]);
    expect(result.scenario?.machine?.nodes?.[0]?.ram).toHaveLength(2);
  });

  it('returns no scenario for an empty paste', () => {
    const result = imported('');
    expect(result.scenario).toBeNull();
    expect(result.problems.map(formatProblem)).toEqual([
      expect.stringMatching(/^nothing to import/),
    ]);
  });
});
