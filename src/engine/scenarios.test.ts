/** The worked numbers of reference §11 (S1–S10), scenario by scenario. */
import { describe, expect, it } from 'vitest';
import { run, step, zoneOf, q35 } from './testing.ts';
import { GiB, MiB } from './units.ts';

const s1 = (era: string, memmapOnMemory = 'on', events?: unknown[]) => ({
  version: 1,
  era,
  machine: q35(4),
  // The kernel's own boot allocations keep gigantic pages out of boot RAM, as in the recordings.
  kernel: { memmapOnMemory, bootUsed: { 0: '64M' } },
  events: events ?? [
    { op: 'add', start: '6G', size: '16G' },
    { op: 'online' },
    { op: 'hugetlb', pageSize: '1G', count: 16 },
  ],
});

describe('S1: 4 GiB VM, one 16 GiB ACPI DIMM at 6 GiB', () => {
  it('128 MiB blocks, 128 new blocks (memory48 … memory175), 256 MiB of memmap', () => {
    const result = run(s1('LEGACY', 'off'));
    expect(result.resolved.blockSize).toBe(128 * MiB);
    const add = step(result, 0);
    expect(add.blocksAdded).toBe(128);
    expect(add.memmapBytes).toBe(256 * MiB);
    const run48 = result.final.blocks.find((b) => b.event === 0)!;
    expect(run48.firstBlock).toBe(48);
    expect(run48.firstBlock + run48.count - 1).toBe(175);
  });

  it('LEGACY: 256 MiB from node 0 at add time, MemTotal +16 GiB on online, 16 gigantic pages', () => {
    const result = run(s1('LEGACY', 'off'));
    const add = step(result, 0);
    expect(add.memmapFromRamBytes).toBe(256 * MiB);
    expect(add.memmapFromRamByNode).toEqual({ '0': 256 * MiB });
    expect(step(result, 0).memFree - result.steps[0]!.memFree).toBe(-256 * MiB);
    expect(step(result, 1).memTotal - step(result, 0).memTotal).toBe(16 * GiB);
    expect(step(result, 2).allocated).toBe(16);
  });

  it('U1 and U2 fall back to LEGACY for a 16 GiB request, even with the parameter on', () => {
    for (const era of ['U1', 'U2']) {
      const add = step(run(s1(era)), 0);
      expect(add.placement).toBe('ram');
      expect(add.memmapFromRamBytes).toBe(256 * MiB);
    }
  });

  it('U3: 512 memmap pages at each block start, present +4,194,304, managed +4,128,768, no gigantic page', () => {
    const result = run(s1('U3'));
    const add = step(result, 0);
    expect(add.placement).toBe('self-per-block');
    expect(add.memmapFromRamBytes).toBe(0);
    expect(add.memmapSelfHostedBytes).toBe(256 * MiB);
    const before = zoneOf(step(result, 0), 0, 'Normal');
    const after = zoneOf(step(result, 1), 0, 'Normal');
    expect(after.presentPages - before.presentPages).toBe(4_194_304);
    expect(after.managedPages - before.managedPages).toBe(4_128_768);
    expect(step(result, 1).memTotal - step(result, 0).memTotal).toBe(15.75 * GiB);
    expect(result.final.blocks.find((b) => b.event === 0)!.memmapPages).toBe(512);
    expect(step(result, 2).allocated).toBe(0);
  });

  it('RFC1/RFC2: 256 MiB packed at [6 GiB, 6.25 GiB): memory48 and memory49 are all memmap; 15 gigantic pages', () => {
    for (const era of ['RFC1', 'RFC2']) {
      const result = run(s1(era));
      expect(step(result, 0).placement).toBe('self-per-request');
      const full = result.final.blocks.filter((b) => b.event === 0 && b.memmapPages === 32768);
      expect(full.reduce((sum, b) => sum + b.count, 0)).toBe(2);
      expect(full[0]!.firstBlock).toBe(48);
      const memmap = result.final.memmap.find((m) => m.event === 0)!;
      expect(memmap.hostStart).toBe(6 * GiB);
      expect(memmap.hostSize).toBe(256 * MiB);
      expect(step(result, 2).allocated).toBe(15);
    }
  });

  it('S1b: 128 DIMMs of 128 MiB qualify in U1/U2 and give the U3 layout; RFC per request = per block', () => {
    const events = [
      ...Array.from({ length: 128 }, (_, i) => ({
        op: 'add',
        start: 6 * GiB + i * 128 * MiB,
        size: '128M',
      })),
      { op: 'online' },
    ];
    for (const era of ['U1', 'U2', 'U3', 'RFC1', 'RFC2']) {
      const result = run(s1(era, 'on', events));
      const blocks = result.final.blocks.filter((b) => b.event >= 0);
      expect(
        blocks.every((b) => b.memmapPages === 512),
        era,
      ).toBe(true);
      expect(blocks.reduce((sum, b) => sum + b.count, 0)).toBe(128);
    }
  });
});

