import { describe, expect, it } from 'vitest';
import { simulate } from '../engine/simulate.ts';
import { GiB, MiB } from '../engine/units.ts';
import { PRESETS } from './presets.ts';
import { encodeShareFragment } from './url-codec.ts';
import { decodeAndValidate } from './url-validate.ts';
import { DEFAULT_VIEW } from './view.ts';

/** What each demo is there to show, in the engine's numbers. */
const EXPECTED: Record<string, number> = {
  'rfc-as-posted': 2,
  'gigantic-vs-mom': 0,
  'two-gib-blocks': 8,
  'movable-node-legacy': 256 * MiB,
  'movable-node-u3': 0,
  'hmm-rfc1': 0,
  'hmm-rfc2': 256 * MiB,
  'pmem-dev-vs-mem': 256 * MiB,
  'ppc64-force': 112 * MiB,
  'cxl-kmem': 4 * GiB,
  'linux-6.1': 64 * MiB,
  'linux-6.12': 0,
};

describe('presets', () => {
  for (const preset of PRESETS) {
    it(`${preset.id}: valid, a link under 2,000 characters that opens at its last step, headline as intended`, () => {
      const outcome = simulate(preset.scenario);
      if (!outcome.ok) throw new Error(JSON.stringify(outcome.errors));
      const fragment = encodeShareFragment(preset.scenario, { ...DEFAULT_VIEW, ...preset.view });
      expect(fragment.length).toBeLessThanOrEqual(2000);
      const decoded = decodeAndValidate(fragment);
      expect(decoded.kind).toBe('ok');
      if (decoded.kind === 'ok') expect(decoded.view.step).toBe(preset.scenario.events?.length);
      const value = outcome.result.final.summary[preset.headline.field];
      if (preset.id in EXPECTED) expect(value).toBe(EXPECTED[preset.id]);
    });
  }

  it('the two ballooning demos: the legacy add fails before anything is online, memmap_on_memory adds 31.5 GiB', () => {
    const run = (id: string) => {
      const outcome = simulate(PRESETS.find((p) => p.id === id)!.scenario);
      if (!outcome.ok) throw new Error('invalid');
      return outcome.result;
    };
    const legacy = run('balloon-legacy');
    expect(legacy.steps[2]!.ok).toBe(false);
    expect(legacy.steps[2]!.error).toMatch(/vmemmap alloc failure/);
    const u3 = run('balloon-u3');
    expect(u3.steps[2]!.ok).toBe(true);
    expect(u3.steps[2]!.memTotal - u3.steps[1]!.memTotal).toBe(31.5 * GiB);
  });

  it('ids are unique', () => {
    expect(new Set(PRESETS.map((p) => p.id)).size).toBe(PRESETS.length);
  });
});
