/**
 * The "Real-kernel evidence" of the reference (recordings of 6.1 and 6.12 beyond the oracle
 * cases), one test per finding, on the oracle machine: a 2 GiB QEMU VM, node 1 memoryless.
 */
import { describe, expect, it } from 'vitest';
import { run, step, zoneOf } from './testing.ts';
import { GiB, KiB, MiB } from './units.ts';

const machine = {
  nodes: [
    { id: 0, ram: [{ start: 0, size: '2G' }] },
    { id: 1, ram: [] },
  ],
  hotpluggable: [{ start: '4G', size: '30G', node: 1 }],
};
const scenario = (era: string, kernel: Record<string, unknown>, events: unknown[]) => ({
  version: 1,
  era,
  machine,
  kernel: { bootUsed: { 0: '32M' }, ...kernel },
  events,
});

describe('real-kernel evidence', () => {
  it('6.1 uses memmap_on_memory for 128 MiB DIMMs (one block per request)', () => {
    const adds = Array.from({ length: 4 }, (_, i) => ({
      op: 'add',
      start: 4 * GiB + i * 128 * MiB,
      size: '128M',
      node: 0,
    }));
    const result = run(scenario('U1', { memmapOnMemory: 'on' }, [...adds, { op: 'online' }]));
    for (let i = 0; i < 4; i++) {
      expect(step(result, i).placement).toBe('self-per-block');
      expect(step(result, i).memmapFromRamBytes).toBe(0);
    }
    expect(step(result, 4).memTotal - step(result, 3).memTotal).toBe(4 * (128 - 2) * MiB);
  });

  it('6.12 accepts force and on x86 it behaves like on', () => {
    const events = [{ op: 'add', start: '4G', size: '4G', node: 0 }, { op: 'online' }];
    const on = run(scenario('U3', { memmapOnMemory: 'on' }, events));
    const force = run(scenario('U3', { memmapOnMemory: 'force' }, events));
    expect(step(force, 1).memTotal).toBe(step(on, 1).memTotal);
    expect(step(force, 0).memmapWastedBytes).toBe(0);
    // set_memmap_mode() logs the waste with force even when it is 0 (mm/memory_hotplug.c
    // since 6.6, pr_info_once): the 6.12 kernel prints "waste 0 pages" on x86.
    expect(force.final.warnings).toEqual([
      'Memory hotplug will waste 0 pages in each memory block',
    ]);
  });

  it('with 2 GiB blocks one 1 GiB page per block survives memmap_on_memory', () => {
    const result = run({
      version: 1,
      machine: {
        nodes: [
          {
            id: 0,
            ram: [
              { start: 0, size: '2G' },
              { start: '4G', size: '60G' },
            ],
          },
        ],
      },
      kernel: { memmapOnMemory: 'on', bootUsed: { 0: '64M' } },
      events: [
        { op: 'add', start: '64G', size: '4G' },
        { op: 'online' },
        { op: 'hugetlb', pageSize: '1G', count: 4 },
      ],
    });
    expect(result.resolved.blockSize).toBe(2 * GiB);
    expect(step(result, 0).blocksAdded).toBe(2);
    expect(step(result, 2).allocated).toBe(2);
  });

  it('auto-movable with auto-online on a 2 GiB VM: the first 4 GiB DIMM goes to ZONE_MOVABLE, the second to ZONE_NORMAL', () => {
    const result = run(
      scenario('U3', { onlinePolicy: 'auto-movable', autoOnline: 'online' }, [
        { op: 'add', start: '4G', size: '4G', node: 0 },
        { op: 'add', start: '8G', size: '4G', node: 0 },
      ]),
    );
    expect(zoneOf(step(result, 0), 0, 'Movable').presentPages).toBe(1_048_576);
    expect(zoneOf(step(result, 1), 0, 'Normal').presentPages).toBe(1_048_576);
    expect(zoneOf(step(result, 1), 0, 'Movable').presentPages).toBe(1_048_576);
  });

  it('hot-remove: a legacy memmap returns to its host node on remove, not on offline', () => {
    const result = run(
      scenario('U3', { movableNode: true }, [
        { op: 'add', start: '4G', size: '4G', node: 1 },
        { op: 'online' },
        { op: 'offline', start: '4G', size: '4G' },
        { op: 'remove', start: '4G', size: '4G' },
      ]),
    );
    const node0Free = (event: number) =>
      step(result, event).nodes.find((n) => n.node === 0)!.memFree;
    expect(node0Free(2) - node0Free(1)).toBe(0);
    expect(node0Free(3) - node0Free(2)).toBe(64 * MiB);
    expect(step(result, 3).ok).toBe(true);
  });

  it('hot-remove: with memmap_on_memory nothing returns (the memmap left with the DIMM)', () => {
    const result = run(
      scenario('U3', { movableNode: true, memmapOnMemory: 'on' }, [
        { op: 'add', start: '4G', size: '4G', node: 1 },
        { op: 'online' },
        { op: 'offline', start: '4G', size: '4G' },
        { op: 'remove', start: '4G', size: '4G' },
      ]),
    );
    expect(step(result, 3).ok).toBe(true);
    // No memmap comes back; only the direct-map tables of the per-block adds (2 MiB mappings,
    // one 4 KiB table per GiB) are freed with the memory.
    expect(step(result, 0).pageTablesBytes).toBe(16 * 1024);
    expect(step(result, 3).memFree - step(result, 2).memFree).toBe(16 * 1024);
  });

  it('hot-remove: memory onlined to ZONE_NORMAL keeps a busy block, so removal fails; ZONE_MOVABLE goes', () => {
    const result = run(
      scenario('U3', {}, [
        { op: 'add', start: '4G', size: '4G', node: 0 },
        { op: 'online', start: '4G', size: '4G', as: 'online_kernel' },
        { op: 'add', start: '8G', size: '4G', node: 0 },
        { op: 'online', start: '8G', size: '4G', as: 'online_movable' },
        { op: 'offline', start: '4G', size: '4G' },
        { op: 'remove', start: '4G', size: '4G' },
        { op: 'offline', start: '8G', size: '4G' },
        { op: 'remove', start: '8G', size: '4G' },
      ]),
    );
    expect(step(result, 4).ok).toBe(false);
    expect(step(result, 4).memTotal - step(result, 3).memTotal).toBe(-31 * 128 * MiB);
    expect(step(result, 5).ok).toBe(false);
    expect(step(result, 5).error).toMatch(/is onlined/);
    expect(step(result, 6).ok).toBe(true);
    expect(step(result, 7).ok).toBe(true);
  });

  it('HVO frees 7 of 8 vmemmap pages (28 KiB) per 2 MiB page to the node hosting the memmap; self-hosted frees nothing', () => {
    const events = [
      { op: 'add', start: '4G', size: '4G', node: 1 },
      { op: 'online' },
      { op: 'hugetlb', pageSize: '2M', count: 1000, node: 1 },
    ];
    const legacy = run(scenario('U3', { movableNode: true, hvo: true }, events));
    const node0 = (result: ReturnType<typeof run>, event: number) =>
      step(result, event).nodes.find((n) => n.node === 0)!.memFree;
    expect(node0(legacy, 2) - node0(legacy, 1)).toBe(1000 * 28 * KiB);
    const mom = run(scenario('U3', { movableNode: true, hvo: true, memmapOnMemory: 'on' }, events));
    expect(node0(mom, 2) - node0(mom, 1)).toBe(0);
  });

  it('6.1 reads memmap_on_memory=force as false, without a warning', () => {
    const result = run(
      scenario('U1', { memmapOnMemory: 'force' }, [
        { op: 'add', start: '4G', size: '128M', node: 0 },
      ]),
    );
    expect(step(result, 0).placement).toBe('ram');
    expect(result.final.warnings).toEqual([]);
  });
});