describe('S2: 128 GiB VM, hot-add 16 GiB', () => {
  const s2 = (era: string, ramLow = 2, dimms = 1, mode = 'on') => ({
    version: 1,
    era,
    machine: {
      nodes: [
        {
          id: 0,
          ram: [
            { start: 0, size: `${ramLow}G` },
            { start: '4G', size: `${128 - ramLow}G` },
          ],
        },
      ],
    },
    kernel: { memmapOnMemory: mode },
    events: [
      ...Array.from({ length: dimms }, (_, i) => ({
        op: 'add',
        size: `${16 / dimms}G`,
        start: (132 + (i * 16) / dimms) * GiB,
      })),
      { op: 'online' },
      { op: 'hugetlb', pageSize: '1G', count: 16, node: 0 },
    ],
  });
  // Boot RAM is kept out of the count: windows there are blocked by nothing in these scenarios,
  // so count only the windows of the hot-added range.
  const hotWindows = (result: ReturnType<typeof run>) =>
    result.final.windows
      .filter(
        (w) => w.startAddr >= 132 * GiB && (w.status === 'possible' || w.status === 'allocated'),
      )
      .reduce((sum, w) => sum + w.count * (w.repeat ?? 1), 0);

  it('q35 (boot memory ends at 130 GiB): 2 GiB blocks, 8 new blocks of 32 MiB memmap', () => {
    const result = run(s2('U3'));
    expect(result.resolved.blockSize).toBe(2 * GiB);
    expect(step(result, 0).blocksAdded).toBe(8);
    expect(result.final.blocks.find((b) => b.event === 0)!.memmapPages).toBe(8192);
  });
  it('gigantic windows in the range: LEGACY 16, U3 8, U1/U2 16 for one DIMM, 8 for eight 2 GiB DIMMs', () => {
    expect(hotWindows(run(s2('LEGACY', 2, 1, 'off')))).toBe(16);
    expect(hotWindows(run(s2('U3')))).toBe(8);
    expect(hotWindows(run(s2('U1')))).toBe(16);
    expect(hotWindows(run(s2('U2')))).toBe(16);
    expect(hotWindows(run(s2('U1', 2, 8)))).toBe(8);
    expect(hotWindows(run(s2('U2', 2, 8)))).toBe(8);
  });
  it('i440fx (boot memory ends at 129 GiB): 1 GiB blocks, no gigantic page under memmap_on_memory', () => {
    const result = run(s2('U3', 3));
    expect(result.resolved.blockSize).toBe(1 * GiB);
    expect(hotWindows(result)).toBe(0);
  });
});

