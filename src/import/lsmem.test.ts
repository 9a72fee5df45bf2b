import { describe, expect, it } from 'vitest';
import { GiB, MiB } from '../engine/units.ts';
import { parseLsmem } from './lsmem.ts';
import { formatProblem, toLines } from './types.ts';
import { fixture } from './testing.fixtures.ts';

const parse = (text: string) => parseLsmem(toLines(text));
const messages = (text: string) => parse(text).problems.map(formatProblem);

describe('lsmem', () => {
  it('reads the default output: merged runs, the summary and the memmap_on_memory line', () => {
    const result = parse(fixture('lsmem-default-2node.txt'));
    expect(result.problems).toEqual([]);
    expect(result.columns).toEqual(['RANGE', 'SIZE', 'STATE', 'REMOVABLE', 'BLOCK']);
    expect(result.blockSize).toBe(128 * MiB);
    expect(result.memmapOnMemory).toBe('on');
    expect(result.totalOnline).toEqual({ bytes: 4 * GiB, exact: true });
    expect(
      result.ranges.map((r) => [r.start, r.size, r.state, r.removable, r.firstBlock, r.lastBlock]),
    ).toEqual([
      [0, 2 * GiB, 'online', true, 0, 15],
      [4 * GiB, 2 * GiB, 'online', true, 32, 47],
      // Offline rows leave REMOVABLE empty: BLOCK must not be read as REMOVABLE.
      [6 * GiB, 2 * GiB, 'offline', null, 48, 63],
    ]);
  });

  it('reads lsmem -a -o RANGE,SIZE,STATE,REMOVABLE,BLOCK,NODE,ZONES, one row per block', () => {
    const result = parse(fixture('lsmem-all-2node.txt'));
    expect(result.problems).toEqual([]);
    expect(result.ranges).toHaveLength(48);
    const [first, second] = result.ranges;
    expect(first).toMatchObject({ firstBlock: 0, node: 0, zones: [], spansZones: true });
    expect(second).toMatchObject({ firstBlock: 1, node: 0, zones: ['DMA32'], spansZones: false });
    const offline = result.ranges.find((r) => r.firstBlock === 48)!;
    expect(offline).toMatchObject({
      state: 'offline',
      removable: null,
      node: 1,
      zones: ['Movable', 'Normal'],
    });
    expect(offline.start).toBe(48 * 128 * MiB);
  });

  it('reads zones separated by spaces, commas or slashes, and valid_zones "None"', () => {
    const text = [
      'RANGE                                 SIZE   STATE REMOVABLE BLOCK NODE ZONES',
      '0x0000000100000000-0x0000000107ffffff 128M offline              32    1 Normal Movable',
      '0x0000000108000000-0x000000010fffffff 128M  online       yes    33    1 Normal,Movable',
      '0x0000000000000000-0x0000000007ffffff 128M  online        no     0    0 None',
    ].join('\n');
    const result = parse(text);
    expect(result.problems).toEqual([]);
    expect(result.ranges.map((r) => [r.zones, r.spansZones])).toEqual([
      [['Normal', 'Movable'], false],
      [['Normal', 'Movable'], false],
      [[], true],
    ]);
  });

  it('reads rounded sizes (15.6G), bytes (-b), pairs (-P) and rows without a header (-n)', () => {
    const rounded = parse(
      [
        'RANGE                                  SIZE  STATE REMOVABLE     BLOCK',
        '0x0000010000000000-0x00000103e7ffffff 15.6G online       yes 8192-8316',
        '',
        'Memory block size:                128M',
        'Total online memory:             15.6G',
        'Total offline memory:               0B',
      ].join('\n'),
    );
    expect(rounded.problems).toEqual([]);
    expect(rounded.ranges[0]!.size).toBe(125 * 128 * MiB);
    expect(rounded.totalOnline?.exact).toBe(false);

    const bytes = parse(
      '0x0000000000000000-0x000000007fffffff 2147483648 online yes 0-15\n\nMemory block size: 134217728',
    );
    expect(bytes.problems).toEqual([]);
    expect(bytes.blockSize).toBe(128 * MiB);
    expect(bytes.ranges[0]).toMatchObject({ size: 2 * GiB, firstBlock: 0, lastBlock: 15 });

    const pairs = parse(
      'RANGE="0x0000000100000000-0x000000017fffffff" SIZE="2G" STATE="offline" REMOVABLE="" BLOCK="32-47"',
    );
    expect(pairs.ranges[0]).toMatchObject({
      start: 4 * GiB,
      state: 'offline',
      removable: null,
      firstBlock: 32,
    });
    expect(pairs.blockSize).toBe(128 * MiB);
  });

  it('derives the block size from RANGE and BLOCK when the summary is cut off', () => {
    const result = parse(
      'RANGE SIZE STATE REMOVABLE BLOCK\n0x0000000000000000-0x000000003fffffff 1G online yes 0-3',
    );
    expect(result.blockSize).toBe(256 * MiB);
  });

  it('names a damaged line with its number and what was expected, and reads the rest', () => {
    const text = [
      'RANGE                                 SIZE  STATE REMOVABLE BLOCK',
      '0x0000000000000000-0x000000007fffffff   2G online       yes  0-15',
      'this is not lsmem',
      '0x0000000100000000-0x00000001ffffffff   3G online       yes 32-63',
      '0x0000000200000000-0x0000000207ffffff 128M online       yes    64 extra',
      '',
      'Memory block size:       huge',
    ].join('\n');
    const result = parse(text);
    expect(result.ranges).toHaveLength(3);
    expect(messages(text)).toEqual([
      'line 3: expected an lsmem row "0x<start>-0x<end> <size> <state> ...", got "this is not lsmem"',
      'line 4: SIZE 3G does not match RANGE 0x0000000100000000-0x00000001ffffffff (4 GiB); RANGE is used',
      'line 5: unexpected "extra" after the columns RANGE SIZE STATE REMOVABLE BLOCK',
      'line 7: expected a size after "Memory block size:", got "huge"',
    ]);
  });

  it('reports rows that disagree with the block size and totals that do not add up', () => {
    const text = [
      '0x0000000000000000-0x000000007fffffff 2G online yes 0-7',
      '',
      'Memory block size: 128M',
      'Total online memory: 4G',
    ].join('\n');
    expect(messages(text)).toEqual([
      'line 1: the range does not cover blocks 0-7 of 128M',
      '"Total online memory" says 4G, the rows add up to 2G',
    ]);
  });

  it('passes on what lsmem itself reported', () => {
    expect(messages('lsmem: This system does not support memory blocks')).toEqual([
      'line 1: lsmem reported an error: lsmem: This system does not support memory blocks',
    ]);
  });
});
