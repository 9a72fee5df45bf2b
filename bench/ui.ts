/**
 * npm run bench:ui: the map's targets, measured in Chromium at 1280x800 on the 64 TiB machine of
 * the engine benchmark (bench (b)). Builds first (the npm script), serves dist/ with vite preview.
 *   first full paint after load <= 1 s; zoom/pan p95 frame interval <= 20 ms;
 *   toggle to repaint <= 200 ms (issue 9: <= 100 ms median); DOM elements < 1,500; main JS
 *   bundle <= 200 KB gzip; and the 2 PiB machine with memmap_on_memory on (bench (c)) opens and
 *   paints in <= 1.5 s.
 */
import { chromium } from '@playwright/test';
import { spawn } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { chromiumArgs, executablePath } from '../scripts/browser.ts';
import { encodeShareFragment } from '../src/state/url-codec.ts';
import { DEFAULT_VIEW } from '../src/state/view.ts';
import { fiveLevel, x86Max } from './machines.ts';

const port = 4179;
const base = `http://127.0.0.1:${port}/`;

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN;
}

function bundleSize(): { file: string; gzipKiB: number } {
  const dir = join(import.meta.dirname, '../dist/assets');
  const main = readdirSync(dir).find((name) => /^index-.*\.js$/.test(name))!;
  return { file: main, gzipKiB: gzipSync(readFileSync(join(dir, main))).length / 1024 };
}

