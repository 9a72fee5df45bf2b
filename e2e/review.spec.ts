/**
 * Review tools: compare side by side, what changed, kernel views, export and the embed link.
 * Every figure is checked against the engine run in Node on the page's own scenarios.
 */
import { readFileSync } from 'node:fs';
import type { Page } from '@playwright/test';
import { test, expect, expectNoAxeViolations } from './fixtures.ts';
import { engineResult, openFresh, settled } from './helpers.ts';
import { simulate } from '../src/engine/simulate.ts';
import { FIGURES } from '../src/engine/catalog.ts';
import type { Result } from '../src/engine/result.ts';

type CompareState = { scenario: unknown; compare: unknown; view: { step: number } };

async function bothResults(page: Page): Promise<[Result, Result]> {
  const { scenario, compare, view } = await page.evaluate(
    () => window.__memmap.getState() as unknown as CompareState,
  );
  const run = (s: unknown) => {
    const outcome = simulate(s, { finalAt: view.step });
    if (!outcome.ok) throw new Error(JSON.stringify(outcome.errors));
    return outcome.result;
  };
  return [run(scenario), run(compare)];
}

test('compare: memmap on memory off in B, the comparison table holds both and the difference, the link restores it', async ({
  page,
  context,
}) => {
  await openFresh(page);
  await page.getByRole('combobox', { name: 'Compare' }).selectOption('memmap-on-memory');
  await settled(page);
  await expect(page.getByTestId('memory-map')).toHaveCount(2);
  const [a, b] = await bothResults(page);
  expect(a.final.summary.memmapSelfHostedBytes).toBe(128 * 1024 ** 2);
  expect(b.final.summary.memmapFromRamBytes).toBe(128 * 1024 ** 2);
  const table = page.getByRole('table', { name: 'Comparison' });
  for (const figure of FIGURES) {
    const row = table.locator(`tr[data-field="${figure.key}"]`);
    const cells = row.locator('td');
    await expect(cells.nth(0)).toHaveAttribute('data-value', String(a.final.summary[figure.key]));
    await expect(cells.nth(1)).toHaveAttribute('data-value', String(b.final.summary[figure.key]));
    await expect(cells.nth(2)).toHaveAttribute(
      'data-value',
      String(b.final.summary[figure.key] - a.final.summary[figure.key]),
    );
  }
  await expect(table.locator('tr[data-field="memmapFromRamBytes"] td').nth(2)).toHaveText(
    '+128 MiB',
  );
  // The cells of B that differ from A are marked, and said so in B's legend.
  await expect(page.getByRole('list', { name: 'Legend' }).nth(1)).toContainText('differs from A');
  // Controls edit B.
  await page.getByLabel('movable_node', { exact: true }).check();
  await settled(page);
  const state = await page.evaluate(() => window.__memmap.getState() as unknown as CompareState);
  expect(state.compare).toMatchObject({ kernel: { movableNode: true, memmapOnMemory: 'off' } });
  expect(state.scenario).not.toMatchObject({ kernel: { movableNode: true } });

  await page.waitForTimeout(400);
  const link = page.url();
  const other = await context.newPage();
  await other.goto(link);
  await settled(other);
  const restored = await other.evaluate(
    () => window.__memmap.getState() as unknown as CompareState,
  );
  expect(restored.scenario).toEqual(state.scenario);
  expect(restored.compare).toEqual(state.compare);
  await expect(other.getByRole('table', { name: 'Comparison' })).toBeVisible();

  // Leaving keeps B.
  await page.getByRole('button', { name: 'Leave compare (keep B)' }).click();
  await settled(page);
  const left = await page.evaluate(() => window.__memmap.getState() as unknown as CompareState);
  expect(left.compare).toBeNull();
  expect(left.scenario).toEqual(state.compare);
  await expect(page.getByTestId('memory-map')).toHaveCount(1);
});

