/** The overview's broken axis: sizes in proportion, every hole the same narrow gap. */
import { describe, expect, it } from 'vitest';
import { GiB, TiB } from '../../engine/units.ts';
import { addressScale, HOLE_PX, segmentsOf, type Segment } from './scale.ts';
import type { MapColumns } from '../../engine/columns.ts';

describe('overview scale', () => {
  const segments: Segment[] = [
    { start: 0, end: 2 * GiB },
    { start: 4 * GiB, end: 10 * GiB },
    { start: 64 * TiB - 4 * GiB, end: 64 * TiB },
  ];
  const scale = addressScale(segments, 0, 1000 + 2 * HOLE_PX);

  it('gives each hole HOLE_PX, whatever its size', () => {
    expect(scale(4 * GiB) - scale(2 * GiB)).toBeCloseTo(HOLE_PX, 6);
    expect(scale(64 * TiB - 4 * GiB) - scale(10 * GiB)).toBeCloseTo(HOLE_PX, 6);
  });

  it('gives present memory width in proportion to its size', () => {
    expect(scale(2 * GiB) - scale(0)).toBeCloseTo(1000 * (2 / 12), 6);
    expect(scale(10 * GiB) - scale(4 * GiB)).toBeCloseTo(1000 * (6 / 12), 6);
    expect(scale(64 * TiB) - scale(64 * TiB - 4 * GiB)).toBeCloseTo(1000 * (4 / 12), 6);
    expect(scale(0)).toBe(0);
    expect(scale(64 * TiB)).toBeCloseTo(1000 + 2 * HOLE_PX, 6);
  });

  it('inverts a click back to the address under it', () => {
    expect(scale.invert(scale(5 * GiB))).toBeCloseTo(5 * GiB, 0);
  });

  it('merges touching blocks and devices into segments', () => {
    const columns = {
      blocks: { count: 2, start: [4 * GiB, 0], blocks: [8, 16] },
      devices: { count: 1, start: [5 * GiB], size: [4 * GiB] },
    } as unknown as MapColumns;
    expect(segmentsOf(columns, 128 * 2 ** 20)).toEqual([
      { start: 0, end: 2 * GiB },
      { start: 4 * GiB, end: 9 * GiB },
    ]);
  });
});
