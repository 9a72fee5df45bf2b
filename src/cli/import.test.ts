import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { validateScenario } from '../engine/scenario/validate.ts';
import { importMain } from './import.ts';

const root = resolve(import.meta.dirname, '../..');
const fixtures = join(root, 'src/import/fixtures');
const tsx = join(root, 'node_modules/.bin/tsx');
const sim = (args: string[], input?: string) =>
  spawnSync(tsx, [join(root, 'src/cli/sim.ts'), ...args], { encoding: 'utf8', input, cwd: root });
const dir = mkdtempSync(join(tmpdir(), 'import-'));
const file = (name: string, content: string) => {
  const path = join(dir, name);
  writeFileSync(path, content);
  return path;
};

/** importMain with files held in memory. */
function run(argv: string[], files: Record<string, string>) {
  let out = '';
  let err = '';
  const status = importMain(argv, {
    read: (name) => {
      const text = files[name];
      if (text === undefined) throw Object.assign(new Error('missing'), { code: 'ENOENT' });
      return text;
    },
    out: (text) => (out += text),
    err: (text) => (err += text),
  });
  return { status, out, err };
}

describe('npm run sim -- --import', () => {
  it('prints the formatted scenario on stdout and what it read and inferred on stderr', () => {
    const out = sim([
      '--import',
      join(fixtures, 'lsmem-all-2node.txt'),
      join(fixtures, 'numactl-2node.txt'),
    ]);
    expect(out.status).toBe(0);
    expect(out.stdout).toMatch(/^\{\n {2}"version": 1,/);
    const scenario = JSON.parse(out.stdout);
    expect(validateScenario(scenario).ok).toBe(true);
    expect(scenario.machine.nodes).toHaveLength(2);
    expect(out.stderr).toMatch(/read: .*lsmem-all-2node\.txt: lines 1-53 as lsmem/);
    expect(out.stderr).toMatch(/note: hot-added after boot: everything from 4 GiB/);
  });

  it('reads stdin with -, and the output runs through the engine', () => {
    const imported = sim(['--import', '-'], '00000000-7fffffff : System RAM\n');
    expect(imported.status).toBe(0);
    const report = sim(['--json', '-'], imported.stdout);
    expect(report.status).toBe(0);
    expect(JSON.parse(report.stdout).steps[0].memTotal).toBeGreaterThan(0);
  });

  it('exits 2 when nothing could be imported, with the reasons on stderr', () => {
    const out = sim(['--import', file('empty.txt', 'hello\n')]);
    expect(out.status).toBe(2);
    expect(out.stdout).toBe('');
    expect(out.stderr).toMatch(
      /problem: .*empty\.txt: nothing here is a format this importer reads/,
    );
    expect(out.stderr).toMatch(/nothing could be imported/);
  });

  it('names problems by file and line and still prints the scenario', () => {
    const result = run(['--import', 'a.txt', 'b.txt'], {
      'a.txt': '00000000-7fffffff : System RAM\nfoo\n',
      'b.txt': 'available: 1 nodes (0)\nnode 0 size: 2048 MB\n',
    });
    expect(result.status).toBe(0);
    expect(result.err).toMatch(
      /problem: a\.txt: line 2: expected "<start>-<end> : <name>", got "foo"/,
    );
    expect(JSON.parse(result.out).machine.nodes).toEqual([
      { id: 0, ram: [{ start: 0, size: '2G' }] },
    ]);
  });

  it('takes --boot-end, and refuses bad usage and unreadable files with exit 2', () => {
    const text = '00000000-7fffffff : System RAM\n100000000-1ffffffff : System RAM\n';
    const told = run(['--import', '--boot-end', '4G', 'm.txt'], { 'm.txt': text });
    expect(JSON.parse(told.out).events).toEqual([{ op: 'add', start: '4G', size: '4G' }]);
    expect(run(['--import'], {}).err).toMatch(/at least one file/);
    expect(run(['--import', '--boot-end', 'soon', 'm.txt'], { 'm.txt': text }).status).toBe(2);
    expect(run(['--import', '--frobnicate', 'm.txt'], { 'm.txt': text }).err).toMatch(
      /unknown option --frobnicate/,
    );
    expect(run(['--import', 'missing.txt'], {})).toMatchObject({
      status: 2,
      err: 'missing.txt: cannot read (ENOENT)\n',
    });
  });
});