describe('S3: bare metal 256 GiB, movable_node, 64 GiB node-1 board', () => {
  const s3 = (era: string, mode: string) => ({
    version: 1,
    era,
    machine: {
      virtual: false,
      nodes: [
        { id: 0, ram: [{ start: 0, size: '256G' }] },
        { id: 1, ram: [] },
      ],
      hotpluggable: [{ start: '256G', size: '64G', node: 1 }],
    },
    kernel: { memmapOnMemory: mode, movableNode: true },
    events: [
      { op: 'add', start: '256G', size: '64G' },
      { op: 'online' },
      { op: 'hugetlb', pageSize: '1G', count: 4, node: 1 },
    ],
  });
  it('LEGACY: 2 GiB blocks, 32 blocks, 1 GiB of memmap from node 0, node 1 Movable present = managed = 16,777,216', () => {
    const result = run(s3('LEGACY', 'off'));
    expect(result.resolved.blockSize).toBe(2 * GiB);
    const add = step(result, 0);
    expect(add.blocksAdded).toBe(32);
    expect(add.memmapFromRamByNode).toEqual({ '0': 1 * GiB });
    const movable = zoneOf(step(result, 1), 1, 'Movable');
    expect(movable.presentPages).toBe(16_777_216);
    expect(movable.managedPages).toBe(16_777_216);
    expect(result.final.summary.memmapOffNodeBytes).toBe(1 * GiB);
    expect(result.final.blocks.filter((b) => b.event === 0).map((b) => b.memmapHostNodes)).toEqual([
      [0],
    ]);
    expect(step(result, 2).allocated).toBe(0);
  });
  it('U3: 32 × 32 MiB on node 1 in its ZONE_MOVABLE: present 16,777,216, managed 16,515,072', () => {
    const result = run(s3('U3', 'on'));
    const movable = zoneOf(step(result, 1), 1, 'Movable');
    expect(movable.presentPages).toBe(16_777_216);
    expect(movable.managedPages).toBe(16_515_072);
    expect(step(result, 0).memmapFromRamBytes).toBe(0);
    expect(step(result, 2).allocated).toBe(0);
    expect(result.final.blocks.find((b) => b.event === 0)!.memmapHostNodes).toEqual([]);
  });
  it('RFC2: 1 GiB packed at the start of the board (half of its first 2 GiB block)', () => {
    const result = run(s3('RFC2', 'on'));
    const first = result.final.blocks.find((b) => b.event === 0)!;
    expect(first.memmapPages * 4096).toBe(1 * GiB);
    expect(step(result, 2).allocated).toBe(0);
  });
});

describe('S4: balloon-style OOM, 2 GiB VM with about 300 MiB free, one 32 GiB request, auto-online', () => {
  const s4 = (era: string, mode: string, via = 'acpi') => ({
    version: 1,
    era,
    machine: { nodes: [{ id: 0, ram: [{ start: 0, size: '2G' }] }] },
    kernel: { memmapOnMemory: mode, autoOnline: 'online' },
    events: [
      { op: 'consume', size: '1716M' },
      { op: 'add', size: '32G', via },
    ],
  });
  it('LEGACY: 512 MiB of memmap does not fit; the add fails with vmemmap alloc failure', () => {
    const result = run(s4('LEGACY', 'off'));
    expect(step(result, 0).memFree).toBeLessThan(320 * MiB);
    const add = step(result, 1);
    expect(add.ok).toBe(false);
    expect(add.error).toMatch(/vmemmap alloc failure: 512 MiB of memmap needed/);
    expect(add.blocksAdded).toBe(0);
    expect(add.memTotal).toBe(step(result, 0).memTotal);
  });
  it('U3: the memmap lives in the new memory; MemTotal +31.5 GiB', () => {
    const result = run(s4('U3', 'on'));
    const add = step(result, 1);
    expect(add.ok).toBe(true);
    expect(add.memTotal - step(result, 0).memTotal).toBe(31.5 * GiB);
  });
  it('chunked (Hyper-V 128 MiB chunks, auto-online): LEGACY succeeds chunk by chunk', () => {
    const add = step(run(s4('LEGACY', 'off', 'hv-balloon')), 1);
    expect(add.ok).toBe(true);
    expect(add.blocksAdded).toBe(256);
  });
});

