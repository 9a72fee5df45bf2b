import { describe, expect, it } from 'vitest';
import { GiB, KiB, MiB, TiB } from '../units.ts';
import { hexDigits, humanSize, printkTime, renderTable } from './text.ts';

describe('humanSize (util-linux size_to_human_string, one letter)', () => {
  it('prints whole units without a decimal', () => {
    expect(humanSize(0)).toBe('0B');
    expect(humanSize(1023)).toBe('1023B');
    expect(humanSize(128 * MiB)).toBe('128M');
    expect(humanSize(2 * GiB)).toBe('2G');
    expect(humanSize(64 * TiB)).toBe('64T');
  });

  it('rounds to one decimal half up and drops a trailing zero', () => {
    expect(humanSize(1.5 * GiB)).toBe('1.5G');
    expect(humanSize(12.5 * GiB)).toBe('12.5G');
    // 15 blocks of 128 MiB: 1.875 -> 1.9
    expect(humanSize(15 * 128 * MiB)).toBe('1.9G');
    // three digits first: 52 MiB is .050 of a GiB and rounds up to .1; 41 MiB is .040 and vanishes
    expect(humanSize(GiB + 52 * MiB)).toBe('1.1G');
    expect(humanSize(GiB + 41 * MiB)).toBe('1G');
  });

  it('carries a rounding overflow into the integer part', () => {
    expect(humanSize(2 * GiB - 16 * MiB)).toBe('2G');
    expect(humanSize(1023 * KiB + 1000)).toBe('1024K');
  });
});

describe('renderTable (libsmartcols on a pipe)', () => {
  const columns = [
    { header: 'RANGE', right: false },
    { header: 'SIZE', right: true, widthHint: 5 },
    { header: 'BLOCK', right: true },
  ];

  it('sizes each column to its widest cell, one space apart, right-aligned headers too', () => {
    expect(
      renderTable(columns, [
        ['a', '2G', '0-15'],
        ['bbb', '12.5G', '32-131'],
      ]),
    ).toEqual(['RANGE  SIZE  BLOCK', 'a        2G   0-15', 'bbb   12.5G 32-131']);
  });

  it('applies the width hint only when header and cells are narrower', () => {
    expect(renderTable(columns, [['a', '2G', '1']])[0]).toBe('RANGE  SIZE BLOCK');
  });

  it('does not pad a left-aligned last column', () => {
    expect(
      renderTable(
        [
          { header: 'N', right: true },
          { header: 'NAME', right: false },
        ],
        [['1', 'x']],
      ),
    ).toEqual(['N NAME', '1 x']);
  });
});

describe('kernel number formats', () => {
  it('zero-pads hex to a minimum width and never truncates', () => {
    expect(hexDigits(0xfff, 8)).toBe('00000fff');
    expect(hexDigits(0x1ffffffffn, 8)).toBe('1ffffffff');
  });

  it('prints printk timestamps as [%5lu.%06lu]', () => {
    expect(printkTime(0)).toBe('[    0.000000] ');
    expect(printkTime(3_905_106)).toBe('[    3.905106] ');
    expect(printkTime(123_456_000_001)).toBe('[123456.000001] ');
  });
});
