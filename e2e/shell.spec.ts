import { test, expect, waitForEngine, expectNoAxeViolations } from './fixtures.ts';

test('the page loads with the product name and its regions, and the engine answers', async ({
  page,
}) => {
  await page.goto('./');
  await expect(page.getByRole('heading', { level: 1, name: 'Memmap Explorer' })).toBeVisible();
  for (const region of ['Controls', 'Map', 'Narration']) {
    await expect(page.getByRole('region', { name: region, exact: true })).toBeVisible();
  }
  await waitForEngine(page);
});

test('axe finds no violations', async ({ page }) => {
  await page.goto('./');
  await waitForEngine(page);
  await expectNoAxeViolations(page);
});

test('a dead worker is reported in an alert and can be restarted', async ({ page }) => {
  await page.goto('./');
  await waitForEngine(page);
  await page.evaluate(() => {
    (window as unknown as { __memmap: { getState(): { killWorkerForTest(): void } } }).__memmap
      .getState()
      .killWorkerForTest();
  });
  const alert = page.getByRole('alert');
  await expect(alert).toContainText('The simulation stopped');
  await alert.getByRole('button', { name: 'Restart engine' }).click();
  await waitForEngine(page);
  await expect(page.getByRole('alert')).toHaveCount(0);
});

test('readable at phone width', async ({ page }) => {
  await page.setViewportSize({ width: 390, height: 844 });
  await page.goto('./');
  await waitForEngine(page);
  const overflow = await page.evaluate(
    () => document.documentElement.scrollWidth - window.innerWidth,
  );
  expect(overflow).toBeLessThanOrEqual(0);
});