describe('S5: ppc64 Radix 64K, 256 MiB LMBs, DLPAR add of 16 GiB', () => {
  const s5 = (arch: string, mode: string) => ({
    version: 1,
    arch,
    era: 'U3',
    machine: { nodes: [{ id: 0, ram: [{ start: 0, size: '8G' }] }] },
    kernel: { memmapOnMemory: mode },
    events: [{ op: 'add', size: '16G', via: 'dlpar' }, { op: 'online' }],
  });
  it('memmap_on_memory=1 is not eligible: 64 × 256 KiB = 16 MiB of RAM', () => {
    const add = step(run(s5('ppc64-radix-64k', 'on')), 0);
    expect(add.placement).toBe('ram');
    expect(add.memmapFromRamBytes).toBe(16 * MiB);
  });
  it('force: 2 MiB reserved per LMB (28 pages wasted): 128 MiB reserved, 112 MiB wasted; managed +15.875 GiB', () => {
    const result = run(s5('ppc64-radix-64k', 'force'));
    const add = step(result, 0);
    expect(add.placement).toBe('self-per-block');
    expect(add.memmapWastedBytes).toBe(112 * MiB);
    expect(result.final.blocks.find((b) => b.event === 0)!.memmapPages * 64 * 1024 * 64).toBe(
      128 * MiB,
    );
    // dlpar_add_lmb() onlines every LMB itself (the 6.12 ppc64le recording): the counters move
    // at the add, not at the online that follows.
    const before = zoneOf(step(result, -1), 0, 'Normal');
    const after = zoneOf(step(result, 0), 0, 'Normal');
    expect((after.presentPages - before.presentPages) * 64 * 1024).toBe(16 * GiB);
    expect((after.managedPages - before.managedPages) * 64 * 1024).toBe(15.875 * GiB);
    expect(result.final.warnings).toContain(
      'Memory hotplug will waste 28 pages in each memory block',
    );
  });
  it('Hash MMU: never eligible, 16 MiB from RAM', () => {
    expect(step(run(s5('ppc64-hash-64k', 'force')), 0).memmapFromRamBytes).toBe(16 * MiB);
  });
});

describe('S6: arm64 64K pages, hot-add 64 GiB', () => {
  it('512 MiB blocks (128 of them), 64 MiB of memmap, always from RAM', () => {
    const result = run({
      version: 1,
      arch: 'arm64-64k',
      era: 'U3',
      machine: { nodes: [{ id: 0, ram: [{ start: '1G', size: '8G' }] }] },
      kernel: { memmapOnMemory: 'force' },
      events: [{ op: 'add', size: '64G' }],
    });
    expect(result.resolved.blockSize).toBe(512 * MiB);
    const add = step(result, 0);
    expect(add.blocksAdded).toBe(128);
    expect(add.memmapBytes).toBe(64 * MiB);
    expect(add.placement).toBe('ram');
  });
});

describe('S7: 16 GiB pmem namespace', () => {
  const s7 = (map: string) =>
    run({
      version: 1,
      machine: q35(8),
      events: [{ op: 'pmem', start: '16G', size: '16G', node: 0, map }],
    });
  it('--map=dev: memmap on the device after 2 MiB of reserve and padding, 256 MiB, data offset 258 MiB', () => {
    const result = s7('dev');
    expect(result.final.devices[0]!.dataOffset).toBe(258 * MiB);
    const memmap = result.final.memmap.find((m) => m.kind === 'pmem')!;
    expect(memmap.host).toBe('device');
    expect(memmap.hostStart).toBe(16 * GiB + 2 * MiB);
    expect(memmap.hostSize).toBe(256 * MiB);
    expect(step(result, 0).memmapFromRamBytes).toBe(0);
    expect(step(result, 0).memFree).toBe(result.steps[0]!.memFree);
  });
  it('--map=mem: data offset 2 MiB and 256 MiB of system RAM', () => {
    const result = s7('mem');
    expect(result.final.devices[0]!.dataOffset).toBe(2 * MiB);
    expect(step(result, 0).memmapFromRamBytes).toBe(256 * MiB);
  });
});

