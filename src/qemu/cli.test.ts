import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { qemuMain } from '../cli/qemu.ts';

const root = resolve(import.meta.dirname, '../..');
const dir = mkdtempSync(join(tmpdir(), 'qemu-cli-'));
const file = (name: string, content: unknown) => {
  const path = join(dir, name);
  writeFileSync(path, JSON.stringify(content));
  return path;
};
const run = (argv: string[]) => {
  let stdout = '';
  let stderr = '';
  const status = qemuMain(
    argv,
    (text) => (stdout += text),
    (text) => (stderr += text),
  );
  return { status, stdout, stderr };
};

describe('npm run sim -- --qemu', () => {
  it('prints the script of a scenario (an oracle case as it is)', () => {
    const out = run(['--qemu', join(root, 'test/oracle/mom-node0/case.json')]);
    expect(out.status).toBe(0);
    expect(out.stderr).toBe('');
    expect(out.stdout).toMatch(/^#!\/usr\/bin\/env bash\n/);
    expect(out.stdout).toMatch(/memory_hotplug\.memmap_on_memory=1/);
  });

  it('exits 2 with the reasons when QEMU cannot run it', () => {
    const out = run([
      '--qemu',
      file('hmm.json', {
        version: 1,
        era: 'RFC2',
        events: [{ op: 'device-private', size: '1G' }],
      }),
    ]);
    expect(out.status).toBe(2);
    expect(out.stdout).toBe('');
    expect(out.stderr).toMatch(/QEMU cannot run this scenario:\n {2}- era RFC2: /);
    expect(out.stderr).toMatch(/\n {2}- events\[0\] \(device-private\): /);
  });

  it('exits 2 for an invalid scenario or a wrong command line', () => {
    const invalid = run(['--qemu', file('bad.json', { version: 1, arch: 'vax' })]);
    expect(invalid.status).toBe(2);
    expect(invalid.stderr).toMatch(/invalid scenario\n {2}arch: /);
    expect(run(['--qemu']).stderr).toMatch(/^usage: npm run sim -- --qemu/);
    expect(run(['--qemu', join(dir, 'missing.json')]).stderr).toMatch(/cannot read \(ENOENT\)/);
  });

  it('is what npm run sim dispatches --qemu to', () => {
    const tsx = join(root, 'node_modules/.bin/tsx');
    const out = spawnSync(
      tsx,
      [join(root, 'src/cli/sim.ts'), '--qemu', join(root, 'test/qemu/dimm-mom-off.json')],
      {
        encoding: 'utf8',
        cwd: root,
      },
    );
    expect(out.status).toBe(0);
    expect(out.stdout).toMatch(
      /^# Memmap Explorer: Linux 6\.12, memmap_on_memory off: 4 GiB pc-dimm/m,
    );
  });
});
