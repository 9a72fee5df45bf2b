import { describe, expect, it } from 'vitest';
import { type IomemParse, ancestorOfKind, parseIomem } from './iomem.ts';
import { formatProblem, toLines } from './types.ts';
import { fixture } from './testing.fixtures.ts';

const parse = (text: string) => parseIomem(toLines(text));
const ramOf = (result: IomemParse) =>
  result.resources.filter((r) => r.kind === 'ram' && r.depth === 0);

describe('/proc/iomem', () => {
  it('reads a real /proc/iomem with nesting (the kmem capture: pmem region, dax device, kmem RAM)', () => {
    const result = parse(fixture('kmem-mom-node1.iomem-full.txt'));
    expect(result.problems).toEqual([]);
    expect(result.zeroed).toBe(false);
    expect(ramOf(result).map((r) => [r.start, r.end])).toEqual([
      [0x1000, 0x9fc00],
      [0x100000, 0x7ffdf000],
    ]);
    const kmemIndex = result.resources.findIndex((r) => r.kind === 'kmem');
    const kmem = result.resources[kmemIndex]!;
    expect([kmem.start, kmem.end, kmem.depth]).toEqual([0x108000000, 0x200000000, 2]);
    expect(result.resources[kmem.parent!]!.name).toBe('dax0.0');
    expect(ancestorOfKind(result, kmemIndex, ['pmem'])?.name).toBe('Persistent Memory');
    const kernelCode = result.resources.find((r) => r.name === 'Kernel code')!;
    expect(result.resources[kernelCode.parent!]!.kind).toBe('ram');
  });

  it('classifies the names memory hotplug cares about', () => {
    const text = [
      '00000000-00000fff : Reserved',
      '100000000-13fffffff : virtio0',
      '  100000000-13fffffff : System RAM (virtio_mem)',
      '140000000-17fffffff : Persistent Memory (legacy)',
      '180000000-1bfffffff : Soft Reserved',
      '  180000000-1bfffffff : hmem.0',
      '    180000000-1bfffffff : System RAM (kmem)',
      '1c0000000-1ffffffff : System RAM (hv_balloon)',
      'fee00000-fee00fff : Local APIC',
    ].join('\n');
    expect(parse(text).resources.map((r) => r.kind)).toEqual([
      'reserved',
      'other',
      'virtio-mem',
      'pmem',
      'soft-reserved',
      'other',
      'kmem',
      'driver-ram',
      'other',
    ]);
  });

  it('accepts the capture digest prefix "iomem " and keeps its indentation', () => {
    const result = parse(
      'iomem 00100000-7ffdffff : System RAM\niomem     108000000-1ffffffff : System RAM (kmem)',
    );
    expect(result.problems).toEqual([]);
    expect(result.resources.map((r) => [r.kind, r.depth, r.parent])).toEqual([
      ['ram', 0, null],
      // Its parents were filtered out of the digest: it hangs at depth 1 under nothing.
      ['kmem', 1, 0],
    ]);
  });

  it('detects the all-zero addresses an unprivileged reader sees, and says how to fix it', () => {
    const result = parse(
      [
        '00000000-00000000 : Reserved',
        '00000000-00000000 : System RAM',
        '  00000000-00000000 : Kernel code',
      ].join('\n'),
    );
    expect(result.zeroed).toBe(true);
    expect(result.problems.map(formatProblem)).toEqual([
      expect.stringMatching(
        /every address as 0: it was read without root .*sudo cat \/proc\/iomem/,
      ),
    ]);
  });

  it('names a damaged line with its number and reads the others', () => {
    const text = [
      '00000000-00000fff : Reserved',
      '00001000-0009fbff : System RAM',
      'foo',
      '7ffe0000-7fffffff Reserved',
      '80000000-7fffffff : System RAM',
      '100000000-1ffffffff : System RAM',
    ].join('\n');
    const result = parse(text);
    expect(result.resources.map((r) => r.start)).toEqual([0, 0x1000, 0x100000000]);
    expect(result.problems.map(formatProblem)).toEqual([
      'line 3: expected "<start>-<end> : <name>", got "foo"',
      'line 4: expected "<start>-<end> : <name>", got "7ffe0000-7fffffff Reserved"',
      'line 5: the range 80000000-7fffffff ends before it starts',
    ]);
  });

  it('keeps bus windows past 2^53 out without losing the memory below them', () => {
    const result = parse(
      '00000000-3fffffff : System RAM\n4000000000-ffffffffffffffff : PCI Bus 0000:00',
    );
    expect(result.problems).toEqual([]);
    expect(result.resources).toHaveLength(1);
  });
});
