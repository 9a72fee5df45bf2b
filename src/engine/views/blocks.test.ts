/** lsmem and /sys/devices/system/memory: merging, columns, valid_zones and collapsing. */
import { describe, expect, it } from 'vitest';
import { simulate, type SimulateOptions } from '../simulate.ts';
import { q35 } from '../testing.ts';
import type { KernelViews } from './index.ts';

function viewsOf(input: unknown, options: SimulateOptions = {}): KernelViews {
  const outcome = simulate(input, { ...options, views: true });
  if (!outcome.ok) throw new Error(outcome.errors.map((e) => e.message).join('; '));
  return outcome.result.views!;
}

/** Reference §11 S1: 4 GiB q35 VM (2 GiB low, 2 GiB at 4 GiB), a 16 GiB DIMM at 6 GiB, onlined. */
const s1 = (events: unknown[] = [{ op: 'add', start: '6G', size: '16G' }, { op: 'online' }]) => ({
  version: 1,
  machine: q35(4),
  events,
});

/** A fresh memoryless node 1 under movable_node, 4 GiB hot-added to it, as the recordings. */
const movableNode = (events: unknown[]) => ({
  version: 1,
  machine: {
    nodes: [
      { id: 0, ram: [{ start: 0, size: '2G' }] },
      { id: 1, ram: [] },
    ],
    hotpluggable: [{ start: '4G', size: '30G', node: 1 }],
  },
  kernel: { movableNode: true },
  events: [{ op: 'add', start: '4G', size: '4G', node: 1 }, ...events],
});

describe('simulate({ views })', () => {
  it('reads the views only when asked, at finalAt, beside the whole timeline', () => {
    const plain = simulate(s1());
    expect(plain.ok && 'views' in plain.result).toBe(false);
    const outcome = simulate(s1(), { views: true, finalAt: 1 });
    if (!outcome.ok) throw new Error('invalid');
    expect(outcome.result.steps).toHaveLength(3);
    expect(outcome.result.views!.lsmem.text).toContain('16G offline');
    expect(Object.keys(outcome.result.views!)).toEqual([
      'lsmem',
      'meminfo',
      'zoneinfo',
      'iomem',
      'sysfs',
      'dmesg',
    ]);
  });
});

describe('lsmem', () => {
  it('prints the default columns and summary exactly as util-linux does for S1 (reference §10.5)', () => {
    expect(viewsOf(s1()).lsmem.text).toBe(
      [
        'RANGE                                  SIZE  STATE REMOVABLE  BLOCK',
        '0x0000000000000000-0x000000007fffffff    2G online       yes   0-15',
        '0x0000000100000000-0x000000057fffffff   18G online       yes 32-175',
        '',
        'Memory block size:       128M',
        'Total online memory:      20G',
        'Total offline memory:      0B',
        '',
      ].join('\n'),
    );
  });

  it('splits on state, leaves REMOVABLE blank for offline blocks and counts them apart', () => {
    const text = viewsOf(
      s1([
        { op: 'add', start: '6G', size: '16G' },
        { op: 'online', start: '6G', size: '1G' },
      ]),
    ).lsmem.text;
    expect(text.split('\n').slice(0, 4)).toEqual([
      'RANGE                                  SIZE   STATE REMOVABLE  BLOCK',
      '0x0000000000000000-0x000000007fffffff    2G  online       yes   0-15',
      '0x0000000100000000-0x00000001bfffffff    3G  online       yes  32-55',
      '0x00000001c0000000-0x000000057fffffff   15G offline           56-175',
    ]);
    expect(text).toContain('Total online memory:       5G\nTotal offline memory:     15G\n');
  });

  it('with -o …,NODE,ZONES splits on node and valid zones, printed as lsmem names them', () => {
    const lsmem = viewsOf(movableNode([])).lsmem;
    const variant = lsmem.variants![0]!;
    expect(variant.command).toBe('lsmem -o RANGE,SIZE,STATE,REMOVABLE,BLOCK,NODE,ZONES');
    expect(variant.text.split('\n').slice(0, 4)).toEqual([
      'RANGE                                  SIZE   STATE REMOVABLE BLOCK NODE          ZONES',
      '0x0000000000000000-0x0000000007ffffff  128M  online       yes     0    0           None',
      '0x0000000008000000-0x000000007fffffff  1.9G  online       yes  1-15    0          DMA32',
      '0x0000000100000000-0x00000001ffffffff    4G offline           32-63    1 Movable/Normal',
    ]);
    // The default columns do not split where only the zones differ.
    expect(lsmem.text).toContain(
      '0x0000000000000000-0x000000007fffffff    2G  online       yes  0-15\n',
    );
  });
});

