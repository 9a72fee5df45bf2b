import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { renderFormat } from './format.ts';

const root = resolve(import.meta.dirname, '../..');
const tsx = join(root, 'node_modules/.bin/tsx');
const legacy = join(root, 'test/oracle/legacy-node0/case.json');
const sim = (args: string[], input?: string) =>
  spawnSync(tsx, [join(root, 'src/cli/sim.ts'), ...args], { encoding: 'utf8', input, cwd: root });

describe('npm run sim -- --format', () => {
  it('prints lsmem at the last step, and after N events with --step', () => {
    const last = sim(['--format', 'lsmem', legacy]);
    expect(last.status).toBe(0);
    expect(last.stdout.split('\n').slice(0, 3)).toEqual([
      'RANGE                                  SIZE  STATE REMOVABLE BLOCK',
      '0x0000000000000000-0x000000007fffffff    2G online       yes  0-15',
      '0x0000000100000000-0x00000001ffffffff    4G online       yes 32-63',
    ]);
    const added = sim(['--format', 'lsmem', '--step', '1', legacy]);
    expect(added.status).toBe(0);
    expect(added.stdout).toContain(
      '0x0000000100000000-0x00000001ffffffff    4G offline           32-63\n',
    );
  });

  it('prints each view from stdin, a case file wrapping its scenario', () => {
    const input = readFileSync(legacy, 'utf8');
    const expected: Record<string, RegExp> = {
      meminfo: /^MemTotal: +\d+ kB\n/,
      zoneinfo: /^Node 0, zone {6}DMA\n {2}pages free {5}\d+\n/,
      iomem: /^00000000-7fffffff : System RAM\n100000000-1ffffffff : System RAM\n$/,
      sysfs: /^\$ cd \/sys\/devices\/system\/memory; /,
      dmesg: /^\[ {4}0\.000000\] x86\/mm: Memory block size: 128MB\n/,
    };
    for (const [format, pattern] of Object.entries(expected)) {
      const out = renderFormat(JSON.parse(input), format);
      expect(out.ok && out.text, format).toMatch(pattern);
    }
    const piped = sim(['--format', 'iomem', '-'], input);
    expect(piped.status).toBe(0);
    expect(piped.stdout).toMatch(expected.iomem!);
  });

  it('exits 2 with a message for an unknown view, a bad step or a missing file', () => {
    const unknown = sim(['--format', 'slabinfo', legacy]);
    expect(unknown.status).toBe(2);
    expect(unknown.stderr).toMatch(/unknown format slabinfo: one of lsmem, meminfo/);
    const step = sim(['--format', 'lsmem', '--step', '99', legacy]);
    expect(step.status).toBe(2);
    expect(step.stderr).toMatch(/--step 99: the scenario has 6 events/);
    expect(sim(['--format', 'lsmem', '--step', 'x', legacy]).stderr).toMatch(
      /--step needs a number/,
    );
    expect(sim(['--format', 'lsmem', join(root, 'nope.json')]).stderr).toMatch(
      /cannot read \(ENOENT\)/,
    );
  });
});
