/**
 * npm run bench: wall time and heap of the engine on the benchmark machines, in process and end
 * to end through `npm run sim`, and the size of `sim --json` for each. Targets: (b), (c) (with
 * memmap_on_memory on too) and (d) under 50 ms of engine time and 64 MB of heap, within 1.5x
 * of (a) end to end, and every `sim --json` under 2 MB.
 *
 * Engine time is read from the engine as the page's worker runs it: src/engine bundled and
 * minified by vite (the same bundler and target as `vite build`), imported here. The same runs
 * under tsx, which loads each source module on its own as `npm run sim` does, are printed beside
 * it (the "tsx ms" column): on a shared 2-core machine either can be the faster on a given run.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { build } from 'vite';
import { simulate as simulateTsx } from '../src/engine/simulate.ts';
import { fiveLevel, onePiBAdd, smallVm, x86Max } from './machines.ts';

type Simulate = typeof simulateTsx;

/** src/engine/simulate.ts bundled as the worker gets it. */
async function bundledEngine(dir: string): Promise<Simulate> {
  await build({
    configFile: false,
    logLevel: 'silent',
    build: {
      lib: { entry: 'src/engine/simulate.ts', formats: ['es'], fileName: 'engine' },
      outDir: dir,
      emptyOutDir: true,
      target: 'es2022',
      minify: true,
    },
  });
  const engine = (await import(pathToFileURL(join(dir, 'engine.js')).href)) as {
    simulate: Simulate;
  };
  return engine.simulate;
}

const gc = (globalThis as { gc?: () => void }).gc;
const MiB = 1024 ** 2;

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

/**
 * Wall time and CPU time (user + system of this process) per run, as the worker sees them: a
 * warm heap, no collection forced between runs (a forced full GC shrinks the young generation,
 * and the next run pays for growing it again). On a shared machine the wall time includes the
 * time other processes had the core. The heap figure is a separate run after a full GC: how much
 * the heap grew over it (garbage included, so at least the peak a run needs).
 */
function engineRun(simulate: Simulate, scenario: unknown, runs: number) {
  const wall: number[] = [];
  const cpu: number[] = [];
  gc?.();
  const heapBefore = process.memoryUsage().heapUsed;
  const held = simulate(scenario);
  const heapPeak = Math.max(0, process.memoryUsage().heapUsed - heapBefore);
  void held;
  let summary = '';
  for (let i = 0; i < runs; i++) {
    const cpuBefore = process.cpuUsage();
    const start = performance.now();
    const outcome = simulate(scenario);
    wall.push(performance.now() - start);
    const used = process.cpuUsage(cpuBefore);
    cpu.push((used.user + used.system) / 1000);
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
  { name: '(d) one 2 PiB add, memmap_on_memory, 3M 1 GiB pages', scenario: onePiBAdd() },
  {
    name: '(b) with kernel.strategy group of 16 blocks',
    scenario: {
      ...x86Max('on'),
      kernel: { ...x86Max('on').kernel, strategy: { kind: 'group', groupBlocks: 16 } },
    },
  },
];

const simulate = await bundledEngine(join(dir, 'engine'));
const RUNS = 21;
console.log(
  `engine benchmark (node ${process.version}${gc ? '' : ', run with --expose-gc for heap figures'}); ` +
    `median of ${RUNS} runs of the engine as the worker runs it (bundled by vite), and under tsx`,
);
console.log(
  'case'.padEnd(56),
  'wall ms'.padStart(8),
  'cpu ms'.padStart(8),
  'tsx ms'.padStart(8),
  'heap MiB'.padStart(9),
  'json KiB'.padStart(9),
  '  what',
);
const files: { name: string; file: string }[] = [];
cases.forEach(({ name, scenario }, index) => {
  for (let i = 0; i < 3; i++) simulate(scenario); // warm up the JIT
  const { wallMs, cpuMs, heapMiB, summary } = engineRun(simulate, scenario, RUNS);
  for (let i = 0; i < 3; i++) simulateTsx(scenario);
  const tsx = engineRun(simulateTsx, scenario, RUNS);
  const outcome = simulate(scenario);
  const jsonBytes = outcome.ok ? Buffer.byteLength(`${JSON.stringify(outcome.result)}\n`) : 0;
  console.log(
    name.padEnd(56),
    wallMs.toFixed(1).padStart(8),
    cpuMs.toFixed(1).padStart(8),
    tsx.wallMs.toFixed(1).padStart(8),
    heapMiB.toFixed(1).padStart(9),
    (jsonBytes / 1024).toFixed(0).padStart(9),
    ` ${summary}`,
  );
  const file = join(dir, `case-${index}.json`);
  writeFileSync(file, JSON.stringify(scenario));
  files.push({ name, file });
});
console.log('\nend to end through npm run sim --json (median of 5, target within 1.5x of (a)):');
const a = endToEnd(files[0]!.file, 5);
console.log(`  ${files[0]!.name.padEnd(56)} ${a.toFixed(0).padStart(6)} ms`);
for (const { name, file } of files.slice(1)) {
  const ms = endToEnd(file, 5);
  console.log(`  ${name.padEnd(56)} ${ms.toFixed(0).padStart(6)} ms  ${(ms / a).toFixed(2)}x`);
}
