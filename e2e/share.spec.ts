import { test, expect, expectNoAxeViolations } from './fixtures.ts';
import { engineResult, openFresh, pageScenario, settled, summaryValue } from './helpers.ts';
import { PRESETS } from '../src/state/presets.ts';
import { encodeShareFragment } from '../src/state/url-codec.ts';
import { DEFAULT_VIEW } from '../src/state/view.ts';
import type { Summary } from '../src/engine/result.ts';

const linkOf = (scenario: unknown, view: Partial<typeof DEFAULT_VIEW> = {}) =>
  `./${encodeShareFragment(scenario, { ...DEFAULT_VIEW, ...view })}`;

test.describe('presets', () => {
  for (const preset of PRESETS) {
    test(`${preset.title}: the gallery link opens it with its headline figure equal to the engine's`, async ({
      page,
    }) => {
      await openFresh(page);
      await page.getByText(/^Demos \(/).click();
      await page
        .getByRole('navigation', { name: 'Demos' })
        .getByRole('link', { name: preset.title, exact: true })
        .click();
      await settled(page);
      const { scenario } = await pageScenario(page);
      expect(scenario).toEqual(preset.scenario);
      const result = await engineResult(page);
      const expected = result.final.summary[preset.headline.field as keyof Summary] as number;
      await expect.poll(() => summaryValue(page, preset.headline.term)).toBe(expected);
      await expect(page.locator('.share-bar .scenario-title')).toHaveText(preset.scenario.title!);
      // The blurb is the caption above the map, and the headline figure is marked.
      await expect(page.getByTestId('demo-caption')).toContainText(preset.blurb);
      await expect(page.locator('.summary-row.headline dt')).toHaveText(preset.headline.term);
      // It opens at its view.
      const view = await page.evaluate(
        () => (window.__memmap.getState() as unknown as { view: Record<string, unknown> }).view,
      );
      expect(view).toMatchObject(preset.view ?? {});
    });
  }
});

test('a changed scenario survives copy link and reload', async ({ page, context }) => {
  await context.grantPermissions(['clipboard-read', 'clipboard-write']);
  await openFresh(page);
  await page.getByLabel('movable_node', { exact: true }).check();
  await page.getByLabel('Kernel', { exact: true }).selectOption('5.10');
  await page.getByLabel('1 GiB page badges', { exact: true }).uncheck();
  await settled(page);
  await page.getByRole('button', { name: 'Copy link' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Link copied' })).toBeVisible();
  const copied = await page.evaluate(() => navigator.clipboard.readText());
  expect(copied).toMatch(/#s=2\./);
  const before = await pageScenario(page);
  const offNode = await summaryValue(page, 'Memmap off-node');
  expect(offNode).toBeGreaterThan(0);

  const other = await context.newPage();
  await other.goto(copied);
  await settled(other);
  expect(await pageScenario(other)).toEqual(before);
  await expect(other.getByLabel('1 GiB page badges', { exact: true })).not.toBeChecked();
  await expect.poll(() => summaryValue(other, 'Memmap off-node')).toBe(offNode);
  await other.reload();
  await settled(other);
  expect(await pageScenario(other)).toEqual(before);
});

test('the link restores the step, the zoom window and the selection', async ({ page }) => {
  const preset = PRESETS.find((p) => p.id === 'movable-node-legacy')!;
  await page.goto(
    linkOf(preset.scenario, {
      step: 1,
      window: { start: 6 * 1024 ** 3, end: 14 * 1024 ** 3 },
      selection: 7 * 1024 ** 3,
    }),
  );
  await settled(page);
  await expect(page.getByTestId('narration')).toContainText('Step 1 of 2');
  await expect(page.getByTestId('memory-map')).not.toHaveAttribute('data-zoom', '1.000');
  await expect(page.locator('dl[aria-label="Inspector"]')).toContainText('0x1c0000000');
});

test.describe('bad links never hurt', () => {
  const cases: [string, string, RegExp][] = [
    ['garbage', '#s=2.%%%not-base64%%%', /This link could not be opened/],
    ['truncated', '', /truncated or damaged/],
    ['from a future version', '#s=9.AAAA', /newer Memmap Explorer/],
    ['an impossible machine', '', /cannot simulate/],
    ['too long', `#s=2.${'A'.repeat(20000)}`, /too long/],
  ];
  for (const [name, fixed, message] of cases) {
    test(`${name}: an alert names the problem and the page works`, async ({ page }) => {
      let hash = fixed;
      if (name === 'truncated')
        hash = encodeShareFragment(PRESETS[0]!.scenario, DEFAULT_VIEW).slice(0, 60);
      if (name === 'an impossible machine')
        hash = encodeShareFragment(
          { version: 1, arch: 'vax', machine: { nodes: [] } },
          DEFAULT_VIEW,
        );
      await page.goto(`./${hash}`);
      await expect(page.getByRole('alert').first()).toContainText(message);
      await expect(page.getByRole('alert').first()).toContainText(
        /Showing (the default|your last) scenario instead/,
      );
      await settled(page);
      await expect.poll(() => summaryValue(page, 'Memmap total')).toBeGreaterThan(0);
      await page.getByLabel('memmap on memory (altmap)', { exact: true }).uncheck();
      await settled(page);
      await expect
        .poll(() => summaryValue(page, 'Memmap taken from existing RAM'))
        .toBeGreaterThan(0);
    });
  }

  test('HTML in a link is shown as text, never rendered', async ({ page }) => {
    const hostile = {
      version: 1,
      title: '<img src=x onerror="window.pwned=1">',
      events: [{ op: 'add', size: '1G', label: '<script>window.pwned=2</script>' }],
    };
    await page.goto(linkOf(hostile));
    await settled(page);
    await expect(page.locator('.share-bar .scenario-title')).toHaveText(hostile.title);
    expect(await page.locator('img[src="x"]').count()).toBe(0);
    expect(
      await page.evaluate(() => (window as unknown as { pwned?: number }).pwned),
    ).toBeUndefined();
  });

  test('a bad link falls back to the last good scenario kept in the browser', async ({ page }) => {
    const preset = PRESETS.find((p) => p.id === 'ppc64-force')!;
    await page.goto(linkOf(preset.scenario));
    await settled(page);
    await page.goto('./#s=2.broken!');
    await expect(page.getByRole('alert').first()).toContainText(
      'Showing your last scenario instead',
    );
    await settled(page);
    expect((await pageScenario(page)).scenario).toEqual(preset.scenario);
  });

  test('a bare address opens the default scenario', async ({ page }) => {
    await openFresh(page);
    expect(((await pageScenario(page)).scenario as { title: string }).title).toBe(
      '8 GiB DIMM hot-added to node 1 of a 6 GiB VM',
    );
    await expect(page.getByRole('alert')).toHaveCount(0);
  });
});

test('back and forward walk through changes', async ({ page }) => {
  await openFresh(page);
  const kernel = page.getByLabel('Kernel', { exact: true });
  await kernel.selectOption('6.1');
  await settled(page);
  await page.waitForTimeout(400);
  await kernel.selectOption('RFC2');
  await settled(page);
  await page.waitForTimeout(400);
  await page.goBack();
  await expect(kernel).toHaveValue('6.1');
  await settled(page);
  await page.goBack();
  await expect(kernel).toHaveValue('6.12');
  await page.goForward();
  await expect(kernel).toHaveValue('6.1');
  await settled(page);
});

test('keyboard stepping: left and right arrows, space plays, the step is announced', async ({
  page,
}) => {
  const preset = PRESETS.find((p) => p.id === 'linux-6.12')!;
  await page.goto(linkOf(preset.scenario, { step: 0 }));
  await settled(page);
  const narration = page.getByTestId('narration');
  await expect(narration).toHaveAttribute('aria-live', 'polite');
  await expect(narration).toContainText('Step 0 of 3: Boot');
  const slider = page.getByRole('slider', { name: 'Step' });
  await slider.focus();
  await page.keyboard.press('ArrowRight');
  await expect(narration).toContainText('Step 1 of 3: QEMU pc-dimm, 4 GiB');
  await expect(narration).toContainText('per-block altmaps');
  await page.keyboard.press('ArrowRight');
  await expect(narration).toContainText('Step 2 of 3');
  await page.keyboard.press('ArrowLeft');
  await expect(narration).toContainText('Step 1 of 3');
  await page.getByRole('button', { name: 'Next step' }).click();
  await expect(narration).toContainText('Step 2 of 3');
  await page.getByRole('button', { name: 'Previous step' }).click();
  await expect(narration).toContainText('Step 1 of 3');
  await page.getByRole('button', { name: 'Play' }).focus();
  await page.keyboard.press('Space');
  await expect(page.getByRole('button', { name: 'Pause' })).toBeVisible();
  await expect(narration).toContainText('Step 3 of 3', { timeout: 8000 });
  await expect(page.getByRole('button', { name: 'Play' })).toBeVisible();
  await settled(page);
  const result = await engineResult(page);
  expect(result.steps[3]!.allocated).toBe(0);
});

test('pasting a file in the wrong format names what is wrong and changes nothing', async ({
  page,
}) => {
  await openFresh(page);
  const before = await pageScenario(page);
  await page.getByText('Scenario JSON (edit, paste or open a file)').click();
  const editor = page.getByLabel('Scenario JSON');
  await editor.fill(
    '{ "version": 1, "arch": "x86", "events": [ { "op": "add", "size": "12Q" } ] }',
  );
  await page.getByRole('button', { name: 'Apply' }).click();
  const alert = page.getByRole('alert').filter({ hasText: 'Not applied' });
  await expect(alert).toContainText('arch: text "x86" is not one of');
  await expect(alert).toContainText('events[0].size: "12Q" is not a size');
  expect(await pageScenario(page)).toEqual(before);
  await editor.fill('not json at all');
  await page.getByRole('button', { name: 'Apply' }).click();
  await expect(page.getByRole('alert').filter({ hasText: 'Not applied' })).toContainText(
    'This is not JSON',
  );
  await editor.fill(JSON.stringify(PRESETS[0]!.scenario));
  await page.getByRole('button', { name: 'Apply' }).click();
  await settled(page);
  expect((await pageScenario(page)).scenario).toEqual(PRESETS[0]!.scenario);
});

test('the editor, opened, shows the scenario as it is now and follows an edit made elsewhere', async ({
  page,
}) => {
  await openFresh(page);
  await page.getByText('Scenario JSON (edit, paste or open a file)').click();
  const editor = page.getByLabel('Scenario JSON');
  const shown = async () => JSON.parse(await editor.inputValue()) as unknown;
  expect(await shown()).toEqual((await pageScenario(page)).scenario);
  await page.getByLabel('movable_node', { exact: true }).check();
  await settled(page);
  await expect.poll(shown).toEqual((await pageScenario(page)).scenario);
  expect(await shown()).toMatchObject({ kernel: { movableNode: true } });
});

test('axe finds no violations with the gallery and editor open', async ({ page }) => {
  await openFresh(page);
  await page.getByText(/^Demos \(/).click();
  await page.getByText('Scenario JSON (edit, paste or open a file)').click();
  await expectNoAxeViolations(page);
});
