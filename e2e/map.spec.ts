import { test, expect, expectNoAxeViolations } from './fixtures.ts';
import {
  engineResult,
  expectSummaryMatchesEngine,
  hoverTile,
  openFresh,
  pageScenario,
  settled,
} from './helpers.ts';
import { inspectAddress } from '../src/engine/inspect.ts';
import { toColumns } from '../src/engine/columns.ts';

test.describe('controls re-simulate and the summary equals the engine', () => {
  test.beforeEach(async ({ page }) => openFresh(page));

  test('the default scenario', async ({ page }) => {
    const result = await expectSummaryMatchesEngine(page);
    expect(result.final.summary.memmapSelfHostedBytes).toBe(128 * 1024 ** 2);
  });

  test('memmap on memory (altmap) moves the memmap from the new memory to RAM and back', async ({
    page,
  }) => {
    const box = page.getByLabel('memmap on memory (altmap)', { exact: true });
    await expect(box).toBeChecked();
    await box.uncheck();
    let result = await expectSummaryMatchesEngine(page);
    expect(result.final.summary.memmapFromRamBytes).toBe(128 * 1024 ** 2);
    expect(result.final.summary.giganticPossible).toBeGreaterThan(0);
    await box.check();
    result = await expectSummaryMatchesEngine(page);
    expect(result.final.summary.memmapFromRamBytes).toBe(0);
  });

  test('force mode', async ({ page }) => {
    await page.getByLabel('Architecture', { exact: true }).selectOption('ppc64-radix-64k');
    await page.getByLabel('force (pad to pageblocks)').check();
    const result = await expectSummaryMatchesEngine(page);
    expect(result.final.summary.memmapWastedBytes).toBeGreaterThan(0);
  });

  test('movable_node puts legacy struct pages off-node', async ({ page }) => {
    await page.getByLabel('memmap on memory (altmap)', { exact: true }).uncheck();
    await page.getByLabel('movable_node', { exact: true }).check();
    const result = await expectSummaryMatchesEngine(page);
    expect(result.final.summary.memmapOffNodeBytes).toBeGreaterThan(0);
  });

  test('gigantic-page badges are on when the scenario asks for gigantic pages, and can be switched off', async ({
    page,
  }) => {
    const map = page.getByTestId('memory-map');
    const badges = page.getByLabel('1 GiB page badges', { exact: true });
    // The default scenario ends with a request for 8 × 1 GiB pages.
    await expect(map).toHaveAttribute('data-badges', 'true');
    await expect(badges).toBeChecked();
    await badges.uncheck();
    await expect(map).toHaveAttribute('data-badges', 'false');
    await badges.check();
    await expect(map).toHaveAttribute('data-badges', 'true');
    await expectSummaryMatchesEngine(page);
  });

  test('the kernel select offers the RFC, each LTS and each version where a rule changed', async ({
    page,
  }) => {
    const kernel = page.getByLabel('Kernel', { exact: true });
    const options = await kernel.locator('option').allTextContents();
    expect(options.slice(0, 2)).toEqual([
      '2017 RFC v1 (Hocko, 26 Jul 2017)',
      '2017 RFC v2 (Hocko, 1 Aug 2017)',
    ]);
    for (const lts of ['4.14', '4.19', '5.4', '5.10', '5.15', '6.1', '6.6', '6.12'])
      expect(options.some((text) => text.startsWith(`Linux ${lts} LTS`))).toBe(true);
    expect(options).toContain('Linux 5.13 (memmap_on_memory)');
    await expect(kernel).toHaveValue('6.12');
    for (const value of ['RFC1', '6.1', '5.10']) {
      await kernel.selectOption(value);
      const result = await expectSummaryMatchesEngine(page);
      expect(value.startsWith('RFC') ? result.resolved.era : result.resolved.kernelVersion).toBe(
        value,
      );
    }
    const { scenario } = await pageScenario(page);
    expect(scenario).toMatchObject({ kernelVersion: '5.10' });
    expect(scenario).not.toHaveProperty('era');
  });

  test('a knob that changes nothing for the chosen kernel is disabled with the reason beside it', async ({
    page,
  }) => {
    await page.getByLabel('Kernel', { exact: true }).selectOption('5.10');
    await settled(page);
    const box = page.getByLabel('memmap on memory (altmap)', { exact: true });
    await expect(box).toBeDisabled();
    await expect(box).toHaveAccessibleDescription(
      'memory_hotplug.memmap_on_memory arrived in v5.13',
    );
    await page.getByLabel('Kernel', { exact: true }).selectOption('6.12');
    await settled(page);
    await expect(box).toBeEnabled();
    // On x86_64 the memmap of a 128 MiB block is whole pageblocks: force equals on.
    await expect(page.getByLabel('force (pad to pageblocks)')).toHaveAccessibleDescription(
      /force equals on/,
    );
  });

  test('Architecture and Memory block size', async ({ page }) => {
    await page.getByLabel('Memory block size', { exact: true }).selectOption('1G');
    let result = await expectSummaryMatchesEngine(page);
    expect(result.resolved.blockSize).toBe(1024 ** 3);
    await page.getByLabel('Architecture', { exact: true }).selectOption('arm64-4k');
    result = await expectSummaryMatchesEngine(page);
    expect(result.resolved.arch).toBe('arm64-4k');
  });

  test('Online policy and auto-online', async ({ page }) => {
    await page.getByLabel('Online policy', { exact: true }).selectOption('auto-movable');
    await page.getByLabel('Auto-online', { exact: true }).selectOption('online');
    await expectSummaryMatchesEngine(page);
  });

  test('hot-add size and node; a bad size is reported and changes nothing', async ({ page }) => {
    const size = page.getByLabel('Hot-add size', { exact: true });
    await size.fill('16G');
    await size.press('Enter');
    let result = await expectSummaryMatchesEngine(page);
    expect(result.final.summary.memmapTotalBytes).toBe(256 * 1024 ** 2);
    await size.fill('12Q');
    await size.press('Enter');
    await expect(page.getByText('“12Q” is not a size')).toBeVisible();
    await expect(size).toHaveAttribute('aria-invalid', 'true');
    result = await expectSummaryMatchesEngine(page);
    expect(result.final.summary.memmapTotalBytes).toBe(256 * 1024 ** 2);
    await page.getByLabel('Hot-add node', { exact: true }).selectOption('0');
    result = await expectSummaryMatchesEngine(page);
    expect(result.steps[1]!.memmapFromRamByNode ?? {}).toEqual({});
  });

  test("an add the kernel refuses shows as a failed step with the kernel's reason", async ({
    page,
  }) => {
    const size = page.getByLabel('Hot-add size', { exact: true });
    await size.fill('100M');
    await size.press('Enter');
    // 100 MiB is a size, so the scenario is valid, but the kernel refuses an unaligned add.
    await settled(page);
    await page.getByRole('button', { name: 'Previous step' }).click();
    await page.getByRole('button', { name: 'Previous step' }).click();
    await settled(page);
    await expect(page.getByTestId('narration')).toContainText('failed');
    await expect(page.getByTestId('narration')).toContainText(
      'Block size [0x8000000] unaligned hotplug range',
    );
  });
});