test('compare: this kernel against another version', async ({ page }) => {
  await openFresh(page);
  await page.getByRole('combobox', { name: 'Compare' }).selectOption('version');
  await settled(page);
  const [a, b] = await bothResults(page);
  expect(a.resolved.kernelVersion).toBe('6.12');
  expect(b.resolved.kernelVersion).toBe('6.1');
  await expect(page.locator('.side-caption[data-side="b"]')).toContainText('Linux 6.1');
});

test('what changed: the Summary marks the figures a step changed, by how much', async ({
  page,
}) => {
  await openFresh(page);
  await page.getByRole('slider', { name: 'Step' }).fill('2');
  await settled(page);
  const scenario = await page.evaluate(() => window.__memmap.getState().scenario);
  const at = (step: number) => {
    const outcome = simulate(scenario, { finalAt: step });
    if (!outcome.ok) throw new Error('invalid');
    return outcome.result.final.summary;
  };
  const [before, after] = [at(1), at(2)];
  // Onlining changes MemFree and the blocks online, not the memmap.
  expect(after.blocksOnline - before.blocksOnline).toBe(64);
  for (const figure of FIGURES) {
    const row = page.locator(`.summary-row[data-field="${figure.key}"]`);
    const delta = after[figure.key] - before[figure.key];
    if (delta) {
      await expect(row, figure.key).toHaveClass(/changed/);
      await expect(row.locator('dd')).toHaveAttribute('data-delta', String(delta));
    } else await expect(row, figure.key).not.toHaveClass(/changed/);
  }
  await expect(page.locator('.summary-row[data-field="blocksOnline"] .delta')).toHaveText('+64');
  // The narration names the blocks the step changed.
  await expect(page.getByTestId('narration')).toContainText(
    'Blocks that changed: memory64–memory127',
  );
});

test('kernel views: each tab shows what the engine prints at the step, in its format', async ({
  page,
  context,
}) => {
  await context.grantPermissions(['clipboard-read', 'clipboard-write']);
  await openFresh(page);
  await page.getByText('Kernel views: what the kernel would print').click();
  const scenario = await page.evaluate(() => window.__memmap.getState().scenario);
  for (const step of [3, 1]) {
    if (step !== 3) {
      await page.getByRole('slider', { name: 'Step' }).fill(String(step));
      await settled(page);
    }
    const outcome = simulate(scenario, { finalAt: step, views: true });
    if (!outcome.ok || !outcome.result.views) throw new Error('no views');
    const views = outcome.result.views;
    const tabs: [string, keyof typeof views][] = [
      ['lsmem', 'lsmem'],
      ['/proc/meminfo', 'meminfo'],
      ['/proc/zoneinfo', 'zoneinfo'],
      ['/proc/iomem', 'iomem'],
      ['/sys/devices/system/memory', 'sysfs'],
      ['dmesg', 'dmesg'],
    ];
    for (const [tab, format] of tabs) {
      await page.getByRole('tab', { name: tab, exact: true }).click();
      const text = await page.getByTestId('kernel-view').textContent();
      expect(text, `${tab} at step ${step}`).toBe(views[format].text || '(no output)');
    }
  }
  await page.getByRole('tab', { name: 'lsmem', exact: true }).click();
  await expect(page.getByTestId('kernel-view')).toContainText('Memory block size:');
  await page.getByRole('tabpanel').getByRole('button', { name: 'Copy' }).click();
  const copied = await page.evaluate(() => navigator.clipboard.readText());
  expect(copied).toMatch(/^RANGE +SIZE +STATE +REMOVABLE +BLOCK/);
});

