import { describe, expect, it } from 'vitest';
import { MiB } from '../engine/units.ts';
import { parseNodeList, parseNumactl } from './numactl.ts';
import { formatProblem, toLines } from './types.ts';
import { fixture } from './testing.fixtures.ts';

const parse = (text: string) => parseNumactl(toLines(text));

describe('numactl -H', () => {
  it('reads nodes, cpus, sizes in MiB and the distance table (trailing spaces and all)', () => {
    const result = parse(fixture('numactl-2node.txt'));
    expect(result.problems).toEqual([]);
    expect(result.listed).toEqual([0, 1]);
    expect(result.nodes).toEqual([
      { id: 0, cpus: [0, 1], sizeBytes: 1888 * MiB, freeBytes: 1815 * MiB, line: 2 },
      { id: 1, cpus: [], sizeBytes: 2016 * MiB, freeBytes: 2012 * MiB, line: 5 },
    ]);
    expect(result.distances).toEqual({ 0: { 0: 10, 1: 20 }, 1: { 0: 20, 1: 10 } });
  });

  it('reads sparse node lists, "<not available>" sizes and machines without distances', () => {
    expect(parseNodeList('0-2,8')).toEqual([0, 1, 2, 8]);
    const result = parse(
      [
        'available: 3 nodes (0,2-3)',
        'node 0 cpus: 0 1 2 3',
        'node 0 size: <not available>',
        'node 2 size: 0 MB',
        'No distance information available.',
      ].join('\n'),
    );
    expect(result.problems).toEqual([]);
    expect(result.listed).toEqual([0, 2, 3]);
    expect(result.nodes.map((n) => [n.id, n.sizeBytes])).toEqual([
      [0, null],
      [2, 0],
    ]);
    expect(result.distances).toBeNull();
  });

  it('names damaged lines and rows that do not match the header', () => {
    const text = [
      'available: 2 nodes (0-2)',
      'node 0 size: lots',
      'node distances:',
      'node   0   1',
      '  0:  10  20',
      '  1:  20',
      'hello',
    ].join('\n');
    const result = parse(text);
    expect(result.distances).toEqual({ 0: { 0: 10, 1: 20 } });
    expect(result.problems.map(formatProblem)).toEqual([
      'line 1: the node list does not hold 2 nodes',
      'line 2: expected "<number> MB", got "lots"',
      'line 6: expected 2 distances (one per node in the header), got 1',
      'line 7: expected a numactl -H line ("available: ...", "node <n> size: <m> MB", "node distances:" or a distance row), got "hello"',
    ]);
  });
});