test('the inspector shows what the engine says about the page under the pointer', async ({
  page,
}) => {
  await openFresh(page);
  const map = page.getByTestId('memory-map');
  const box = (await map.boundingBox())!;
  const point = await hoverTile(page);
  const addr = await page.evaluate(
    () => (window.__memmap.getState() as unknown as { hover: number }).hover,
  );
  expect(addr).not.toBeNull();
  const result = await engineResult(page);
  const expected = inspectAddress(
    toColumns(result.final, result.resolved.pageSize),
    result.resolved,
    addr,
  );
  const inspector = page.getByRole('definition').locator('xpath=..').filter({ hasText: 'pfn' });
  await expect(inspector.first()).toContainText(`0x${expected.pfn.toString(16)}`);
  await expect(page.locator('dl[aria-label="Inspector"]')).toContainText(`memory${expected.block}`);
  await expect(page.locator('dl[aria-label="Inspector"]')).toContainText(expected.vmemmapAddr!);
  await page.mouse.click(point.x, point.y);
  await page.mouse.move(box.x + 2, box.y + 2);
  await page.mouse.move(box.x - 20, box.y - 20);
  await expect(page.locator('dl[aria-label="Inspector"]')).toContainText(
    `0x${expected.pfn.toString(16)}`,
  );
  await page.getByRole('button', { name: 'Clear selection' }).click();
  await expect(page.locator('dl[aria-label="Inspector"]')).toHaveCount(0);
});