async function waitForServer(): Promise<void> {
  for (let i = 0; i < 100; i++) {
    try {
      if ((await fetch(base)).ok) return;
    } catch {
      // not up yet
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error('vite preview did not start');
}

const server = spawn('npx', ['vite', 'preview', '--port', String(port), '--strictPort'], {
  stdio: 'ignore',
  detached: true,
});
try {
  await waitForServer();
  const browser = await chromium.launch({ executablePath, args: chromiumArgs });
  const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  const fragment = encodeShareFragment(x86Max(), { ...DEFAULT_VIEW });
  const runs: Record<string, number[]> = { firstPaint: [], toggle: [], p95: [], dom: [] };

  for (let round = 0; round < 3; round++) {
    await page.goto('about:blank');
    await page.goto(`${base}${fragment}`);
    await page.waitForFunction(
      () => performance.getEntriesByName('map-first-paint').length > 0,
      undefined,
      { timeout: 20_000 },
    );
    runs.firstPaint!.push(
      await page.evaluate(() => performance.getEntriesByName('map-first-paint')[0]!.startTime),
    );
    await page.waitForTimeout(300);

    // Zoom and pan with the wheel and drags while recording every animation frame.
    const map = page.getByTestId('memory-map');
    const box = (await map.boundingBox())!;
    // A string, not a function: the TypeScript runner would wrap named functions in helpers
    // that do not exist in the page.
    await page.evaluate(`(() => {
      window.__frames = [];
      window.__recording = true;
      const tick = (t) => { window.__frames.push(t); if (window.__recording) requestAnimationFrame(tick); };
      requestAnimationFrame(tick);
    })()`);
    await page.mouse.move(box.x + box.width * 0.6, box.y + box.height * 0.5);
    for (let i = 0; i < 40; i++) {
      await page.mouse.wheel(0, -120);
      await page.waitForTimeout(16);
    }
    await page.mouse.down();
    for (let i = 0; i < 40; i++) {
      await page.mouse.move(box.x + box.width * 0.6 - i * 8, box.y + box.height * 0.5);
      await page.waitForTimeout(16);
    }
    await page.mouse.up();
    for (let i = 0; i < 30; i++) {
      await page.mouse.wheel(0, 160);
      await page.waitForTimeout(16);
    }
    const frames = await page.evaluate(() => {
      const w = window as unknown as { __frames: number[]; __recording: boolean };
      w.__recording = false;
      return w.__frames;
    });
    const intervals = frames.slice(1).map((t, i) => t - frames[i]!);
    runs.p95!.push(percentile(intervals, 95));

    // Toggle to repaint: from the click to the canvas painting the new result.
    await page.keyboard.press('0');
    const before = Number(await map.getAttribute('data-painted'));
    const checkbox = page.getByLabel('memmap on memory (altmap)', { exact: true });
    await page.evaluate(() => {
      (window as unknown as { __t0: number }).__t0 = 0;
      document.addEventListener(
        'click',
        () => ((window as unknown as { __t0: number }).__t0 = performance.now()),
        { capture: true, once: true },
      );
    });
    await checkbox.click();
    await page.waitForFunction(
      (v) =>
        Number(document.querySelector('[data-testid="memory-map"]')!.getAttribute('data-painted')) >
        v,
      before,
      { timeout: 20_000 },
    );
    runs.toggle!.push(
      await page.evaluate(() => {
        const entries = performance.getEntriesByName('map-paint');
        return (
          entries[entries.length - 1]!.startTime - (window as unknown as { __t0: number }).__t0
        );
      }),
    );
    runs.dom!.push(await page.evaluate(() => document.querySelectorAll('*').length));
    console.log(
      'toggle breakdown (ms after click): ' +
        (await page.evaluate(`(() => {
          const t0 = window.__t0;
          const last = (name) => { const e = performance.getEntriesByName(name); return e.length ? (e[e.length - 1].startTime - t0).toFixed(0) : '-'; };
          const state = window.__memmap.getState();
          return 'posted ' + last('sim-post') + ', result ' + last('sim-result') + ' (engine ' + state.sim.engineMs.toFixed(0) + '), painted ' + last('map-paint');
        })()`)),
    );
  }
  // The 2 PiB machine with memmap_on_memory on: from navigation to its first paint.
  const big = encodeShareFragment(fiveLevel('on'), { ...DEFAULT_VIEW });
  for (let round = 0; round < 3; round++) {
    await page.goto('about:blank');
    await page.goto(`${base}${big}`);
    await page.waitForFunction(
      () => performance.getEntriesByName('map-first-paint').length > 0,
      undefined,
      { timeout: 30_000 },
    );
    (runs.pib ??= []).push(
      await page.evaluate(() => performance.getEntriesByName('map-first-paint')[0]!.startTime),
    );
  }
  await browser.close();
  const { file, gzipKiB } = bundleSize();
  const median = (values: number[]) => percentile(values, 50);
  const line = (name: string, value: string, target: string, ok: boolean) =>
    console.log(
      `${name.padEnd(38)} ${value.padStart(12)}   target ${target.padEnd(10)} ${ok ? 'ok' : 'MISSED'}`,
    );
  console.log(
    'UI benchmark: 64 TiB machine (16 nodes, 256 hot-adds), Chromium 1280x800, median of 3',
  );
  line(
    'first full paint after load',
    `${median(runs.firstPaint!).toFixed(0)} ms`,
    '<= 1000 ms',
    median(runs.firstPaint!) <= 1000,
  );
  line(
    'zoom/pan p95 frame interval',
    `${median(runs.p95!).toFixed(1)} ms`,
    '<= 20 ms',
    median(runs.p95!) <= 20,
  );
  line(
    'toggle (memmap on memory) to repaint',
    `${median(runs.toggle!).toFixed(0)} ms`,
    '<= 100 ms',
    median(runs.toggle!) <= 100,
  );
  line(
    '2 PiB, memmap on memory: open to paint',
    `${median(runs.pib!).toFixed(0)} ms`,
    '<= 1500 ms',
    median(runs.pib!) <= 1500,
  );
  line('DOM elements', `${Math.max(...runs.dom!)}`, '< 1500', Math.max(...runs.dom!) < 1500);
  line(
    `main JS bundle (${file})`,
    `${gzipKiB.toFixed(1)} KiB`,
    '<= 200 KB',
    gzipKiB * 1024 <= 200_000,
  );
  console.log(`runs: ${JSON.stringify(runs)}`);
} finally {
  if (server.pid) process.kill(-server.pid);
}
