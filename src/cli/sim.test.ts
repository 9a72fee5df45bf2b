import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = resolve(import.meta.dirname, '../..');
const tsx = join(root, 'node_modules/.bin/tsx');
const sim = (args: string[], input?: string) =>
  spawnSync(tsx, [join(root, 'src/cli/sim.ts'), ...args], { encoding: 'utf8', input, cwd: root });
const dir = mkdtempSync(join(tmpdir(), 'sim-'));
const file = (name: string, content: unknown) => {
  const path = join(dir, name);
  writeFileSync(path, typeof content === 'string' ? content : JSON.stringify(content));
  return path;
};

describe('npm run sim', () => {
  it('prints a readable report with steps, an lsmem table and where the memmap lives', () => {
    const out = sim([join(root, 'test/oracle/legacy-node0/case.json')]);
    expect(out.status).toBe(0);
    expect(out.stdout).toMatch(/#0 add +ok +\+32 blocks/);
    expect(out.stdout).toMatch(/RANGE +SIZE +STATE +NODE +ZONE +MEMMAP/);
    expect(out.stdout).toMatch(
      /0x0000000100000000-0x00000001ffffffff +4G +online +0 +Normal +ram node 0/,
    );
    expect(out.stdout).toMatch(/node 0: 32 MiB boot memmap in RAM; 64 MiB in RAM for hotplug/);
  });

  it('prints the result as JSON with --json, from stdin with -', () => {
    const scenario = JSON.stringify({ version: 1, events: [{ op: 'add', size: '1G' }] });
    const out = sim(['--json', '-'], scenario);
    expect(out.status).toBe(0);
    const result = JSON.parse(out.stdout);
    expect(result.version).toBe(2);
    expect(result.steps[1].blocksAdded).toBe(8);
  });

  it('exits 0 for a valid scenario whose steps fail', () => {
    const out = sim([
      '--json',
      file('fail.json', { version: 1, events: [{ op: 'remove', start: '64G', size: '1G' }] }),
    ]);
    expect(out.status).toBe(0);
    expect(JSON.parse(out.stdout).steps[1].ok).toBe(false);
  });

  it('exits 2 with every validation message on stderr', () => {
    const out = sim([
      file('bad.json', { version: 1, arch: 'vax', events: [{ op: 'add', size: '12Q' }] }),
    ]);
    expect(out.status).toBe(2);
    expect(out.stdout).toBe('');
    expect(out.stderr).toMatch(/arch: text "vax" is not one of/);
    expect(out.stderr).toMatch(/events\[0\]\.size: "12Q" is not a size/);
  });

  it('prints the share link of a scenario, opening at its last step', async () => {
    const out = sim(['--url', join(root, 'test/oracle/mom-node0/case.json')]);
    expect(out.status).toBe(0);
    const link = out.stdout.trim();
    expect(link).toMatch(/^\/#s=2\.[A-Za-z0-9_-]+$/);
    expect(link.length).toBeLessThan(2000);
    const { decodeAndValidate } = await import('../state/url-validate.ts');
    const decoded = decodeAndValidate(link.slice(1));
    expect(decoded.kind).toBe('ok');
    if (decoded.kind === 'ok') expect(decoded.view.step).toBe(6);
    expect(
      sim([
        '--url',
        '--base',
        'http://127.0.0.1:5173/',
        join(root, 'test/oracle/mom-node0/case.json'),
      ]).stdout,
    ).toMatch(/^http:\/\/127\.0\.0\.1:5173\/#s=2\./);
  });

  it('exits 2 naming why when a scenario is too large for a link', () => {
    // Labels that do not compress: 400 of them need more than a link holds.
    let seed = 7;
    const noise = () =>
      Array.from({ length: 80 }, () => {
        seed = (seed * 1103515245 + 12345) % 2 ** 31;
        return String.fromCharCode(33 + (seed % 90));
      }).join('');
    const events = Array.from({ length: 400 }, () => ({ op: 'online', label: noise() }));
    const out = sim(['--url', file('huge.json', { version: 1, events })]);
    expect(out.status).toBe(2);
    expect(out.stderr).toMatch(/huge\.json: no share link: The scenario is too large for a link/);
    expect(out.stdout).toBe('');
  });

  it('exits 2 for unreadable files, non-JSON and bad usage', () => {
    expect(sim([join(dir, 'missing.json')]).stderr).toMatch(/cannot read \(ENOENT\)/);
    expect(sim([file('text.json', 'not json')]).stderr).toMatch(/not JSON/);
    expect(sim([]).status).toBe(2);
    expect(sim(['--frobnicate', 'x.json']).status).toBe(2);
  });
});