/** memoryN/attribute -> value, for the blocks the sysfs text shows. */
function sysfsBlocks(text: string): Map<number, Record<string, string>> {
  const blocks = new Map<number, Record<string, string>>();
  for (const line of text.split('\n')) {
    const match = /^memory(\d+)\/(\w+?)(?::(.*)|(\d+))?$/.exec(line);
    if (!match) continue;
    const entry = blocks.get(Number(match[1])) ?? {};
    if (match[3] !== undefined) entry[match[2]!] = match[3];
    else entry.node = `${match[2]}${match[4] ?? ''}`;
    blocks.set(Number(match[1]), entry);
  }
  return blocks;
}

describe('/sys/devices/system/memory', () => {
  it('prints the global files and every attribute per block in grep format', () => {
    const text = viewsOf(s1([{ op: 'add', start: '6G', size: '256M' }])).sysfs.text;
    expect(text).toMatch(/^\$ cd \/sys\/devices\/system\/memory; grep \. /);
    expect(text).toContain('\nblock_size_bytes:8000000\nauto_online_blocks:offline\n');
    expect(text).toContain(
      [
        'memory48/phys_index:00000030',
        'memory48/state:offline',
        'memory48/online:0',
        'memory48/valid_zones:Normal Movable',
        'memory48/removable:1',
        'memory48/node0',
        'memory49/phys_index:00000031',
      ].join('\n'),
    );
  });

  it('shows the zone of an online block and "none" for the boot block spanning DMA and DMA32', () => {
    const blocks = sysfsBlocks(viewsOf(s1()).sysfs.text);
    expect(blocks.get(0)).toMatchObject({ state: 'online', online: '1', valid_zones: 'none' });
    expect(blocks.get(1)?.valid_zones).toBe('DMA32');
    expect(blocks.get(175)).toMatchObject({ valid_zones: 'Normal', node: 'node0' });
  });

  it('puts Movable first for a fresh node under movable_node, Normal first once it is kernel', () => {
    const fresh = sysfsBlocks(viewsOf(movableNode([])).sysfs.text);
    expect(fresh.get(32)).toMatchObject({ valid_zones: 'Movable Normal', node: 'node1' });
    // Offline blocks inside a zone's span inherit it (zone_for_pfn_range's in_kernel case).
    const between = sysfsBlocks(
      viewsOf(
        movableNode([
          { op: 'online', start: '4G', size: '128M', as: 'online_kernel' },
          { op: 'online', start: '8064M', size: '128M', as: 'online_kernel' },
        ]),
      ).sysfs.text,
    );
    expect(between.get(32)).toMatchObject({ state: 'online', valid_zones: 'Normal' });
    expect(between.get(33)).toMatchObject({ state: 'offline', valid_zones: 'Normal Movable' });
  });

  it('collapses a run of identical blocks to its ends and says how many it hides', () => {
    const text = viewsOf(s1()).sysfs.text;
    expect(text).toContain(
      // The boot blocks above 4 GiB read the same as the DIMM's: one run.
      '# memory33 to memory174: 142 more blocks, each reading as memory32 and memory175 do but for its own phys_index\n',
    );
    expect(text).not.toContain('memory100/');
  });

  it('stays short and quick on a machine with a million blocks', () => {
    const started = Date.now();
    const views = viewsOf({
      version: 1,
      arch: 'x86_64-5level',
      machine: { nodes: [{ id: 0, ram: [{ start: 0, size: '4G' }] }] },
      kernel: { memmapOnMemory: 'on' },
      events: [
        { op: 'add', start: '8G', size: '128T' },
        { op: 'online', start: '8G', size: '64T', as: 'online_movable' },
      ],
    });
    expect(Date.now() - started).toBeLessThan(5000);
    expect(views.sysfs.text.split('\n').length).toBeLessThan(60);
    expect(views.sysfs.text).toContain('# memory65 to memory524350: 524286 more blocks');
    expect(views.lsmem.text).toContain('   64T offline           524352-1048639\n');
  });
});
