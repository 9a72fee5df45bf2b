import { describe, expect, it } from 'vitest';
import { formatProblem, toLines } from './types.ts';
import { type ZoneinfoParse, parseZoneinfo } from './zoneinfo.ts';
import { fixture } from './testing.fixtures.ts';

/** The zoneinfo digest lines of a capture extract (which also has block and iomem lines). */
const digestOf = (name: string) =>
  fixture(name)
    .split('\n')
    .filter((line) => line.startsWith('zone '))
    .join('\n');
const parse = (text: string) => parseZoneinfo(toLines(text));
const populatedZones = (result: ZoneinfoParse) =>
  result.zones.filter((z) => (z.presentPages ?? 0) > 0);
const facts = (text: string) =>
  populatedZones(parse(text)).map((z) => [
    z.node,
    z.zone,
    z.freePages,
    z.spannedPages,
    z.presentPages,
    z.managedPages,
    z.startPfn,
  ]);

describe('/proc/zoneinfo', () => {
  it('reads the real layout: per-node stats, watermarks, counters, pagesets and start_pfn', () => {
    const result = parse(fixture('zoneinfo-2node.txt'));
    expect(result.problems).toEqual([]);
    expect(result.digest).toBe(false);
    expect(result.zones).toHaveLength(10);
    expect(facts(fixture('zoneinfo-2node.txt'))).toEqual([
      [0, 'DMA', 3776, 4095, 3998, 3840, 1],
      [0, 'DMA32', 471399, 520160, 520160, 479720, 4096],
      [1, 'Movable', 515800, 524288, 524288, 516096, 1048576],
    ]);
    // An unpopulated zone has its page counts but no start_pfn.
    expect(result.zones.find((z) => z.node === 0 && z.zone === 'Normal')).toMatchObject({
      spannedPages: 0,
      startPfn: null,
    });
  });

  it('reads the capture digest, with "-" for an unpopulated zone and extra fields ignored', () => {
    const boot = digestOf('mom-node0.boot.txt');
    expect(parse(boot).problems).toEqual([]);
    expect(facts(boot)).toEqual([
      [0, 'DMA', 3776, 4095, 3998, 3840, 1],
      [0, 'DMA32', 471399, 520160, 520160, 479720, 4096],
    ]);
    const ppc = parse(digestOf('ppc64-mom-force-dlpar.added.txt'));
    expect(ppc.digest).toBe(true);
    expect(ppc.problems).toEqual([]);
    expect(populatedZones(ppc).map((z) => [z.node, z.zone, z.presentPages, z.startPfn])).toEqual([
      [0, 'Normal', 32768, 0],
      [1, 'Normal', 131072, 32768],
    ]);
  });

  it('names damaged lines and zones that lost their counts', () => {
    const text = [
      'Node 0, zone      DMA',
      '  pages free     3776',
      '        spanned  4095',
      '        present  3998',
      '        managed  3840',
      '  start_pfn:           1',
      'Node 0, zone    DMA32',
      '  pages free     471399',
      '        spanned  lots',
      'garbage line',
      'Node 0, zone   Highmem',
      'zone 1 Normal 1 2 3',
    ].join('\n');
    const result = parse(text);
    expect(result.zones.map((z) => z.zone)).toEqual(['DMA', 'DMA32']);
    expect(result.problems.map(formatProblem)).toEqual([
      'line 9: expected an indented "<name> <number>" zoneinfo line, got "spanned  lots"',
      'line 10: expected "Node <n>, zone <name>" or "zone <node> <zone> <free> <spanned> <present> <managed> <start_pfn>", got "garbage line"',
      'line 11: unknown zone "Highmem" (expected DMA, DMA32, Normal, Movable, Device)',
      'line 12: expected "Node <n>, zone <name>" or "zone <node> <zone> <free> <spanned> <present> <managed> <start_pfn>", got "zone 1 Normal 1 2 3"',
      'line 7: node 0 zone DMA32 has no "spanned", "present", "managed" line',
    ]);
  });
});
