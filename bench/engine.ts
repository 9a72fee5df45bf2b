/**
 * npm run bench: wall time and heap of the engine on the three benchmark machines, in process and
 * end to end through `npm run sim`. Targets (engine issue): (c) under 50 ms of engine time and
 * within 1.5x of (a) end to end; heap under 64 MB.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { simulate } from '../src/engine/simulate.ts';
import { fiveLevel, smallVm, x86Max } from './machines.ts';

const gc = (globalThis as { gc?: () => void }).gc;
const MiB = 1024 ** 2;

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

/**
 * Wall time and CPU time (user + system of this process) per run. On a shared machine the wall
 * time includes the time other processes had the core; the CPU time is the engine's own cost.
 */
function engineRun(scenario: unknown, runs: number) {
  const wall: number[] = [];
  const cpu: number[] = [];
  let heapPeak = 0;
  let summary = '';
  for (let i = 0; i < runs; i++) {
    gc?.();
    const heapBefore = process.memoryUsage().heapUsed;
    const cpuBefore = process.cpuUsage();
    const start = performance.now();
    const outcome = simulate(scenario);
    wall.push(performance.now() - start);
    const used = process.cpuUsage(cpuBefore);
    cpu.push((used.user + used.system) / 1000);
    heapPeak = Math.max(heapPeak, process.memoryUsage().heapUsed - heapBefore);
    if (!outcome.ok)
      throw new Error(outcome.errors.map((e) => `${e.path}: ${e.message}`).join('; '));
    const last = outcome.result.steps[outcome.result.steps.length - 1]!;
    summary = `${outcome.result.steps.length - 1} events, ${outcome.result.final.blocks.length} block runs, ${last.allocated ?? 0} huge pages`;
  }
  return { wallMs: median(wall), cpuMs: median(cpu), heapMiB: heapPeak / MiB, summary };
}

function endToEnd(file: string, runs: number): number {
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const start = performance.now();
    execFileSync('npm', ['run', '-s', 'sim', '--', '--json', file], {
      stdio: ['ignore', 'ignore', 'inherit'],
      maxBuffer: 1 << 30,
    });
    times.push(performance.now() - start);
  }
  return median(times);
}

const dir = mkdtempSync(join(tmpdir(), 'memmap-bench-'));
const cases = [
  { name: '(a) 4 GiB VM, one hot-add', scenario: smallVm() },
  { name: '(b) x86_64 64 TiB, 16 nodes, 256 hot-adds', scenario: x86Max() },
  { name: '(c) 5-level 2 PiB, 64 nodes, 512 hot-adds, 1M 1 GiB pages', scenario: fiveLevel() },
  { name: '(b) with memmap_on_memory=on', scenario: x86Max('on') },
  { name: '(c) with memmap_on_memory=on', scenario: fiveLevel('on') },
];

console.log(
  `engine benchmark (node ${process.version}${gc ? '' : ', run with --expose-gc for heap figures'})`,
);
console.log(
  'case'.padEnd(60),
  'wall ms'.padStart(9),
  'cpu ms'.padStart(8),
  'heap MiB'.padStart(9),
  '  what',
);
const e2e: Record<string, number> = {};
for (const { name, scenario } of cases) {
  for (let i = 0; i < 3; i++) simulate(scenario); // warm up the JIT
  const { wallMs, cpuMs, heapMiB, summary } = engineRun(scenario, 9);
  console.log(
    name.padEnd(60),
    wallMs.toFixed(1).padStart(9),
    cpuMs.toFixed(1).padStart(8),
    heapMiB.toFixed(1).padStart(9),
    ` ${summary}`,
  );
  const file = join(dir, `${name.slice(1, 2)}.json`);
  writeFileSync(file, JSON.stringify(scenario));
  if (name.startsWith('(a)') || name.startsWith('(c) 5-level'))
    e2e[name.slice(0, 3)] = endToEnd(file, 5);
}
const a = e2e['(a)']!;
const c = e2e['(c)']!;
console.log(
  `\nend to end through npm run sim --json: (a) ${a.toFixed(0)} ms, (c) ${c.toFixed(0)} ms, ratio ${(c / a).toFixed(2)}x (target ≤ 1.5x)`,
);
