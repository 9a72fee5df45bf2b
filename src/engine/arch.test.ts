import { describe, expect, it } from 'vitest';
import { ARCHES, mmoGeometry, mmoGeometryU1, x86BlockSize } from './arch.ts';
import { GiB, KiB, MiB } from './units.ts';

describe('reference §2.2: per-block memmap and memmap_on_memory eligibility', () => {
  const rows: [keyof typeof ARCHES, number, number, boolean, boolean, number][] = [
    // arch, block, memmap pages, plain `on` eligible, `force` eligible, force waste pages
    ['x86_64', 128 * MiB, 512, true, true, 0],
    ['x86_64', 256 * MiB, 1024, true, true, 0],
    ['x86_64', 512 * MiB, 2048, true, true, 0],
    ['x86_64', 1 * GiB, 4096, true, true, 0],
    ['x86_64', 2 * GiB, 8192, true, true, 0],
    ['arm64-4k', 128 * MiB, 512, true, true, 0],
    ['riscv64', 128 * MiB, 512, true, true, 0],
    ['arm64-16k', 128 * MiB, 32, false, false, 2016],
    ['arm64-64k', 512 * MiB, 8, false, false, 8184],
    ['ppc64-radix-64k', 256 * MiB, 4, false, true, 28],
    ['ppc64-radix-64k', 1 * GiB, 16, false, true, 16],
    ['ppc64-radix-4k', 256 * MiB, 1024, true, true, 0],
    ['ppc64-hash-64k', 256 * MiB, 4, false, false, 252],
    ['s390x', 128 * MiB, 512, true, true, 0],
    ['s390x', 256 * MiB, 1024, true, true, 0],
  ];
  for (const [arch, block, pages, on, force, waste] of rows) {
    it(`${arch}, ${block / MiB} MiB blocks: ${pages} memmap pages, on=${on}, force=${force}`, () => {
      const spec = ARCHES[arch];
      const plain = mmoGeometry(spec, block, 64, false);
      expect(plain.usedPages).toBe(pages);
      expect(plain.vmemmapBytes).toBe((block / spec.pageSize) * 64);
      expect(plain.problem === null).toBe(on);
      const forced = mmoGeometry(spec, block, 64, true);
      expect(forced.problem === null).toBe(force);
      if (force) expect(forced.wastePages).toBe(waste);
    });
  }

  it('ppc64 radix 64K with force reserves 32 pages (2 MiB): 4 used, 28 wasted, 0.68 % of the block', () => {
    const geometry = mmoGeometry(ARCHES['ppc64-radix-64k'], 256 * MiB, 64, true);
    expect(geometry.memmapPages).toBe(32);
    expect(geometry.memmapPages * 64 * KiB).toBe(2 * MiB);
    expect(((geometry.wastePages * 64 * KiB) / (256 * MiB)) * 100).toBeCloseTo(0.68, 2);
  });

  it('arm64 64K with force is rejected: padding gives the whole block', () => {
    expect(mmoGeometry(ARCHES['arm64-64k'], 512 * MiB, 64, true).problem).toMatch(
      /whole memory block/,
    );
  });

  it('a 72-byte struct page breaks x86 memmap_on_memory (2.25 MiB per 128 MiB block)', () => {
    const geometry = mmoGeometry(ARCHES.x86_64, 128 * MiB, 72, false);
    expect(geometry.vmemmapBytes).toBe(2.25 * MiB);
    expect(geometry.problem).not.toBeNull();
    expect(mmoGeometry(ARCHES.x86_64, 128 * MiB, 72, true).problem).toMatch(/PMD/);
  });

  it('U1 (v5.13) needs a PMD-aligned memmap and a pageblock-aligned remainder', () => {
    expect(mmoGeometryU1(ARCHES.x86_64, 128 * MiB, 64).problem).toBeNull();
    expect(mmoGeometryU1(ARCHES['arm64-16k'], 128 * MiB, 64).problem).toMatch(/PMD/);
  });
});

describe('reference §2.3: x86 memory block size', () => {
  it('128 MiB below 64 GiB of boot memory end', () => {
    expect(x86BlockSize(6 * GiB, true)).toBe(128 * MiB);
    expect(x86BlockSize(48 * GiB, false)).toBe(128 * MiB);
  });
  it('2 GiB on bare metal at 64 GiB and more', () => {
    expect(x86BlockSize(256 * GiB, false)).toBe(2 * GiB);
  });
  it('in a VM, the largest power of two up to 2 GiB dividing the boot memory end', () => {
    expect(x86BlockSize(130 * GiB, true)).toBe(2 * GiB);
    expect(x86BlockSize(129 * GiB, true)).toBe(1 * GiB);
    expect(x86BlockSize(64 * GiB, true)).toBe(2 * GiB);
    expect(x86BlockSize(64 * GiB + 128 * MiB, true)).toBe(128 * MiB);
  });
});
