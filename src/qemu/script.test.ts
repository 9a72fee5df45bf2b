import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PRESETS } from '../state/presets.ts';
import { COMPARE_AWK } from './compare.ts';
import { heredocOf, recorded, reproduceInput, scriptOf } from './testing.ts';

const dir = mkdtempSync(join(tmpdir(), 'qemu-script-'));
const file = (name: string, text: string) => {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
};
const syntax = (shell: string, path: string) =>
  spawnSync(shell, ['-n', path], { encoding: 'utf8' });

describe('the script', () => {
  const runnable = PRESETS.flatMap((preset) => {
    const { reproduction } = reproduceInput(preset.scenario);
    return reproduction.ok ? [{ id: preset.id, script: reproduction.script }] : [];
  });

  it('exists for the demos QEMU can run', () => {
    expect(runnable.map((demo) => demo.id)).toEqual([
      'gigantic-vs-mom',
      'two-gib-blocks',
      'movable-node-u3',
      'pmem-dev-vs-mem',
      'linux-6.1',
      'linux-6.12',
      'rfc-left-open',
    ]);
  });

  it.each(runnable.map((demo) => [demo.id, demo.script]))('passes bash -n for %s', (id, script) => {
    const check = syntax('bash', file(`${id}.sh`, script));
    expect(check.stderr).toBe('');
    expect(check.status).toBe(0);
    // The guest's /init is a busybox (POSIX) shell script.
    const init = syntax('sh', file(`${id}.init`, heredocOf(script, 'MEMMAP_GUEST_INIT')));
    expect(init.stderr).toBe('');
  });

  it('is the same text every time, and its machinery is the same for every scenario', () => {
    const a = scriptOf(recorded());
    expect(scriptOf(recorded())).toBe(a);
    const b = scriptOf(recorded({ kernel: { memmapOnMemory: 'on', movableNode: true } }));
    const machinery = (script: string) => script.slice(script.search(/# -+ machinery/));
    expect(machinery(a).length).toBeGreaterThan(5000);
    expect(machinery(b)).toBe(machinery(a));
  });

  it('keeps a title or label from breaking out of its quotes', () => {
    const script = scriptOf(
      recorded({
        title: "it's $(reboot)\n`x`",
        events: [{ op: 'add', start: '4G', size: '1G', node: 0, label: "'; rm -rf / #" }],
      }),
    );
    expect(script).toMatch(
      /^# Memmap Explorer: it's \$\(reboot\) `x`, on a real kernel in QEMU\.$/m,
    );
    expect(script).toContain(`("'\\''; rm -rf / #")'`);
    expect(syntax('bash', file('quotes.sh', script)).status).toBe(0);
  });
});

describe('the comparison (compare.awk)', () => {
  const awk = file('compare.awk', COMPARE_AWK);
  const engine = [
    '0 blocksize 134217728',
    '0 setting.release 6.12.',
    '0 setting.memmap_on_memory Y',
    '0 ok 1',
    '0 memtotal 2113929216',
    '0 memfree 2080374784',
    '0 zone.0.DMA32.managed 512000',
    '0 zone.0.DMA32.spanned 520192',
    '0 blocks 16',
    '1 ok 1',
    '1 memtotal 6341787648',
    '1 memfree 6306136064',
    '1 zone.0.DMA32.managed 512000',
    '1 zone.0.DMA32.spanned 520192',
    '1 zone.0.Normal.spanned 1048576',
    '1 zone.0.Normal.present 1048576',
    '1 zone.0.Normal.managed 1032192',
    '1 blocks 48',
    '1 freeslack 8388608',
    '2 ok 1',
    '2 memtotal 6341787648',
    '2 memfree 3084910592',
    '2 zone.0.DMA32.managed 512000',
    '2 zone.0.DMA32.spanned 520192',
    '2 zone.0.Normal.spanned 1048576',
    '2 zone.0.Normal.present 1048576',
    '2 zone.0.Normal.managed 1032192',
    '2 blocks 48',
    '2 freeslack 4194304',
    '2 huge.all.1048576 3',
    '2 hugemin.all.1048576 2',
    '2 hugeprev.all.1048576 0',
    '2 hugepool all.1048576',
  ].join('\n');
  const kernelBoot = [
    '0 blocksize 134217728',
    '0 setting.release 6.12.117+deb12-amd64',
    '0 setting.memmap_on_memory Y',
    '0 memtotal 1982742528',
    '0 memfree 1960493056',
    '0 blocks 16',
  ];
  const compare = (step: number, kernel: string[]) => {
    const diffs = file(`diffs-${step}-${Math.random()}`, '');
    const run = spawnSync(
      'awk',
      [
        '-v',
        `step=${step}`,
        '-v',
        'title=t',
        '-v',
        `diffs=${diffs}`,
        '-f',
        awk,
        file('e.tsv', engine),
        file(`k-${Math.random()}.tsv`, kernel.join('\n')),
      ],
      { encoding: 'utf8' },
    );
    return { out: run.stdout, err: run.stderr, diffs: readFileSync(diffs, 'utf8') };
  };
  const onlinedTotal = 1982742528 + (6341787648 - 2113929216);
  const added = (managed: number, freeBytes: number) => [
    ...kernelBoot,
    `1 memtotal ${onlinedTotal}`,
    `1 memfree ${freeBytes}`,
    '1 zone.0.Normal.spanned 1048576',
    '1 zone.0.Normal.present 1048576',
    `1 zone.0.Normal.managed ${managed}`,
    '1 blocks 48',
  ];

  it('checks the block size and the settings at boot, not the boot figures', () => {
    expect(compare(0, kernelBoot).diffs).toBe('');
    const wrong = compare(
      0,
      kernelBoot.map((line) => line.replace('memmap_on_memory Y', 'memmap_on_memory N')),
    );
    expect(wrong.diffs).toBe(
      "step 0 (t): the kernel's memmap_on_memory is N, the scenario asks for Y\n",
    );
  });

  it('passes a step whose changes agree, printing both sides and their changes', () => {
    const run = compare(1, added(1032192, 1960493056 + 4126720 * 1024 - 300 * 1024));
    expect(run.err).toBe('');
    expect(run.diffs).toBe('');
    expect(run.out).toMatch(/zone 0\/Normal managed +1032192 +\+1032192 +1032192 +\+1032192 +ok/);
    expect(run.out).toMatch(/MemTotal +6065040 kB +\+4128768 kB +6193152 kB +\+4128768 kB +ok/);
  });

  it('names a zone count that differs by a single page', () => {
    expect(compare(1, added(1032193, 1960493056 + 4126720 * 1024)).diffs).toBe(
      'step 1 (t): zone 0/Normal managed changed by +1032193 in the kernel, +1032192 in the engine\n',
    );
  });

  it('allows MemFree its slack and no more', () => {
    const near = 1960493056 + 4126720 * 1024 + 8 * 1024 * 1024;
    expect(compare(1, added(1032192, near)).diffs).toBe('');
    expect(compare(1, added(1032192, near + 4096)).diffs).toMatch(
      /MemFree \(with per-cpu lists\) changed by \+4134916 kB in the kernel, \+4126720 kB in the engine \(more than 8192 kB apart\)/,
    );
  });

  it('judges a huge page pool by the engine count, one gigantic page short at most', () => {
    const freeAfter = (pages: number) => 1960493056 + 4126720 * 1024 - pages * 1024 ** 3;
    const huge = (pages: number) => [
      ...added(1032192, 1960493056 + 4126720 * 1024),
      `2 memtotal ${onlinedTotal}`,
      `2 memfree ${freeAfter(pages)}`,
      '2 zone.0.Normal.spanned 1048576',
      '2 zone.0.Normal.present 1048576',
      '2 zone.0.Normal.managed 1032192',
      '2 blocks 48',
      `2 huge.all.1048576 ${pages}`,
    ];
    // One page short: the pool rule allows it, and MemFree is compared with each pool added back.
    expect(compare(2, huge(2)).diffs).toBe('');
    expect(compare(2, huge(3)).diffs).toBe('');
    expect(compare(2, huge(1)).diffs).toMatch(
      /huge pages 1048576 kB \(all\): the kernel has 1, the engine 3 \(the kernel may have 2 to 3\)/,
    );
    expect(compare(2, huge(4)).diffs).toMatch(/the kernel has 4, the engine 3/);
  });
});
