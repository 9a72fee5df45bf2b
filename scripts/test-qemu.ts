/**
 * npm run test:qemu: the QEMU reproducer against real kernels (opt-in; CI does not run it).
 *
 * Installs what the reproducers need when it is missing (Debian: qemu-system-x86 and
 * busybox-static through apt-get, and an apt-get update when no 6.12 kernel package is known;
 * each reproducer then fetches the kernel package itself with apt-get download and unpacks it
 * into its cache, leaving the host's /boot alone), writes the reproducer of every scenario in
 * test/qemu/, runs it, and fails when any kernel's figures disagree with the engine's.
 * KERNEL=/path/to/vmlinuz is passed through to the reproducers.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join, resolve } from 'node:path';
import { simulate } from '../src/engine/simulate.ts';
import { reproduce } from '../src/qemu/reproduce.ts';
import { KERNELS } from '../src/qemu/support.ts';

const root = resolve(import.meta.dirname, '..');
const scenarioDir = join(root, 'test/qemu');

const sh = (command: string) => spawnSync('sh', ['-c', command], { encoding: 'utf8' });
const have = (tool: string) => sh(`command -v ${tool}`).status === 0;
const staticBusybox = () =>
  ['/bin/busybox', '/usr/bin/busybox'].some(
    (path) => existsSync(path) && !/\/lib(64)?\/ld-linux/.test(readFileSync(path, 'latin1')),
  );

function apt(args: string[]): boolean {
  console.log(`test:qemu: apt-get ${args.join(' ')}`);
  const run = spawnSync('apt-get', args, {
    stdio: 'inherit',
    env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
  });
  return run.status === 0;
}

/** What the reproducers need on the host; false when it cannot be had. */
function ensureTools(): boolean {
  const missing = [
    ...(have('qemu-system-x86_64') ? [] : ['qemu-system-x86']),
    ...(staticBusybox() ? [] : ['busybox-static']),
  ];
  const kernelKnown =
    Boolean(process.env.KERNEL) ||
    (have('apt-cache') &&
      sh(`apt-cache search --names-only '${KERNELS.U3.aptPattern}'`).stdout.trim() !== '');
  if (missing.length === 0 && kernelKnown) return true;
  if (!have('apt-get') || process.getuid?.() !== 0) {
    console.error(
      `test:qemu: needs ${[...missing, ...(kernelKnown ? [] : ['a 6.12 kernel package'])].join(', ')}; as root on Debian: apt-get install qemu-system-x86 busybox-static`,
    );
    return false;
  }
  if (!kernelKnown && !apt(['update'])) return false;
  const install = ['install', '-y', '--no-install-recommends', ...missing];
  // A stale package index is the usual reason an install fails: update once and retry.
  if (missing.length && !apt(install) && !(apt(['update']) && apt(install))) return false;
  return true;
}

interface Outcome {
  name: string;
  status: number | null;
  seconds: number;
}

function runScenario(file: string, workDir: string): Outcome {
  const name = basename(file, '.json');
  const started = Date.now();
  const outcome = simulate(JSON.parse(readFileSync(file, 'utf8')));
  if (!outcome.ok) {
    console.error(`test:qemu: ${name}: ${outcome.errors.map((e) => e.message).join('; ')}`);
    return { name, status: 2, seconds: 0 };
  }
  const reproduction = reproduce(outcome.scenario, outcome.result);
  if (!reproduction.ok) {
    console.error(`test:qemu: ${name}: QEMU cannot run it: ${reproduction.reasons.join('; ')}`);
    return { name, status: 2, seconds: 0 };
  }
  const script = join(workDir, `${name}.sh`);
  writeFileSync(script, reproduction.script, { mode: 0o755 });
  console.log(`\n=== ${name}: ${outcome.scenario.title ?? ''}`);
  const run = spawnSync('bash', [script], { stdio: 'inherit' });
  return { name, status: run.status, seconds: Math.round((Date.now() - started) / 1000) };
}

function main(): number {
  if (!ensureTools()) return 2;
  const workDir = mkdtempSync(join(tmpdir(), 'test-qemu-'));
  const files = readdirSync(scenarioDir)
    .filter((entry) => entry.endsWith('.json'))
    .sort()
    .map((entry) => join(scenarioDir, entry));
  const outcomes = files.map((file) => runScenario(file, workDir));
  console.log('\ntest:qemu summary');
  const words: Record<string, string> = { 0: 'agrees', 1: 'DIFFERS', 2: 'could not run' };
  for (const o of outcomes)
    console.log(`  ${o.name}: ${words[String(o.status)] ?? `exit ${o.status}`} (${o.seconds} s)`);
  console.log(`  reproducers kept in ${workDir}`);
  return outcomes.every((o) => o.status === 0) ? 0 : 1;
}

process.exitCode = main();
