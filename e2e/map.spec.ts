import { test, expect, expectNoAxeViolations } from './fixtures.ts';
import { engineResult, expectSummaryMatchesEngine, openFresh, settled } from './helpers.ts';
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

  test('1 GiB gigantic pages adds the window overlay with the engine count', async ({ page }) => {
    const map = page.getByTestId('memory-map');
    await expect(map).not.toHaveAttribute('data-tracks', /windows/);
    await page.getByLabel('1 GiB gigantic pages', { exact: true }).check();
    await expect(map).toHaveAttribute('data-tracks', /windows/);
    await expectSummaryMatchesEngine(page);
  });

  test('Kernel era, with the labels people know', async ({ page }) => {
    const era = page.getByLabel('Kernel era', { exact: true });
    await expect(era.locator('option')).toHaveText([
      'Before 5.13 (memmap in RAM)',
      '2017 RFC v1',
      '2017 RFC v2',
      'Linux 5.13–6.5',
      'Linux 6.6–6.7',
      'Linux 6.8+',
    ]);
    for (const value of ['RFC1', 'U1', 'LEGACY']) {
      await era.selectOption(value);
      await expectSummaryMatchesEngine(page);
    }
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
  await page.mouse.move(box.x + box.width * 0.8, box.y + box.height * 0.4);
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
  await page.mouse.click(box.x + box.width * 0.8, box.y + box.height * 0.4);
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

test('keys: + and - zoom, arrows pan, 0 resets', async ({ page }) => {
  await openFresh(page);
  const map = page.getByTestId('memory-map');
  await map.focus();
  await page.keyboard.press('+');
  await page.keyboard.press('+');
  await expect(map).toHaveAttribute('data-zoom', '2.560');
  await expect
    .poll(() =>
      page.evaluate(
        () => (window.__memmap.getState() as unknown as { view: { window: unknown } }).view.window,
      ),
    )
    .not.toBeNull();
  const before = await page.evaluate(
    () =>
      (window.__memmap.getState() as unknown as { view: { window: { start: number } } }).view.window
        .start,
  );
  await page.keyboard.press('ArrowRight');
  await expect
    .poll(() =>
      page.evaluate(
        () =>
          (window.__memmap.getState() as unknown as { view: { window: { start: number } } }).view
            .window.start,
      ),
    )
    .toBeGreaterThan(before);
  await page.keyboard.press('-');
  await expect(map).toHaveAttribute('data-zoom', '1.600');
  await page.keyboard.press('0');
  await expect(map).toHaveAttribute('data-zoom', '1.000');
  await expect
    .poll(() =>
      page.evaluate(
        () => (window.__memmap.getState() as unknown as { view: { window: unknown } }).view.window,
      ),
    )
    .toBeNull();
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
    await page.getByLabel('1 GiB gigantic pages', { exact: true }).check();
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
  expect(big - small).toBeLessThan(50);
});
