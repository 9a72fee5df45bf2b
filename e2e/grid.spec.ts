/**
 * The grid: what it draws equals the engine's tiles; the memmap is visible at overview zoom;
 * the accessible list, the keyboard cursor and the zoom window behave.
 */
import type { Page } from '@playwright/test';
import { test, expect } from './fixtures.ts';
import { engineResult, hoverTile, openFresh, pageScenario, settled } from './helpers.ts';
import { hex } from '../src/engine/units.ts';
import { decodeShareFragment, encodeShareFragment } from '../src/state/url-codec.ts';
import { DEFAULT_VIEW } from '../src/state/view.ts';
import type { Result } from '../src/engine/result.ts';
import { gridPalette } from '../src/ui/grid/palette.ts';
import { CELL } from '../src/engine/output/cells.ts';
import { PRESETS } from '../src/state/presets.ts';

/** The engine's windows as the list must read them, one per tile (few tiles: none collapse). */
function expectedItems(result: Result): string[] {
  const { tileSize } = result.final.tiles;
  const items: string[] = [];
  for (const group of result.final.tiles.groups)
    for (let r = 0; r < group.repeat; r++)
      for (const member of group.members)
        for (let i = 0; i < member.count; i++) {
          const start = group.startAddr + (r * group.period + member.offset + i) * tileSize;
          items.push(`${hex(start)}–${hex(start + tileSize - 1)}: ${member.label}`);
        }
  return items;
}

const windowList = (page: Page) =>
  page.getByRole('list', { name: 'Gigantic page windows', exact: true });

/** Pixels of the map canvas whose colour is exactly `hex` (an RGB triple). */
async function countColour(page: Page, colour: string): Promise<number> {
  const shot = await page.getByTestId('memory-map').screenshot();
  return page.evaluate(
    async ({ data, colour }) => {
      const blob = new Blob([new Uint8Array(data)], { type: 'image/png' });
      const bitmap = await createImageBitmap(blob);
      const canvas = new OffscreenCanvas(bitmap.width, bitmap.height);
      const ctx = canvas.getContext('2d')!;
      ctx.drawImage(bitmap, 0, 0);
      const pixels = ctx.getImageData(0, 0, bitmap.width, bitmap.height).data;
      const want = Number.parseInt(colour.slice(1), 16);
      let count = 0;
      for (let i = 0; i < pixels.length; i += 4) {
        const rgb = (pixels[i]! << 16) | (pixels[i + 1]! << 8) | pixels[i + 2]!;
        if (rgb === want) count++;
      }
      return count;
    },
    { data: [...shot], colour },
  );
}

test('the list of gigantic page windows equals the engine, before and after memmap on memory off', async ({
  page,
}) => {
  await openFresh(page);
  let result = await engineResult(page);
  expect(result.final.tiles.tileSize).toBe(1024 ** 3);
  await expect(windowList(page).getByRole('listitem')).toHaveText(expectedItems(result));
  await expect(windowList(page)).toContainText(
    '0x200000000–0x23fffffff: blocked by memmap (2 MiB in each of 8 blocks)',
  );
  await page.getByLabel('memmap on memory (altmap)', { exact: true }).uncheck();
  await settled(page);
  result = await engineResult(page);
  await expect(windowList(page).getByRole('listitem')).toHaveText(expectedItems(result));
  await expect(windowList(page)).toContainText('0x200000000–0x23fffffff: allocated');
});

test('the memmap is visible at overview zoom: in the new memory, or taken from RAM', async ({
  page,
}) => {
  await openFresh(page);
  const palette = gridPalette(false);
  // 8 GiB of 128 MiB blocks, each with its 2 MiB memmap drawn as a stripe in every row.
  const self = await countColour(page, palette.cell[CELL.memmapSelf]);
  expect(self).toBeGreaterThan(64 * 3 * 5);
  expect(await countColour(page, palette.cell[CELL.memmapRam])).toBe(0);
  await page.getByLabel('memmap on memory (altmap)', { exact: true }).uncheck();
  await settled(page);
  await expect(page.getByTestId('memory-map')).toHaveAttribute('data-animating', 'false');
  expect(await countColour(page, palette.cell[CELL.memmapSelf])).toBe(0);
  expect(await countColour(page, palette.cell[CELL.memmapRam])).toBeGreaterThan(100);
});

test('arm64 with 64K pages: 512 MiB tiles, the hugetlb request moved to 512 MiB pages, no alert', async ({
  page,
}) => {
  await openFresh(page);
  await page.getByLabel('Architecture', { exact: true }).selectOption('arm64-64k');
  await settled(page);
  await expect(page.getByTestId('memory-map')).toHaveAttribute(
    'data-tile-size',
    String(512 * 1024 ** 2),
  );
  await expect(page.getByRole('alert')).toHaveCount(0);
  const { scenario } = await pageScenario(page);
  const hugetlb = (
    scenario as { events: { op: string; pageSize?: string; count?: number }[] }
  ).events.find((event) => event.op === 'hugetlb');
  // 8 × 1 GiB asked for: the same bytes in 512 MiB pages.
  expect(hugetlb).toMatchObject({ pageSize: '512M', count: 16 });
  await expect(page.getByLabel('512 MiB page badges', { exact: true })).toBeChecked();
});

