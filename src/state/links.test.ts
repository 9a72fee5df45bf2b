/**
 * Stable links: every link of test/links.json, made with the link format of its day, still opens
 * the same view and the engine still gives it the recorded figures. A figure that changes for a
 * kernel reason changes in the file, with a note on the entry saying why (`npm run links`).
 */
import { describe, expect, it } from 'vitest';
import { open, readLinks, wanted } from '../../scripts/links.ts';

const links = readLinks();

describe('stable links', () => {
  it('there is a link for every demo and every edit the set asks for', () => {
    const names = new Set(links.map((entry) => entry.name));
    const missing = wanted().filter(({ name }) => !names.has(name));
    expect(
      missing.map(({ name }) => name),
      'run `npm run links` to add them',
    ).toEqual([]);
    expect(names.size).toBe(links.length);
  });

  for (const entry of links) {
    it(`${entry.name}: opens its view with its figures`, () => {
      expect(entry.link).toMatch(/^#s=\d+\.[A-Za-z0-9_-]+$/);
      const today = open(entry.link);
      expect(today.view).toEqual(entry.view);
      const hint =
        `${entry.name}: the engine's answer changed. If that is meant (a kernel reason), ` +
        'run `npm run links` and add a note to the entry saying why';
      expect(today.figures.step, hint).toBe(entry.figures.step);
      expect(today.figures.failedEvents, hint).toEqual(entry.figures.failedEvents);
      // Every recorded figure, by name (a figure the engine adds later is not part of the promise).
      const recorded = Object.fromEntries(
        Object.keys(entry.figures.summary).map((key) => [key, today.figures.summary[key]]),
      );
      expect(recorded, hint).toEqual(entry.figures.summary);
    });
  }
});