test("the table view lists the engine's block runs", async ({ page }) => {
  await openFresh(page);
  await page.getByRole('button', { name: 'Table view' }).click();
  const table = page.getByRole('table');
  await expect(table).toBeVisible();
  const result = await engineResult(page);
  await expect(table.locator('tbody tr')).toHaveCount(result.final.blocks.length);
  const first = result.final.blocks.find((run) => run.event === 0)!;
  const row = table
    .locator('tbody tr')
    .filter({ hasText: `0x${first.startAddr.toString(16).padStart(16, '0')}` });
  await expect(row).toContainText(first.state);
  await expect(row).toContainText(first.zone ?? '—');
  await page.getByRole('button', { name: 'Map view' }).click();
  await expect(page.getByTestId('memory-map')).toBeVisible();
});

test('keys: + and - zoom, 0 resets; the store keeps the window', async ({ page }) => {
  await openFresh(page);
  const map = page.getByTestId('memory-map');
  const zoom = async () => Number(await map.getAttribute('data-zoom'));
  const windowOf = () =>
    page.evaluate(
      () => (window.__memmap.getState() as unknown as { view: { window: unknown } }).view.window,
    );
  await map.focus();
  const fit = await zoom();
  await page.keyboard.press('+');
  await page.keyboard.press('+');
  await expect.poll(zoom).toBeCloseTo(fit * 2.56, 2);
  await expect.poll(windowOf).not.toBeNull();
  await page.keyboard.press('-');
  await expect.poll(zoom).toBeCloseTo(fit * 1.6, 2);
  await page.keyboard.press('0');
  await expect.poll(zoom).toBeCloseTo(fit, 3);
  await expect.poll(windowOf).toBeNull();
});

test('changes animate, and do not under prefers-reduced-motion', async ({ page }) => {
  await openFresh(page);
  const map = page.getByTestId('memory-map');
  await page.getByLabel('memmap on memory (altmap)', { exact: true }).uncheck();
  await expect(map).toHaveAttribute('data-animating', 'true');
  await expect(map).toHaveAttribute('data-animating', 'false');
  await page.emulateMedia({ reducedMotion: 'reduce' });
  await page.getByLabel('memmap on memory (altmap)', { exact: true }).check();
  await settled(page);
  await expect(map).toHaveAttribute('data-painted', /\d+/);
  await page.waitForTimeout(100);
  await expect(map).toHaveAttribute('data-animating', 'false');
});

for (const colorScheme of ['light', 'dark'] as const) {
  test(`axe finds no violations in the ${colorScheme} theme, map and table`, async ({ page }) => {
    await page.emulateMedia({ colorScheme });
    await openFresh(page);
    await expectNoAxeViolations(page);
    await page.getByRole('button', { name: 'Table view' }).click();
    await expectNoAxeViolations(page);
  });
}

test('the DOM does not grow with the machine', async ({ page }) => {
  await openFresh(page);
  const small = await page.evaluate(() => document.querySelectorAll('*').length);
  await page.evaluate(() => {
    const state = window.__memmap.getState() as unknown as { load: (s: unknown) => unknown };
    const TiB = 1024 ** 4;
    state.load({
      version: 1,
      machine: {
        virtual: false,
        nodes: Array.from({ length: 16 }, (_, id) => ({
          id,
          ram: [{ start: id * 2 * TiB, size: 2 * TiB }],
        })),
      },
      events: [
        ...Array.from({ length: 256 }, (_, i) => ({
          op: 'add',
          size: '128G',
          start: 32 * TiB + i * 128 * 1024 ** 3,
        })),
        { op: 'online' },
      ],
    });
  });
  await settled(page);
  const big = await page.evaluate(() => document.querySelectorAll('*').length);
  expect(big).toBeLessThan(1500);
  // The accessible list grows with the tiles drawn (runs collapse), never with the machine.
  expect(big - small).toBeLessThan(200);
});
