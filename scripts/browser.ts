/**
 * How we launch Chromium everywhere (Playwright tests, screenshots, the UI benchmark): Debian's
 * /usr/bin/chromium unless CHROMIUM_PATH names another; with neither, Playwright's own browser.
 */
import { existsSync } from 'node:fs';

const debianChromium = '/usr/bin/chromium';

export const executablePath: string | undefined =
  process.env.CHROMIUM_PATH || (existsSync(debianChromium) ? debianChromium : undefined);

export const chromiumArgs = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-dev-shm-usage',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];
