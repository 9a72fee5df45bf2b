/**
 * Shared steps of the browser tests. The page's store is reachable as window.__memmap; the engine
 * itself is imported here (it runs in Node too), so every figure the page shows is checked against
 * the engine's own answer for the same scenario.
 */
import type { Page } from '@playwright/test';
import { expect } from './fixtures.ts';
import { simulate } from '../src/engine/simulate.ts';
import type { Result } from '../src/engine/result.ts';

type StoreHandle = {
  getState(): Record<string, unknown> & { scenario: unknown; view: { step: number } };
};
declare global {
  interface Window {
    __memmap: StoreHandle;
  }
}

/** Waits until the page shows the result of its current scenario and step. */
export async function settled(page: Page): Promise<void> {
  await page.waitForFunction(() => {
    const state = window.__memmap?.getState() as unknown as {
      worker: { kind: string };
      sim: { status: string; scenario: unknown; at: number };
      scenario: { events?: unknown[] };
      view: { step: number };
    };
    if (!state || state.worker.kind !== 'ready' || state.sim.status !== 'ok') return false;
    const full = state as unknown as {
      compare: { events?: unknown[] } | null;
      sim: { b: { scenario: unknown } | null };
    };
    const events = Math.max(state.scenario.events?.length ?? 0, full.compare?.events?.length ?? 0);
    return (
      JSON.stringify(state.sim.scenario) === JSON.stringify(state.scenario) &&
      JSON.stringify(full.sim.b?.scenario ?? null) === JSON.stringify(full.compare ?? null) &&
      state.sim.at === Math.min(state.view.step, events)
    );
  });
}

export async function pageScenario(page: Page): Promise<{ scenario: unknown; step: number }> {
  return page.evaluate(() => {
    const state = window.__memmap.getState();
    return { scenario: state.scenario, step: state.view.step };
  });
}

/** The engine's result for what the page has loaded. */
export async function engineResult(page: Page): Promise<Result> {
  const { scenario, step } = await pageScenario(page);
  const outcome = simulate(scenario, { finalAt: step });
  if (!outcome.ok) throw new Error(`page scenario is invalid: ${JSON.stringify(outcome.errors)}`);
  return outcome.result;
}

export async function summaryValue(page: Page, term: string): Promise<number> {
  const dd = page
    .getByRole('definition')
    .filter({ has: page.locator(`xpath=preceding-sibling::dt[normalize-space()="${term}"]`) });
  const value = await page
    .locator('dl[aria-label="Summary"] .summary-row')
    .filter({ has: page.getByText(term, { exact: true }) })
    .locator('dd')
    .getAttribute('data-value');
  void dd;
  return Number(value);
}

/** Every summary figure equals the engine's for the page's scenario. */
export async function expectSummaryMatchesEngine(page: Page): Promise<Result> {
  await settled(page);
  const result = await engineResult(page);
  const s = result.final.summary;
  const expected: Record<string, number> = {
    'Memmap total': s.memmapTotalBytes,
    'Memmap taken from existing RAM': s.memmapFromRamBytes,
    'Memmap inside hot-added memory': s.memmapSelfHostedBytes,
    'Memmap off-node': s.memmapOffNodeBytes,
    'Memmap wasted (force)': s.memmapWastedBytes,
    MemTotal: s.memTotal,
    MemFree: s.memFree,
  };
  expected[
    `${s.giganticPageSize === 1024 ** 3 ? '1 GiB' : `${s.giganticPageSize / 1024 ** 2} MiB`} pages possible`
  ] = s.giganticPossible;
  for (const [term, value] of Object.entries(expected)) {
    await expect.poll(() => summaryValue(page, term), { message: term }).toBe(value);
  }
  return result;
}

export async function openFresh(page: Page, path = './'): Promise<void> {
  await page.goto(path);
  await expect(page.locator('.worker-status[data-status="ready"]')).toBeVisible();
  await settled(page);
}

/** Moves the pointer over a tile of the map (scanning for one) and returns where. */
export async function hoverTile(
  page: Page,
  testId = 'memory-map',
): Promise<{ x: number; y: number }> {
  const box = (await page.getByTestId(testId).first().boundingBox())!;
  for (let fy = 0.15; fy < 0.95; fy += 0.1)
    for (let fx = 0.1; fx < 0.95; fx += 0.1) {
      // Whole pixels: a click's MouseEvent has integer coordinates, a pointermove may not.
      const point = {
        x: Math.round(box.x + box.width * fx),
        y: Math.round(box.y + box.height * fy),
      };
      await page.mouse.move(point.x, point.y);
      const hover = await page.evaluate(
        () => (window.__memmap.getState() as unknown as { hover: number | null }).hover,
      );
      if (hover !== null) return point;
    }
  throw new Error('no tile under the pointer anywhere on the map');
}
