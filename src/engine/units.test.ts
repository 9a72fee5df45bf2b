import { describe, expect, it } from 'vitest';
import { formatBytes, formatShortSize, parseSize } from './units.ts';

describe('sizes', () => {
  it('parses the documented forms and rejects the rest', () => {
    expect(parseSize('128M')).toBe(134217728);
    expect(parseSize('1.5G')).toBe(1610612736);
    expect(parseSize('0x100000000')).toBe(4294967296);
    expect(parseSize('4P')).toBe(4 * 1024 ** 5);
    expect(parseSize(4096)).toBe(4096);
    for (const bad of ['12Q', '', '-1', '1.3K', 1.5, -4, 'G', '0x', Number.NaN, 2 ** 60, {}, null])
      expect(parseSize(bad)).toBeNull();
  });
  it('formats like a kernel developer reads them', () => {
    expect(formatBytes(128 * 1024 ** 2)).toBe('128 MiB');
    expect(formatBytes(1.5 * 1024 ** 3)).toBe('1.5 GiB');
    expect(formatBytes(4128768 * 4096)).toBe('15.8 GiB');
    expect(formatShortSize(2 * 1024 ** 3)).toBe('2G');
  });
});
