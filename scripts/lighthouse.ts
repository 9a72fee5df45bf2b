/**
 * `npm run lighthouse [-- --runs=N]`: Lighthouse (the pinned devDependency, its default mobile
 * run) on the built page as `vite preview` serves it, in the Chromium the browser tests use
 * (scripts/browser.ts). Prints the four category scores of each run and, for a category short of
 * its target, the audits that cost it; exits 1 when the median run misses a target: performance
 * 0.95, accessibility, best practices and SEO 1.0. Build first (`npm run lighthouse` does);
 * `--report=dir/lhr-{run}.json` keeps each run's full result for a closer look.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from '@playwright/test';
import lighthouse from 'lighthouse';
import { preview } from 'vite';
import { chromiumArgs, executablePath } from './browser.ts';

const TARGETS: Record<string, number> = {
  performance: 0.95,
  accessibility: 1,
  'best-practices': 1,
  seo: 1,
};

const freePort = () =>
  new Promise<number>((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });

async function waitForDevtools(port: number): Promise<void> {
  for (let attempt = 0; attempt < 100; attempt++) {
    try {
      const response = await fetch(`http://127.0.0.1:${port}/json/version`);
      if (response.ok) return;
    } catch {
      // Not listening yet.
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`Chromium did not open its DevTools port ${port}`);
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[values.length >> 1]!;

async function main(): Promise<number> {
  const option = (name: string) =>
    process.argv.find((arg) => arg.startsWith(`--${name}=`))?.slice(name.length + 3);
  const runs = Number(option('runs') ?? 1);
  /** --report=path/lhr-{run}.json keeps each run's full Lighthouse result. */
  const report = option('report');
  const server = await preview({ preview: { port: await freePort(), strictPort: true } });
  const url = server.resolvedUrls?.local[0];
  if (!url) throw new Error('vite preview did not say where it listens');
  const debuggingPort = await freePort();
  const profile = mkdtempSync(join(tmpdir(), 'memmap-lighthouse-'));
  const browser = spawn(
    executablePath ?? chromium.executablePath(),
    [
      ...chromiumArgs,
      `--remote-debugging-port=${debuggingPort}`,
      `--user-data-dir=${profile}`,
      'about:blank',
    ],
    { stdio: 'ignore' },
  );
  const scores: Record<string, number[]> = Object.fromEntries(
    Object.keys(TARGETS).map((id) => [id, []]),
  );
  try {
    await waitForDevtools(debuggingPort);
    for (let run = 1; run <= runs; run++) {
      const outcome = await lighthouse(url, {
        port: debuggingPort,
        logLevel: 'error',
        output: 'json',
        onlyCategories: Object.keys(TARGETS),
      });
      if (!outcome) throw new Error('Lighthouse returned nothing');
      const { lhr } = outcome;
      if (report) writeFileSync(report.replace('{run}', String(run)), JSON.stringify(lhr));
      const line = Object.keys(TARGETS).map((id) => {
        const score = lhr.categories[id]?.score ?? 0;
        scores[id]!.push(score);
        return `${id} ${score.toFixed(2)}`;
      });
      const metrics = ['first-contentful-paint', 'largest-contentful-paint', 'total-blocking-time']
        .map((id) => `${id.replace(/-/g, ' ')} ${lhr.audits[id]?.displayValue ?? '?'}`)
        .join(', ');
      console.log(`lighthouse run ${run}/${runs}: ${line.join(', ')} (${metrics})`);
      for (const [id, target] of Object.entries(TARGETS)) {
        const category = lhr.categories[id];
        if (!category || (category.score ?? 0) >= target) continue;
        for (const ref of category.auditRefs) {
          const audit = lhr.audits[ref.id];
          if (ref.weight > 0 && audit && audit.score !== null && audit.score < 1)
            console.log(
              `  ${id}: ${audit.id} ${audit.score.toFixed(2)} ${audit.displayValue ?? ''}`,
            );
        }
      }
    }
  } finally {
    const exited = new Promise((resolve) => browser.once('exit', resolve));
    browser.kill();
    await exited;
    await server.close();
    rmSync(profile, { recursive: true, force: true });
  }
  let missed = false;
  const summary = Object.entries(TARGETS).map(([id, target]) => {
    const value = median(scores[id]!);
    if (value < target) missed = true;
    return `${id} ${value.toFixed(2)} (target ${target})`;
  });
  console.log(`lighthouse median of ${runs}: ${summary.join(', ')}${missed ? ': MISSED' : ''}`);
  return missed ? 1 : 0;
}

process.exitCode = await main();
