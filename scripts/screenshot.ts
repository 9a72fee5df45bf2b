/**
 * Screenshots for looking at the UI by eye: npm run screenshot -- [url-suffix] [out.png] [--dark] [--width=N]
 * Serves nothing itself: run `npm run preview` (or dev) first.
 */
import { chromium } from '@playwright/test';
import { chromiumArgs, executablePath } from './browser.ts';

const args = process.argv.slice(2);
const flags = new Set(args.filter((a) => a.startsWith('--')));
const [suffix = '', out = '/tmp/shot.png'] = args.filter((a) => !a.startsWith('--'));
const width = Number([...flags].find((f) => f.startsWith('--width='))?.split('=')[1] ?? 1280);
const base = process.env.BASE_URL ?? 'http://127.0.0.1:4173/';
const browser = await chromium.launch({ executablePath, args: chromiumArgs });
const page = await browser.newPage({
  viewport: { width, height: 800 },
  colorScheme: flags.has('--dark') ? 'dark' : 'light',
});
page.on('console', (m) => console.log(`[console.${m.type()}] ${m.text()}`));
page.on('pageerror', (e) => console.log(`[pageerror] ${e.message}`));
await page.goto(base + suffix);
await page.waitForSelector('.worker-status[data-status="ready"]');
await page.waitForTimeout(1200);
await page.screenshot({ path: out, fullPage: flags.has('--full') });
console.log(`saved ${out}`);
await browser.close();
