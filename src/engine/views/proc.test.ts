/** /proc/meminfo, /proc/zoneinfo, /proc/iomem and dmesg against the kernel's printers. */
import { describe, expect, it } from 'vitest';
import { simulate, type SimulateOptions } from '../simulate.ts';
import { q35 } from '../testing.ts';
import type { KernelViews } from './index.ts';

function run(input: unknown, options: SimulateOptions = {}) {
  const outcome = simulate(input, { ...options, views: true });
  if (!outcome.ok) throw new Error(outcome.errors.map((e) => e.message).join('; '));
  return outcome.result;
}
const viewsOf = (input: unknown, options: SimulateOptions = {}): KernelViews =>
  run(input, options).views!;

const vm = (events: unknown[], extra: Record<string, unknown> = {}) => ({
  version: 1,
  machine: {
    nodes: [
      { id: 0, ram: [{ start: 0, size: '2G' }] },
      { id: 1, ram: [] },
    ],
  },
  events,
  ...extra,
});

/** "label value" pairs of a meminfo text. */
const meminfoMap = (text: string) =>
  new Map(
    text
      .trimEnd()
      .split('\n')
      .map((line) => {
        const match = /^([^:]+):\s+(\d+)/.exec(line)!;
        return [match[1]!, Number(match[2])] as const;
      }),
  );

describe('/proc/meminfo', () => {
  const events = [
    { op: 'add', start: '4G', size: '4G' },
    { op: 'online' },
    { op: 'hugetlb', pageSize: '1G', count: 2 },
    { op: 'hugetlb', pageSize: '2M', count: 100 },
  ];

  it('prints every 6.12 field in order with show_val_kb alignment', () => {
    const { text, modelled } = viewsOf(vm(events)).meminfo;
    const lines = text.trimEnd().split('\n');
    expect(lines.slice(0, 3).map((line) => line.slice(0, 16))).toEqual([
      'MemTotal:       ',
      'MemFree:        ',
      'MemAvailable:   ',
    ]);
    for (const line of lines) {
      if (/^HugePages_/.test(line)) expect(line).toMatch(/^HugePages_\w+: +\d{1,5}$/);
      else if (line.startsWith('HardwareCorrupted'))
        expect(line).toBe('HardwareCorrupted:     0 kB');
      else expect(line).toMatch(/^[\w()]+: +\d+ kB$/);
      if (!/^(HugePages_|HardwareCorrupted)/.test(line)) expect(line.indexOf(' kB')).toBe(24);
    }
    expect(lines.at(-1)).toMatch(/^DirectMap1G: /);
    expect(lines.indexOf('Unaccepted:            0 kB')).toBe(
      lines.indexOf('CmaFree:               0 kB') + 1,
    );
    expect(modelled).toContain('Hugetlb');
    expect(modelled).not.toContain('MemAvailable');
  });

  it("carries the engine's figures: MemTotal/MemFree, default-size pool, every size in Hugetlb", () => {
    const result = run(vm(events));
    const values = meminfoMap(result.views!.meminfo.text);
    const last = result.steps.at(-1)!;
    expect(values.get('MemTotal')).toBe(last.memTotal / 1024);
    expect(values.get('MemFree')).toBe(last.memFree / 1024);
    expect(values.get('HugePages_Total')).toBe(100);
    expect(values.get('HugePages_Free')).toBe(100);
    expect(values.get('Hugepagesize')).toBe(2048);
    expect(values.get('Hugetlb')).toBe(2 * 1048576 + 100 * 2048);
    expect(values.get('Cached')).toBe(0);
  });

  it('has no x86-only lines on arm64 and uses its PMD size as the default huge page', () => {
    const values = meminfoMap(viewsOf({ version: 1, arch: 'arm64-64k', events: [] }).meminfo.text);
    expect(values.has('Unaccepted')).toBe(false);
    expect(values.has('DirectMap4k')).toBe(false);
    expect(values.get('Hugepagesize')).toBe(512 * 1024);
  });
});