test('export: PNG at twice the map size, SVG as shapes of the map size, scenario and result JSON', async ({
  page,
}) => {
  await openFresh(page);
  const map = page.getByTestId('memory-map');
  const box = (await map.boundingBox())!;
  const save = async (name: string) => {
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page
        .getByRole('group', { name: 'Export' })
        .getByRole('button', { name, exact: true })
        .click(),
    ]);
    return { name: download.suggestedFilename(), data: readFileSync((await download.path())!) };
  };
  const png = await save('PNG');
  expect(png.name).toBe('memmap-explorer-8-gib-dimm-hot-added-to-node-1-of-a-6-gib-vm.png');
  expect([...png.data.subarray(1, 4)].map((c) => String.fromCharCode(c)).join('')).toBe('PNG');
  expect(png.data.readUInt32BE(16)).toBe(Math.round(box.width) * 2);
  expect(png.data.readUInt32BE(20)).toBe(Math.round(box.height) * 2);

  const svg = await save('SVG');
  expect(svg.name).toMatch(/\.svg$/);
  const parsed = await page.evaluate((text) => {
    const doc = new DOMParser().parseFromString(text, 'image/svg+xml');
    const root = doc.documentElement;
    return {
      error: doc.querySelector('parsererror')?.textContent ?? null,
      width: root.getAttribute('width'),
      height: root.getAttribute('height'),
      uses: doc.querySelectorAll('use').length,
      rects: doc.querySelectorAll('rect').length,
    };
  }, svg.data.toString('utf8'));
  expect(parsed.error).toBeNull();
  expect(parsed.width).toBe(String(Math.round(box.width)));
  expect(parsed.height).toBe(String(Math.round(box.height)));
  expect(parsed.uses).toBeGreaterThan(10);
  expect(parsed.rects).toBeGreaterThan(100);

  const scenarioFile = await save('Scenario JSON');
  expect(JSON.parse(scenarioFile.data.toString('utf8'))).toEqual(
    await page.evaluate(() => window.__memmap.getState().scenario),
  );
  const resultFile = await save('Result JSON');
  expect(resultFile.name).toMatch(/\.result\.json$/);
  const result = JSON.parse(resultFile.data.toString('utf8'));
  expect(result.final.summary).toEqual((await engineResult(page)).final.summary);
});

test('the embed link opens the map alone, still interactive', async ({ page, context }) => {
  await openFresh(page);
  await page.getByRole('button', { name: 'Embed link' }).click();
  const url = await page.getByLabel('Embed link (the map alone)').inputValue();
  const embed = await context.newPage();
  await embed.goto(url);
  await settled(embed);
  await expect(embed.getByTestId('memory-map')).toBeVisible();
  await expect(embed.getByRole('region', { name: 'Controls' })).toHaveCount(0);
  await expect(embed.getByLabel('memmap on memory (altmap)')).toHaveCount(0);
  await expect(embed.getByRole('link', { name: 'Open in Memmap Explorer' })).toBeVisible();
  const map = embed.getByTestId('memory-map');
  await map.focus();
  const before = Number(await map.getAttribute('data-zoom'));
  await embed.keyboard.press('+');
  await expect
    .poll(async () => Number(await map.getAttribute('data-zoom')))
    .toBeGreaterThan(before);
});

for (const colorScheme of ['light', 'dark'] as const) {
  test(`axe: compare mode with the kernel views and the QEMU panel open, ${colorScheme}`, async ({
    page,
  }) => {
    await page.emulateMedia({ colorScheme });
    await openFresh(page);
    await page.getByRole('combobox', { name: 'Compare' }).selectOption('memmap-on-memory');
    await settled(page);
    await page.getByText('Kernel views: what the kernel would print').click();
    await page.getByText('Reproduce in QEMU').click();
    await expect(page.getByTestId('kernel-view')).toBeVisible();
    await expectNoAxeViolations(page);
  });
}

test('compare mode stacks the two maps on a phone, without sideways scrolling', async ({
  page,
}) => {
  await page.setViewportSize({ width: 390, height: 844 });
  await openFresh(page);
  await page.getByRole('combobox', { name: 'Compare' }).selectOption('memmap-on-memory');
  await settled(page);
  const [a, b] = await page.getByTestId('memory-map').all();
  const boxA = (await a!.boundingBox())!;
  const boxB = (await b!.boundingBox())!;
  expect(boxB.y).toBeGreaterThan(boxA.y + boxA.height - 1);
  const overflow = await page.evaluate(
    () => document.documentElement.scrollWidth - window.innerWidth,
  );
  expect(overflow).toBeLessThanOrEqual(0);
});
