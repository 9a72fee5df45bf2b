/** The catalog the worker hands the page: every choice the controls offer, in the engine's words. */
import { describe, expect, it } from 'vitest';
import { catalog, FIGURES } from './catalog.ts';
import { simulate } from './simulate.ts';
import { ARCH_IDS } from './arch.ts';
import { LTS } from './kernel/versions.ts';

describe('catalog', () => {
  const c = catalog();

  it('offers the RFC v1 and v2, every LTS and every version a rule arrived in, in order', () => {
    const values = c.kernels.map((k) => k.value);
    expect(values.slice(0, 2)).toEqual(['RFC1', 'RFC2']);
    for (const lts of LTS) expect(values).toContain(lts);
    for (const since of ['4.17', '5.13', '6.6', '6.8', '6.13']) expect(values).toContain(since);
    const versions = c.kernels.filter((k) => k.kernelVersion);
    const order = versions.map((k) => k.kernelVersion!.split('.').map(Number));
    for (let i = 1; i < order.length; i++)
      expect(
        order[i]![0]! * 100 + order[i]![1]! > order[i - 1]![0]! * 100 + order[i - 1]![1]!,
      ).toBe(true);
    expect(c.kernels.find((k) => k.value === '6.6')!.label).toBe(
      'Linux 6.6 LTS (memmap_on_memory=force, ppc64 memmap_on_memory, ppc64 dax dedup)',
    );
  });

  it('every kernel choice is a scenario the engine accepts, of the era it names', () => {
    for (const kernel of c.kernels) {
      const outcome = simulate({
        version: 1,
        ...(kernel.kernelVersion ? { kernelVersion: kernel.kernelVersion } : { era: kernel.era }),
      });
      expect(outcome.ok, kernel.value).toBe(true);
      if (outcome.ok) expect(outcome.result.resolved.era).toBe(kernel.era);
    }
  });

  it('has every arch with its huge page sizes, and every Summary figure once', () => {
    expect(c.arches.map((a) => a.id)).toEqual([...ARCH_IDS]);
    // 64K pages: PMD-sized pages are 512 MiB, the gigantic-page window the map tiles by.
    expect(c.arches.find((a) => a.id === 'arm64-64k')!.hugePageSizes.at(-1)).toBe(512 * 1024 ** 2);
    const keys = FIGURES.map((f) => f.key);
    expect(new Set(keys).size).toBe(keys.length);
    const outcome = simulate({ version: 1 });
    if (!outcome.ok) throw new Error();
    for (const key of keys) expect(typeof outcome.result.final.summary[key]).toBe('number');
  });

  it('strategy parameters start at values the engine accepts', () => {
    for (const strategy of c.strategies) {
      const parameter = strategy.parameter;
      const outcome = simulate({
        version: 1,
        kernel: {
          memmapOnMemory: 'on',
          strategy: {
            kind: strategy.kind,
            ...(parameter ? { [parameter.field]: parameter.start } : {}),
          },
        },
        events: [{ op: 'add', size: '4G' }, { op: 'online' }],
      });
      expect(outcome.ok, strategy.kind).toBe(true);
    }
  });
});
