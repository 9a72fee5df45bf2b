/** The one-click comparisons, and the arch switch that keeps a hugetlb request valid. */
import { describe, expect, it } from 'vitest';
import { catalog } from '../engine/catalog.ts';
import { simulate } from '../engine/simulate.ts';
import { DEFAULT_SCENARIO } from './default-scenario.ts';
import { comparePair } from './compare-pairs.ts';
import { setArch, setKernelChoice } from './scenario-edit.ts';

const facts = { catalog: catalog(), resolved: undefined };
const sizesOf = (id: string) => catalog().arches.find((a) => a.id === id)?.hugePageSizes;

describe('compare pairs', () => {
  it('memmap on memory: B is A with the feature the other way', () => {
    expect(comparePair(DEFAULT_SCENARIO, 'memmap-on-memory', facts).kernel?.memmapOnMemory).toBe(
      'off',
    );
    const off = { ...DEFAULT_SCENARIO, kernel: { memmapOnMemory: 'off' as const } };
    expect(comparePair(off, 'memmap-on-memory', facts).kernel?.memmapOnMemory).toBe('on');
  });

  it('version: the other of the two LTS kernels Debian packages, era removed', () => {
    // The store passes what the engine resolved for A.
    const resolved = { kernelVersion: '6.12' } as never;
    const b = comparePair(DEFAULT_SCENARIO, 'version', { ...facts, resolved });
    expect(b.kernelVersion).toBe('6.1');
    expect(b).not.toHaveProperty('era');
    expect(comparePair(b, 'version', facts).kernelVersion).toBe('6.12');
  });

  it('strategy: node host blocks against the kernel, with memmap on memory on', () => {
    const off = { ...DEFAULT_SCENARIO, kernel: { memmapOnMemory: 'off' as const } };
    const b = comparePair(off, 'strategy', facts);
    expect(b.kernel).toMatchObject({ memmapOnMemory: 'on', strategy: { kind: 'node-hosts' } });
    expect(simulate(b).ok).toBe(true);
  });

  it('same: a copy', () => {
    expect(comparePair(DEFAULT_SCENARIO, 'same', facts)).toBe(DEFAULT_SCENARIO);
  });
});

describe('setArch', () => {
  it('moves a gigantic request to the new arch gigantic size, keeping the bytes', () => {
    const arm = setArch(DEFAULT_SCENARIO, 'arm64-64k', sizesOf, 'x86_64');
    expect(arm.events?.find((e) => e.op === 'hugetlb')).toMatchObject({
      pageSize: '512M',
      count: 16,
    });
    expect(simulate(arm).ok).toBe(true);
    const hash = setArch(DEFAULT_SCENARIO, 'ppc64-hash-64k', sizesOf, 'x86_64');
    expect(hash.events?.find((e) => e.op === 'hugetlb')).toMatchObject({
      pageSize: '16G',
      count: 1,
    });
    expect(simulate(hash).ok).toBe(true);
  });

  it('a gigantic request stays gigantic where the new arch has more sizes', () => {
    const s390 = setArch(DEFAULT_SCENARIO, 's390x', sizesOf, 'x86_64');
    expect(s390.events?.find((e) => e.op === 'hugetlb')).toMatchObject({
      pageSize: '2G',
      count: 4,
    });
    // 2 GiB is s390's largest: on arm64 with 4K pages it becomes its largest, 1 GiB, not 2 MiB.
    const arm = setArch(s390, 'arm64-4k', sizesOf, 's390x');
    expect(arm.events?.find((e) => e.op === 'hugetlb')).toMatchObject({ pageSize: '1G', count: 8 });
  });

  it('keeps a size the new arch has', () => {
    const arm4k = setArch(DEFAULT_SCENARIO, 'arm64-4k', sizesOf, 'x86_64');
    expect(arm4k.events?.find((e) => e.op === 'hugetlb')).toMatchObject({
      pageSize: '1G',
      count: 8,
    });
  });

  it('the kernel choice sets a version or an RFC era, never both', () => {
    expect(setKernelChoice(DEFAULT_SCENARIO, { kernelVersion: '6.1' })).toMatchObject({
      kernelVersion: '6.1',
    });
    expect(setKernelChoice(DEFAULT_SCENARIO, { kernelVersion: '6.1' })).not.toHaveProperty('era');
    const rfc = setKernelChoice({ ...DEFAULT_SCENARIO, kernelVersion: '6.1' }, { era: 'RFC2' });
    expect(rfc).toMatchObject({ era: 'RFC2' });
    expect(rfc).not.toHaveProperty('kernelVersion');
  });
});