describe('S8: HMM device-private, 16 GiB of VRAM', () => {
  const s8 = (era: string) =>
    run({ version: 1, era, machine: q35(8), events: [{ op: 'device-private', size: '16G' }] });
  it('256 MiB of system RAM on the GPU node', () => {
    const add = step(s8('U3'), 0);
    expect(add.ok).toBe(true);
    expect(add.memmapFromRamBytes).toBe(256 * MiB);
  });
  it('RFC1 would place the memmap inside CPU-inaccessible memory: the step faults', () => {
    const add = step(s8('RFC1'), 0);
    expect(add.ok).toBe(false);
    expect(add.error).toMatch(/forbid_altmap/);
  });
  it('RFC2 keeps the memmap in RAM', () => {
    expect(step(s8('RFC2'), 0).memmapFromRamBytes).toBe(256 * MiB);
  });
});

describe('S9: CXL expander, 256 GiB through dax/kmem, bare metal with 2 GiB blocks', () => {
  const s9 = (era: string, perDevice: boolean) =>
    run({
      version: 1,
      era,
      machine: {
        virtual: false,
        nodes: [
          { id: 0, ram: [{ start: 0, size: '128G' }] },
          { id: 1, ram: [] },
        ],
      },
      kernel: { memmapOnMemory: 'on' },
      events: [
        { op: 'add', start: '256G', size: '256G', node: 1, via: 'kmem', memmapOnMemory: perDevice },
      ],
    });
  it('LEGACY behaviour (switch off): 4 GiB of DRAM on the CPU node', () => {
    const add = step(s9('U3', false), 0);
    expect(add.memmapBytes).toBe(4 * GiB);
    expect(add.memmapFromRamByNode).toEqual({ '0': 4 * GiB });
  });
  it('U3 with daxX.Y/memmap_on_memory=1: 32 MiB at the start of each of 128 blocks, on the CXL node', () => {
    const result = s9('U3', true);
    expect(step(result, 0).memmapFromRamBytes).toBe(0);
    const blocks = result.final.blocks.find((b) => b.event === 0)!;
    expect(blocks.count).toBe(128);
    expect(blocks.memmapPages * 4096).toBe(32 * MiB);
  });
  it('before v6.8 dax/kmem does not opt in', () => {
    expect(step(s9('U2', true), 0).placement).toBe('ram');
  });
});

describe('S10: one 1 GiB DIMM, 128 MiB blocks', () => {
  const s10 = (era: string) =>
    run({
      version: 1,
      era,
      machine: q35(4),
      kernel: { memmapOnMemory: 'on', bootUsed: { 0: '64M' } },
      events: [
        { op: 'add', start: '6G', size: '1G' },
        { op: 'online' },
        { op: 'hugetlb', pageSize: '1G', count: 1, node: 0 },
      ],
    });
  const usable = (era: string) => {
    const result = s10(era);
    return (
      zoneOf(step(result, 1), 0, 'Normal').managedPages -
      zoneOf(step(result, 0), 0, 'Normal').managedPages
    );
  };
  it('usable pages: LEGACY 262,144; RFC 258,048; U1/U2 262,144; U3 258,048', () => {
    expect(usable('LEGACY')).toBe(262_144);
    expect(usable('RFC1')).toBe(258_048);
    expect(usable('RFC2')).toBe(258_048);
    expect(usable('U1')).toBe(262_144);
    expect(usable('U2')).toBe(262_144);
    expect(usable('U3')).toBe(258_048);
  });
  it('1 GiB pages: LEGACY 1, RFC 0, U1/U2 1, U3 0', () => {
    const got = (era: string) => step(s10(era), 2).allocated;
    expect([got('LEGACY'), got('RFC1'), got('RFC2'), got('U1'), got('U2'), got('U3')]).toEqual([
      1, 0, 0, 1, 1, 0,
    ]);
  });
});
