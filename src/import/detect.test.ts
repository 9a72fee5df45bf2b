import { describe, expect, it } from 'vitest';
import { detectFormat, detectParts } from './detect.ts';
import { formatProblem } from './types.ts';
import { fixture } from './testing.fixtures.ts';

const outline = (text: string) =>
  detectParts(text).parts.map(
    (p) => `${p.format} ${p.lines[0]!.no}-${p.lines[p.lines.length - 1]!.no}`,
  );

describe('format detection', () => {
  it('knows each format from its own output', () => {
    expect(detectFormat(fixture('lsmem-default-2node.txt'))).toBe('lsmem');
    expect(detectFormat(fixture('lsmem-all-2node.txt'))).toBe('lsmem');
    expect(detectFormat(fixture('kmem-mom-node1.iomem-full.txt'))).toBe('iomem');
    expect(detectFormat(fixture('zoneinfo-2node.txt'))).toBe('zoneinfo');
    expect(detectFormat(fixture('numactl-2node.txt'))).toBe('numactl');
    expect(detectFormat(fixture('sysfs-grep-2node.txt'))).toBe('sysfs');
    expect(detectFormat('zone 0 DMA 3776 4095 3998 3840 1')).toBe('zoneinfo');
    expect(detectFormat('block 0 00000000 online node0 none')).toBe('sysfs');
    expect(detectFormat('hello')).toBeNull();
  });

  it('keeps a whole paste in one part: blank lines, indented lines and the lsmem summary', () => {
    expect(outline(fixture('lsmem-default-2node.txt'))).toEqual(['lsmem 1-9']);
    expect(outline(fixture('zoneinfo-2node.txt'))).toEqual(['zoneinfo 1-248']);
    expect(outline(fixture('kmem-mom-node1.iomem-full.txt'))).toEqual(['iomem 1-21']);
  });

  it('splits a concatenation of pastes, keeping the line numbers of the whole', () => {
    const text = [
      fixture('numactl-2node.txt'),
      fixture('lsmem-default-2node.txt'),
      fixture('lsmem-all-2node.txt'),
      fixture('kmem-mom-node1.iomem-full.txt'),
    ].join('');
    expect(outline(text)).toEqual(['numactl 1-11', 'lsmem 12-20', 'lsmem 21-73', 'iomem 74-94']);
    // A capture extract: settings, zone digest, block digest, iomem.
    expect(outline(fixture('mom-node0.boot.txt'))).toEqual([
      'sysfs 1-6',
      'zoneinfo 7-11',
      'sysfs 12-27',
      'iomem 28-35',
    ]);
  });

  it('ends a part at a shell prompt and skips the prompt', () => {
    const text = [
      '$ cat /proc/iomem',
      '00000000-7fffffff : System RAM',
      'root@host:~# numactl -H',
      'available: 1 nodes (0)',
    ].join('\n');
    expect(outline(text)).toEqual(['iomem 2-2', 'numactl 4-4']);
  });

  it('gives a damaged line inside a paste to that paste, and names lines that belong to none', () => {
    const text = ['some heading', 'another', '00000000-7fffffff : System RAM', 'not iomem'].join(
      '\n',
    );
    const detection = detectParts(text);
    expect(outline(text)).toEqual(['iomem 3-4']);
    expect(detection.problems.map(formatProblem)).toEqual([
      expect.stringMatching(
        /^line 1: lines 1-2 are not part of any accepted format \("some heading"\); expected lsmem/,
      ),
    ]);
  });

  it('says what it accepts for an empty or unrecognised paste', () => {
    expect(detectParts('').problems.map(formatProblem)).toEqual([
      expect.stringMatching(
        /^nothing to import: the paste is empty; paste the output of lsmem .*numactl -H.*\/sys\/devices\/system\/memory/,
      ),
    ]);
    expect(detectParts('hello\nworld').problems.map(formatProblem)).toEqual([
      expect.stringMatching(
        /^nothing here is a format this importer reads; paste the output of lsmem .*\/proc\/iomem, \/proc\/zoneinfo/,
      ),
    ]);
  });
});