/** Zone sections of a zoneinfo text, by "node/zone", each as its lines. */
function zoneSections(text: string): Map<string, string[]> {
  const sections = new Map<string, string[]>();
  for (const part of text.split(/(?=^Node )/m)) {
    const head = /^Node (\d+), zone +(\w+)$/m.exec(part)!;
    sections.set(`${head[1]}/${head[2]}`, part.trimEnd().split('\n'));
  }
  return sections;
}
const field = (lines: string[], name: string) =>
  Number(
    new RegExp(`^ +${name}:? +(\\d+)$`).exec(
      lines.find((l) => new RegExp(`^ +${name}:? `).test(l))!,
    )![1],
  );

describe('/proc/zoneinfo', () => {
  it('lists every zone of every online node in the kernel layout, empty ones cut short', () => {
    const text = viewsOf(vm([{ op: 'add', start: '4G', size: '4G', node: 1 }])).zoneinfo.text;
    const sections = zoneSections(text);
    expect([...sections.keys()]).toEqual([
      '0/DMA',
      '0/DMA32',
      '0/Normal',
      '0/Movable',
      '0/Device',
      '1/DMA',
      '1/DMA32',
      '1/Normal',
      '1/Movable',
      '1/Device',
    ]);
    const dma32 = sections.get('0/DMA32')!;
    expect(dma32[0]).toBe('Node 0, zone    DMA32');
    expect(dma32.slice(1, 12).map((l) => l.replace(/\d+/g, 'N'))).toEqual([
      '  pages free     N',
      '        boost    N',
      '        min      N',
      '        low      N',
      '        high     N',
      '        promo    N',
      '        spanned  N',
      '        present  N',
      '        managed  N',
      '        cma      N',
      '        protection: (N, N, N, N, N)',
    ]);
    expect(dma32.at(-1)).toBe('  start_pfn:           4096');
    expect(sections.get('1/Movable')!.at(-1)).toBe('        protection: (0, 0, 0, 0, 0)');
    expect(sections.get('1/Movable')![0]).toBe('Node 1, zone  Movable');
  });

  it('derives low/high/promo and protection with the kernel formulas, the movable step from its share', () => {
    // A small machine, so that a movable zone's share of min_free_kbytes outweighs 0.1 %.
    const text = viewsOf({
      version: 1,
      machine: { nodes: [{ id: 0, ram: [{ start: 0, size: '512M' }] }] },
      events: [
        { op: 'add', start: '1G', size: '1G' },
        { op: 'online', as: 'online_movable' },
      ],
    }).zoneinfo.text;
    const sections = zoneSections(text);
    const managed = (zone: string) => field(sections.get(`0/${zone}`)!, 'managed');
    const lowmem = managed('DMA') + managed('DMA32') + managed('Normal');
    const minFreeKiB = Math.min(262144, Math.max(128, Math.floor(Math.sqrt(lowmem * 4 * 16))));
    const pagesMin = Math.floor(minFreeKiB / 4);
    for (const zone of ['DMA', 'DMA32', 'Movable']) {
      const lines = sections.get(`0/${zone}`)!;
      const min = field(lines, 'min');
      const share = zone === 'Movable' ? Math.floor((pagesMin * managed(zone)) / lowmem) : min;
      const step = Math.max(Math.floor(share / 4), Math.floor((managed(zone) * 10) / 10000));
      expect([field(lines, 'low'), field(lines, 'high'), field(lines, 'promo')]).toEqual([
        min + step,
        min + 2 * step,
        min + 3 * step,
      ]);
    }
    expect(field(sections.get('0/Movable')!, 'min')).toBe(128);
    const movable = managed('Movable');
    expect(Math.floor(Math.floor((pagesMin * movable) / lowmem) / 4)).toBeGreaterThan(
      movable / 1000,
    );
    const dma = managed('DMA32');
    expect(sections.get('0/DMA')).toContain(
      `        protection: (0, ${Math.floor(dma / 256)}, ${Math.floor(dma / 256)}, ${Math.floor((dma + movable) / 256)}, ${Math.floor((dma + movable) / 256)})`,
    );
  });
});

