import { describe, expect, it } from 'vitest';
import type { ZoneName } from '../engine/arch.ts';
import { GiB, KiB, MiB } from '../engine/units.ts';
import { type ArchEvidence, inferArch } from './arch-infer.ts';
import { importMachine } from './index.ts';

const evidence = (over: Partial<ArchEvidence>): ArchEvidence => ({
  zones: new Set<ZoneName>(),
  dmaEnd: null,
  normalStart: null,
  bytesPerPage: null,
  iomemNames: [],
  blockSize: null,
  lowestRam: null,
  highestAddress: 0,
  ...over,
});
const zones = (...names: ZoneName[]) => new Set(names);

describe('architecture inference', () => {
  it('is x86_64 when nothing shows otherwise, and says so', () => {
    const choice = inferArch(evidence({}));
    expect(choice.arch).toBe('x86_64');
    expect(choice.notes[0]).toMatch(/nothing in the text shows another architecture/);
  });

  it('is x86_64 for DMA32 or x86 firmware names, 5-level past 64 TiB', () => {
    expect(inferArch(evidence({ zones: zones('DMA', 'DMA32', 'Normal') })).arch).toBe('x86_64');
    expect(inferArch(evidence({ iomemNames: ['System RAM', 'HPET 0'] })).arch).toBe('x86_64');
    expect(inferArch(evidence({ zones: zones('DMA32'), highestAddress: 2 ** 47 })).arch).toBe(
      'x86_64-5level',
    );
  });

  it('flags a page size x86_64 cannot have instead of trusting either', () => {
    const choice = inferArch(evidence({ zones: zones('DMA32'), bytesPerPage: 64 * KiB }));
    expect(choice.arch).toBe('x86_64');
    expect(choice.notes[0]).toMatch(/which x86_64 cannot have/);
  });

  it('tells s390x (DMA below 2 GiB) from arm64 (DMA below 4 GiB), with the page size when shown', () => {
    expect(
      inferArch(evidence({ zones: zones('DMA', 'Normal'), dmaEnd: 2 * GiB, normalStart: 2 * GiB }))
        .arch,
    ).toBe('s390x');
    expect(
      inferArch(evidence({ zones: zones('DMA', 'Normal'), dmaEnd: 4 * GiB, normalStart: 4 * GiB }))
        .arch,
    ).toBe('arm64-4k');
    expect(inferArch(evidence({ zones: zones('DMA'), bytesPerPage: 64 * KiB })).arch).toBe(
      'arm64-64k',
    );
    expect(inferArch(evidence({ bytesPerPage: 16.3 * KiB })).arch).toBe('arm64-16k');
  });

  it('is pseries for Normal-only zones with 256 MiB blocks or 64 KiB pages', () => {
    const lmb = inferArch(evidence({ zones: zones('Normal'), blockSize: 256 * MiB }));
    expect(lmb.arch).toBe('ppc64-radix-64k');
    expect(lmb.notes[0]).toMatch(/64 KiB assumed.*Radix assumed/);
    expect(
      inferArch(evidence({ zones: zones('Normal'), blockSize: 256 * MiB, bytesPerPage: 4 * KiB }))
        .arch,
    ).toBe('ppc64-radix-4k');
    // Normal-only with x86-sized blocks: not enough to leave the default.
    expect(inferArch(evidence({ zones: zones('Normal'), blockSize: 128 * MiB })).arch).toBe(
      'x86_64',
    );
  });

  it('is pseries for 256 MiB blocks and device-tree names in /proc/iomem', () => {
    const imported = importMachine([
      {
        text: [
          '00000000-7fffffff : System RAM',
          '200080000000-2000fffeffff : /pci@800000020000000',
          '/sys/devices/system/memory/block_size_bytes:10000000',
        ].join('\n'),
      },
    ]);
    expect(imported.scenario?.arch).toBe('ppc64-radix-64k');
    expect(imported.notes[0]).toMatch(
      /device-tree names in \/proc\/iomem \(\/pci@800000020000000\)/,
    );
    // One sign alone is not enough.
    expect(inferArch(evidence({ iomemNames: ['/pci@800000020000000'] })).arch).toBe('x86_64');
  });

  it('is riscv64 for DMA32 without DMA and RAM from 2 GiB', () => {
    expect(inferArch(evidence({ zones: zones('DMA32', 'Normal'), lowestRam: 2 * GiB })).arch).toBe(
      'riscv64',
    );
  });

  it('reads an s390 lsmem (standby memory offline, DMA/Normal at 2 GiB) as s390x', () => {
    const lines = [
      'RANGE                                 SIZE   STATE REMOVABLE BLOCK NODE      ZONES',
    ];
    for (let block = 0; block < 12; block++) {
      const start = block * 256 * MiB;
      const range = `0x${start.toString(16).padStart(16, '0')}-0x${(start + 256 * MiB - 1).toString(16).padStart(16, '0')}`;
      const zone = block < 7 ? 'DMA' : block === 7 ? 'DMA/Normal' : 'Normal';
      const state = block < 10 ? ' online       yes' : 'offline          ';
      lines.push(`${range} 256M ${state} ${String(block).padStart(5)}    0 ${zone.padStart(10)}`);
    }
    lines.push('', 'Memory block size:                256M');
    const imported = importMachine([{ text: lines.join('\n') }]);
    expect(imported.problems).toEqual([]);
    expect(imported.scenario?.arch).toBe('s390x');
    expect(imported.scenario?.events).toEqual([
      { op: 'add', start: '2560M', size: '512M', node: 0 },
    ]);
  });
});
