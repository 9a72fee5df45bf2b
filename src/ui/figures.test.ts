/** The Summary's figures as text: units, totals and differences, in the catalog's order. */
import { describe, expect, it } from 'vitest';
import { FIGURES } from '../engine/catalog.ts';
import { simulate } from '../engine/simulate.ts';
import { DEFAULT_SCENARIO } from '../state/default-scenario.ts';
import { deltaText, figureLabel, figureText } from './figures.ts';

describe('figures', () => {
  const outcome = simulate(DEFAULT_SCENARIO);
  if (!outcome.ok) throw new Error('invalid');
  const summary = outcome.result.final.summary;
  const text = Object.fromEntries(
    FIGURES.map((f) => [figureLabel(f, summary), figureText(f, summary)]),
  );

  it('bytes in binary units, counts with their total', () => {
    expect(text).toMatchObject({
      'Memmap total': '128 MiB',
      'Memmap inside hot-added memory': '128 MiB',
      '1 GiB pages possible': '0 of 13 windows',
      'Memory blocks online': '112 of 112',
      MemTotal: '13.8 GiB',
    });
  });

  it('differences with their sign, none when equal', () => {
    const total = FIGURES.find((f) => f.key === 'memmapTotalBytes')!;
    const online = FIGURES.find((f) => f.key === 'blocksOnline')!;
    expect(deltaText(total, 2 * 1024 ** 2)).toBe('+2 MiB');
    expect(deltaText(total, -128 * 1024 ** 2)).toBe('−128 MiB');
    expect(deltaText(online, 64)).toBe('+64');
    expect(deltaText(online, 0)).toBeNull();
  });
});