describe('/proc/iomem', () => {
  it('shows each hot-add request as System RAM whether or not it hosts its memmap', () => {
    const texts = ['off', 'on'].map(
      (memmapOnMemory) =>
        viewsOf({
          version: 1,
          machine: q35(4),
          kernel: { memmapOnMemory },
          events: [
            { op: 'add', start: '6G', size: '4G' },
            { op: 'add', start: '10G', size: '1G' },
          ],
        }).iomem.text,
    );
    expect(texts[0]).toBe(
      '00000000-7fffffff : System RAM\n100000000-17fffffff : System RAM\n' +
        '180000000-27fffffff : System RAM\n280000000-2bfffffff : System RAM\n',
    );
    expect(texts[1]).toBe(texts[0]);
  });

  it('nests driver-managed RAM under its device and merges virtio-mem plugs', () => {
    const text = viewsOf(
      vm([
        { op: 'add', start: '4G', size: '1G', node: 1, via: 'virtio-mem' },
        { op: 'add', start: '5G', size: '1G', node: 1, via: 'virtio-mem' },
        { op: 'add', start: '8G', size: '2G', node: 1, via: 'kmem' },
        { op: 'pmem', start: '16G', size: '4G', node: 1, map: 'dev' },
      ]),
    ).iomem.text;
    expect(text).toBe(
      [
        '00000000-7fffffff : System RAM',
        '100000000-17fffffff : virtio0',
        '  100000000-17fffffff : System RAM (virtio_mem)',
        '200000000-27fffffff : dax0.0',
        '  200000000-27fffffff : System RAM (kmem)',
        '400000000-4ffffffff : Persistent Memory',
        '  400000000-4ffffffff : namespace0.0',
        '',
      ].join('\n'),
    );
  });

  it('drops what was removed', () => {
    const text = viewsOf(
      vm([
        { op: 'add', start: '4G', size: '1G' },
        { op: 'remove', start: '4G', size: '1G' },
      ]),
    ).iomem.text;
    expect(text).toBe('00000000-7fffffff : System RAM\n');
  });
});

describe('dmesg', () => {
  const events = [
    { op: 'add', start: '4G', size: '1G' },
    { op: 'online' },
    { op: 'add', start: '6G', size: '64M' },
    { op: 'remove', start: '4G', size: '1G' },
  ];

  it('prints each step’s log lines behind printk timestamps, one second per step', () => {
    const result = run(vm(events));
    expect(result.steps[3]!.log[0]).toMatch(/unaligned hotplug range/);
    expect(result.steps[4]!.log[0]).toMatch(/is onlined/);
    expect(result.views!.dmesg.text).toBe(
      [
        '[    0.000000] x86/mm: Memory block size: 128MB',
        `[    3.000000] ${result.steps[3]!.log[0]}`,
        `[    4.000000] ${result.steps[4]!.log[0]}`,
        '',
      ].join('\n'),
    );
  });

  it('stops at the step the views are taken at', () => {
    const text = viewsOf(vm(events), { finalAt: 3 }).dmesg.text;
    expect(
      text
        .trimEnd()
        .split('\n')
        .map((line) => line.slice(0, 15)),
    ).toEqual(['[    0.000000] ', '[    3.000000] ']);
  });

  it('adds a model warning no step logged after the step that raised it', () => {
    const result = run({
      version: 1,
      era: 'RFC1',
      events: [
        { op: 'add', size: '1G' },
        { op: 'pmem', start: '16G', size: '1G', node: 0, map: 'mem' },
      ],
    });
    const warning = result.final.warnings.find((w) => w.startsWith('RFC v1'))!;
    expect(result.views!.dmesg.text).toContain(`[    2.000000] ${warning}\n`);
  });
});
