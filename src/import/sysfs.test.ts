import { describe, expect, it } from 'vitest';
import { MiB } from '../engine/units.ts';
import { parseSysfs } from './sysfs.ts';
import { formatProblem, toLines } from './types.ts';
import { fixture } from './testing.fixtures.ts';

const parse = (text: string) => parseSysfs(toLines(text));
const runs = (text: string) =>
  parse(text).blocks.map((r) => [
    r.firstBlock,
    r.count,
    r.state,
    r.node,
    r.zones.join(' '),
    r.spansZones,
  ]);

describe('/sys/devices/system/memory', () => {
  it('reads a grep listing in glob order (memory10 before memory2), node links and hex block size', () => {
    const result = parse(fixture('sysfs-grep-2node.txt'));
    expect(result.problems).toEqual([]);
    expect(result.blockSize).toBe(128 * MiB);
    expect(result.autoOnline).toBe('offline');
    expect(runs(fixture('sysfs-grep-2node.txt'))).toEqual([
      [0, 1, 'online', 0, '', true],
      [1, 15, 'online', 0, 'DMA32', false],
      [32, 16, 'online', 1, 'Movable', false],
      [48, 16, 'offline', 1, 'Movable Normal', false],
    ]);
  });

  it('reads the capture digest: block lines, decimal block size, auto_online_blocks and params', () => {
    const result = parse(
      fixture('mom-node0.added.txt')
        .split('\n')
        .filter((l) => !/^(zone|[0-9a-f]+-)/.test(l))
        .join('\n'),
    );
    expect(result.problems).toEqual([]);
    expect(result.blockSize).toBe(128 * MiB);
    expect(result.params).toMatchObject({ memmap_on_memory: 'Y', online_policy: 'contig-zones' });
    expect(result.blocks.map((r) => [r.firstBlock, r.count, r.state, r.zones.join(' ')])).toEqual([
      [0, 1, 'online', ''],
      [1, 15, 'online', 'DMA32'],
      [32, 32, 'offline', 'Normal Movable'],
    ]);
  });

  it('reads relative paths, the online attribute and module parameters', () => {
    const text = [
      'memory5/online:1',
      'memory6/state:offline',
      'memory6/valid_zones:Normal',
      '/sys/module/memory_hotplug/parameters/memmap_on_memory:force',
      '/sys/devices/system/memory/memory6/removable:1',
      '/sys/devices/system/memory/probe',
    ].join('\n');
    const result = parse(text);
    expect(result.problems).toEqual([]);
    expect(result.params).toEqual({ memmap_on_memory: 'force' });
    expect(runs(text)).toEqual([
      [5, 1, 'online', null, '', false],
      [6, 1, 'offline', null, 'Normal', false],
    ]);
  });

  it('names damaged lines, unknown zones and a phys_index that is not the block', () => {
    const text = [
      '/sys/devices/system/memory/memory3/state:sleepy',
      '/sys/devices/system/memory/memory3/valid_zones:Normal Highmem',
      '/sys/devices/system/memory/memory3/phys_index:00000004',
      '/sys/devices/system/memory/block_size_bytes:6000000',
      'block 7 00000007 online nodeX Normal',
      '/sys/devices/system/memory/auto_online_blocks:sometimes',
    ].join('\n');
    expect(parse(text).problems.map(formatProblem)).toEqual([
      'line 1: expected online, offline or going-offline, got "sleepy"',
      'line 2: unknown zone Highmem',
      'line 4: block size 100663296 is not a power of two',
      'line 5: expected "/sys/devices/system/memory/memory<N>/<attribute>:<value>" or "block <id> <phys_index> <state> node<N> <zones>", got "block 7 00000007 online nodeX Normal"',
      'line 6: expected offline, online, online_kernel, online_movable, got "sometimes"',
      'line 1: memory3 has phys_index 4, not its own number',
    ]);
  });
});
