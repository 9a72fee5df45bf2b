/** Import a machine, reproduce in QEMU, and the strategies of the RFC's open question. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test, expect, expectNoAxeViolations } from './fixtures.ts';
import {
  engineResult,
  expectSummaryMatchesEngine,
  openFresh,
  pageScenario,
  settled,
  summaryValue,
} from './helpers.ts';
import { importMachine } from '../src/import/index.ts';
import { reproduce } from '../src/qemu/reproduce.ts';
import { simulate } from '../src/engine/simulate.ts';
import { STRATEGY_INFO } from '../src/engine/strategy/kinds.ts';

const fixture = (name: string) =>
  readFileSync(join(import.meta.dirname, '../src/import/fixtures', name), 'utf8');

test('import a machine: two pastes combine into the scenario the importer makes, and it opens', async ({
  page,
}) => {
  await openFresh(page);
  await page.getByRole('button', { name: 'Import a machine…' }).click();
  const dialog = page.getByRole('dialog', { name: 'Import a machine' });
  await expect(dialog).toBeVisible();
  const lsmem = fixture('lsmem-default-2node.txt');
  const numactl = fixture('numactl-2node.txt');
  await dialog.getByLabel('paste 1').fill(lsmem);
  await dialog.getByRole('button', { name: 'Add another paste' }).click();
  await dialog.getByLabel('paste 2').fill(numactl);
  await dialog.getByRole('button', { name: 'Read' }).click();
  await expect(dialog.getByTestId('import-answer')).toContainText('lsmem (paste 1, lines 1–9)');
  await expect(dialog.getByTestId('import-answer')).toContainText('numactl');
  const expected = importMachine([
    { text: lsmem, source: 'paste 1' },
    { text: numactl, source: 'paste 2' },
  ]);
  await dialog.getByRole('button', { name: 'Open this machine' }).click();
  await expect(dialog).toBeHidden();
  await settled(page);
  expect((await pageScenario(page)).scenario).toEqual(expected.scenario);
  await expectSummaryMatchesEngine(page);
});

test('import a machine: a damaged line is named with its number, and the scenario on screen stays', async ({
  page,
}) => {
  await openFresh(page);
  const before = await pageScenario(page);
  await page.getByRole('button', { name: 'Import a machine…' }).click();
  const dialog = page.getByRole('dialog', { name: 'Import a machine' });
  const damaged = fixture('lsmem-default-2node.txt').replace('2G  online', '2X  online');
  await dialog.getByLabel('paste 1').fill(damaged);
  await dialog.getByRole('button', { name: 'Read' }).click();
  const problems = dialog.getByRole('list', { name: 'Lines that could not be read' });
  await expect(problems).toContainText('line 2');
  await expectNoAxeViolations(page);
  await dialog.getByRole('button', { name: 'Close' }).click();
  expect(await pageScenario(page)).toEqual(before);
  // The paste is still there when the dialog opens again.
  await page.getByRole('button', { name: 'Import a machine…' }).click();
  await expect(dialog.getByLabel('paste 1')).toHaveValue(damaged);
});

test('reproduce in QEMU: the script of the scenario, with Copy and Download; arm64 is named as not runnable', async ({
  page,
  context,
}) => {
  await context.grantPermissions(['clipboard-read', 'clipboard-write']);
  await openFresh(page);
  await page.getByText('Reproduce in QEMU').click();
  const { scenario } = await pageScenario(page);
  const outcome = simulate(scenario);
  if (!outcome.ok) throw new Error('invalid');
  const expected = reproduce(outcome.scenario, outcome.result);
  if (!expected.ok) throw new Error(expected.reasons.join('; '));
  await expect(page.getByTestId('qemu-script')).toHaveText(expected.script);
  await page.getByRole('button', { name: 'Copy', exact: true }).last().click();
  expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(expected.script);
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('button', { name: 'Download', exact: true }).click(),
  ]);
  expect(download.suggestedFilename()).toMatch(/\.qemu\.sh$/);
  expect(readFileSync((await download.path())!, 'utf8')).toBe(expected.script);

  await page.getByLabel('Architecture', { exact: true }).selectOption('arm64-4k');
  await settled(page);
  await expect(page.getByTestId('qemu-reasons')).toContainText('arch arm64-4k');
});

test('strategy select: each placement of the RFC question, its one line, and the engine figures', async ({
  page,
}) => {
  await openFresh(page);
  await page.getByText(/^Demos \(/).click();
  await page.getByRole('link', { name: 'What the RFC left open', exact: true }).click();
  await settled(page);
  const select = page.getByLabel('Strategy', { exact: true });
  for (const kind of ['node-hosts', 'bigger-blocks', 'group', 'ram', 'kernel'] as const) {
    await select.selectOption(kind);
    await settled(page);
    await expect(page.getByTestId('strategy-info')).toContainText(STRATEGY_INFO[kind].does);
    await expect(page.getByTestId('strategy-info')).toContainText(STRATEGY_INFO[kind].proposedBy);
    const result = await expectSummaryMatchesEngine(page);
    expect(result.resolved.strategy.kind).toBe(kind);
    expect(await summaryValue(page, 'Blocks pinned by hosting memmap')).toBe(
      result.final.summary.blocksPinnedByMemmap,
    );
    if (kind === 'node-hosts') expect(result.final.summary.giganticPossible).toBeGreaterThan(0);
  }
});

test('compare opens two strategies side by side', async ({ page }) => {
  await openFresh(page);
  await page.getByText(/^Demos \(/).click();
  await page.getByRole('link', { name: 'What the RFC left open', exact: true }).click();
  await settled(page);
  await page.getByRole('combobox', { name: 'Compare' }).selectOption('strategy');
  await settled(page);
  await expect(page.locator('.side-caption[data-side="b"]')).toContainText('b) Node host blocks');
  const state = await page.evaluate(
    () => window.__memmap.getState() as unknown as { compare: { kernel: { strategy: unknown } } },
  );
  expect(state.compare.kernel.strategy).toEqual({ kind: 'node-hosts' });
  const result = await engineResult(page);
  expect(result.resolved.strategy.kind).toBe('kernel');
});