test('keyboard: arrows move a cursor over the map, Enter inspects the cell under it', async ({
  page,
}) => {
  await openFresh(page);
  const map = page.getByTestId('memory-map');
  await map.focus();
  await page.keyboard.press('ArrowRight');
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('Enter');
  const selection = await page.evaluate(
    () =>
      (window.__memmap.getState() as unknown as { view: { selection: number | null } }).view
        .selection,
  );
  expect(selection).not.toBeNull();
  await expect(page.locator('dl[aria-label="Inspector"]')).toContainText(
    `0x${Math.floor(selection! / 4096).toString(16)}`,
  );
  await page.keyboard.press('ArrowRight');
  await page.keyboard.press(' ');
  const next = await page.evaluate(
    () =>
      (window.__memmap.getState() as unknown as { view: { selection: number | null } }).view
        .selection,
  );
  expect(next).toBeGreaterThan(selection!);
});

test('the URL holds the zoom that is drawn, after a zoom and then an edit, and a reload draws it again', async ({
  page,
}) => {
  await openFresh(page);
  const map = page.getByTestId('memory-map');
  // Keys pressed before the map has painted (and listens) are lost on a loaded machine.
  await expect(map).toHaveAttribute('data-painted', /^[1-9]/);
  await map.focus();
  await page.keyboard.press('+');
  await page.keyboard.press('+');
  await page.keyboard.press('+');
  const urlWindow = async () => {
    const decoded = decodeShareFragment(new URL(page.url()).hash);
    return decoded.kind === 'ok' ? decoded.view.window : undefined;
  };
  // The zoom is in the URL before the edit (a fresh page has no fragment at all).
  await expect.poll(urlWindow).toEqual(expect.objectContaining({ start: expect.any(Number) }));
  await page.getByLabel('movable_node', { exact: true }).check();
  await settled(page);
  await expect.poll(urlWindow).not.toBeNull();
  const stored = await page.evaluate(
    () => (window.__memmap.getState() as unknown as { view: { window: unknown } }).view.window,
  );
  await expect.poll(urlWindow).toEqual(stored);
  await expect(map).toHaveAttribute('data-window', JSON.stringify(stored));
  const zoom = await map.getAttribute('data-zoom');
  await page.reload();
  await settled(page);
  await expect(map).toHaveAttribute('data-zoom', zoom!);
  await expect(map).toHaveAttribute('data-window', JSON.stringify(stored));
});

test('a refused step is drawn where it would have landed and announced', async ({ page }) => {
  await openFresh(page);
  await page.getByText(/^Demos \(/).click();
  await page
    .getByRole('link', { name: 'HMM device-private memory under RFC v1', exact: true })
    .click();
  await settled(page);
  await expect(page.getByTestId('memory-map')).toHaveAttribute('data-ghost', /refused: /);
  await expect(page.getByTestId('narration')).toContainText(
    'drawn on the map where it would have landed',
  );
});

test('the hot-add node shown is the one the engine resolved', async ({ page }) => {
  await openFresh(page);
  await page.evaluate(() => {
    const state = window.__memmap.getState() as unknown as { load: (s: unknown) => unknown };
    state.load({
      version: 1,
      machine: {
        virtual: true,
        nodes: [
          { id: 0, ram: [{ start: 0, size: '2G' }] },
          { id: 1, ram: [] },
        ],
        hotpluggable: [{ start: '4G', size: '8G', node: 1 }],
      },
      events: [{ op: 'add', size: '1G' }, { op: 'online' }],
    });
  });
  await settled(page);
  const result = await engineResult(page);
  expect(result.steps[1]!.resolvedNode).toBe(1);
  await expect(page.getByLabel('Hot-add node', { exact: true })).toHaveValue('1');
});

test('Play from the last step starts again from the first', async ({ page }) => {
  await openFresh(page);
  await page.getByRole('button', { name: 'Play' }).click();
  await expect(page.getByTestId('narration')).toContainText('Step 0 of 3');
});

test('a tile under the pointer shows in the inspector with the engine address', async ({
  page,
}) => {
  await openFresh(page);
  await hoverTile(page);
  await expect(page.locator('dl[aria-label="Inspector"]')).toContainText('memory');
});

test('blocks pinned by hosting memmap are hatched on the map, in the legend and in the list', async ({
  page,
}) => {
  const rfc = PRESETS.find((p) => p.id === 'rfc-as-posted')!;
  await openFresh(page, `./${encodeShareFragment(rfc.scenario, { ...DEFAULT_VIEW, step: 2 })}`);
  await settled(page);
  const result = await engineResult(page);
  expect(result.final.summary.blocksPinnedByMemmap).toBe(2);
  await expect(
    page.getByRole('list', { name: 'Legend' }).locator('[data-mark="pinned"]'),
  ).toContainText('block pinned');
  await expect(windowList(page)).toContainText(
    '0x180000000–0x1bfffffff: blocked by memmap (128 MiB in each of 2 blocks); 2 of its 8 rows are in blocks pinned by hosting memmap',
  );
  // The hatch and outline in the pinned ink, at overview zoom.
  expect(await countColour(page, gridPalette(false).pinned)).toBeGreaterThan(100);
  // The inspector says it of a page in such a block.
  await openFresh(
    page,
    `./${encodeShareFragment(rfc.scenario, { ...DEFAULT_VIEW, step: 2, selection: 6 * 1024 ** 3 })}`,
  );
  await settled(page);
  await expect(page.getByRole('region', { name: 'Summary panel' })).toContainText(
    'pinned: it holds struct pages of other blocks',
  );
  // With memmap_on_memory per block (5.13+), nothing is pinned: no hatch, no legend entry.
  await page.getByLabel('Kernel', { exact: true }).selectOption({ label: 'Linux 6.12 LTS' });
  await settled(page);
  await expect(page.locator('[data-mark="pinned"]')).toHaveCount(0);
  expect(await countColour(page, gridPalette(false).pinned)).toBe(0);
});
