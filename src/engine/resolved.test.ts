/**
 * The facts the engine resolves so that nothing downstream re-derives them: the kernel version
 * whose rules applied, the gigantic page size, which knobs can change anything (and why not), and
 * where an event with defaults landed.
 */
import { describe, expect, it } from 'vitest';
import { run, step } from './testing.ts';
import { GiB, MiB } from './units.ts';

describe('result.resolved', () => {
  it('kernelVersion: the one given, else the era’s own', () => {
    expect(run({ version: 1, kernelVersion: '5.15' }).resolved.kernelVersion).toBe('5.15');
    expect(run({ version: 1, kernelVersion: '5.15' }).resolved.era).toBe('U1');
    expect(run({ version: 1, era: 'U2' }).resolved.kernelVersion).toBe('6.6');
  });

  it('giganticPageSize: the largest huge page of the arch', () => {
    const rows: [string, number][] = [
      ['x86_64', GiB],
      ['arm64-4k', GiB],
      ['arm64-64k', 512 * MiB],
      ['ppc64-hash-64k', 16 * GiB],
      ['s390x', 2 * GiB],
    ];
    for (const [arch, size] of rows)
      expect(run({ version: 1, arch }).resolved.giganticPageSize, arch).toBe(size);
  });

  it('controls on x86 6.12: every knob matters, except that force equals on here', () => {
    const controls = run({ version: 1, kernelVersion: '6.12' }).resolved.controls;
    expect(controls.memmapOnMemory).toBeNull();
    expect(controls.onlinePolicy).toBeNull();
    expect(controls.hvo).toBeNull();
    expect(controls.force).toContain('waste 0 pages');
  });

  it('controls name the release a knob arrived in', () => {
    const old = run({ version: 1, kernelVersion: '5.12' }).resolved.controls;
    expect(old.memmapOnMemory).toContain('v5.13');
    expect(old.force).toContain('v5.13');
    expect(old.onlinePolicy).toContain('v5.15');
    expect(old.hvo).toContain('v5.14');
    const u1 = run({ version: 1, kernelVersion: '6.1' }).resolved.controls;
    expect(u1.memmapOnMemory).toBeNull();
    expect(u1.force).toContain('v6.6');
  });

  it('controls say when an arch cannot use memmap_on_memory at all', () => {
    const hash = run({ version: 1, arch: 'ppc64-hash-64k' }).resolved.controls;
    expect(hash.memmapOnMemory).toContain('cannot use memmap_on_memory');
    expect(hash.force).toBe(hash.memmapOnMemory);
    expect(run({ version: 1, arch: 'ppc64-radix-64k' }).resolved.controls.force).toBeNull();
  });
});

describe('step.resolved*: where an event with defaults landed', () => {
  const result = run({
    version: 1,
    kernelVersion: '6.12',
    machine: {
      nodes: [
        { id: 0, ram: [{ start: 0, size: '2G' }] },
        { id: 1, ram: [] },
      ],
      hotpluggable: [{ start: '4G', size: '8G', node: 1 }],
    },
    events: [
      { op: 'add', size: '1G' },
      { op: 'add', start: '16G', size: '1G' },
      { op: 'add', size: '1G', node: 0 },
      { op: 'pmem', start: '32G', size: '2G', node: 1, map: 'dev' },
    ],
  });

  it('a default add starts at 4 GiB and takes the node of the hot-pluggable range holding it', () => {
    expect(step(result, 0).resolvedStart).toBe(4 * GiB);
    expect(step(result, 0).resolvedNode).toBe(1);
    expect(step(result, 0).resolvedSize).toBe(GiB);
  });

  it('outside every hot-pluggable range the node is 0; a given node wins', () => {
    expect(step(result, 1).resolvedNode).toBe(0);
    expect(step(result, 2).resolvedStart).toBe(17 * GiB);
    expect(step(result, 2).resolvedNode).toBe(0);
  });

  it('pmem: the node the device went to, not the firmware node', () => {
    expect(step(result, 3).resolvedNode).toBe(0);
    expect(step(result, 3).resolvedStart).toBe(32 * GiB);
  });

  it('a refused add resolves nothing', () => {
    const refused = run({ version: 1, events: [{ op: 'add', start: '4100M', size: '1G' }] });
    expect(step(refused, 0).ok).toBe(false);
    expect(step(refused, 0).resolvedNode).toBeUndefined();
  });
});
