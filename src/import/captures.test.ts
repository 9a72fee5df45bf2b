/**
 * Importing the real-kernel captures (fixtures/<case>.<snapshot>.txt: the zone, block and iomem
 * lines of one snapshot of shared/oracle/<case>/raw.txt, the "iomem " prefix stripped) and
 * running the engine on the result: the engine must give back what the kernel printed where the
 * engine models it.
 *
 * Zone spans and present pages come out exact: /proc/iomem carries the firmware holes (the 388 KiB
 * below 1 MiB, the reserved pages under 2 GiB), and the engine spans zones as the kernel does.
 * Managed pages and MemTotal of boot memory do not: the kernel also reserves its own image, page
 * tables, the swiotlb buffer and the first 1 MiB on x86, which no paste shows; the engine only
 * takes the boot memmap. So boot MemTotal is checked to be higher by at most 7% of RAM, and what
 * hot-added memory adds to MemTotal is checked exactly.
 */
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Result } from '../engine/result.ts';
import { simulate } from '../engine/simulate.ts';
import { importMachine } from './index.ts';
import { lastZones, zonesAt } from './testing.fixtures.ts';

const fixtures = join(import.meta.dirname, 'fixtures');

interface Capture {
  zones: {
    node: number;
    zone: string;
    spanned: number;
    present: number;
    managed: number;
    startPfn: number | null;
  }[];
  blocks: { id: number; state: string; node: number; zones: string }[];
  blockSize: number;
}

function readCapture(text: string): Capture {
  const lines = text.split('\n');
  return {
    zones: lines
      .filter((l) => l.startsWith('zone '))
      .map((l) => l.split(' '))
      .map((f) => ({
        node: Number(f[1]),
        zone: f[2]!,
        spanned: Number(f[4]),
        present: Number(f[5]),
        managed: Number(f[6]),
        startPfn: f[7] === '-' ? null : Number(f[7]),
      })),
    blocks: lines
      .filter((l) => l.startsWith('block '))
      .map((l) => l.split(' '))
      .map((f) => ({ id: Number(f[1]), state: f[3]!, node: Number(f[4]!.slice(4)), zones: f[5]! })),
    blockSize: Number(/^block_size_bytes (\d+)$/m.exec(text)?.[1]),
  };
}

function run(text: string, bootEnd?: number): { result: Result; notes: string[] } {
  const imported = importMachine([{ text }], bootEnd === undefined ? {} : { bootEnd });
  expect(imported.problems).toEqual([]);
  const outcome = simulate(imported.scenario);
  if (!outcome.ok) throw new Error(outcome.errors.map((e) => e.message).join('; '));
  expect(outcome.result.steps.every((step) => step.ok)).toBe(true);
  return { result: outcome.result, notes: imported.notes };
}

/**
 * The zone the engine should give a captured block: none when offline, its valid_zones when
 * online, and any one zone for a block that straddles two ("none": the kernel's block 0 holds
 * DMA and DMA32; the engine files it under one of them).
 */
function zoneOfBlock(block: Capture['blocks'][number]) {
  if (block.state !== 'online') return null;
  return block.zones === 'none' ? expect.any(String) : block.zones;
}

/** The engine's blocks one by one: [id, state, node, zone or null]. */
function engineBlocks(result: Result) {
  return result.final.blocks.flatMap((run) =>
    Array.from({ length: run.count }, (_, i) => [
      run.firstBlock + i,
      run.state,
      run.node,
      run.zone,
    ]),
  );
}

function expectBootFigures(text: string) {
  const capture = readCapture(text);
  const { result } = run(text);
  const boot = result.steps[0]!;
  const bootZones = zonesAt(result, 0);
  expect(result.resolved.blockSize).toBe(capture.blockSize);
  expect(engineBlocks(result).map((b) => b[0])).toEqual(capture.blocks.map((b) => b.id));
  const populated = capture.zones.filter((z) => z.present > 0);
  expect(
    bootZones.map((z) => [z.node, z.zone, z.spannedPages, z.presentPages, z.startPfn]),
  ).toEqual(populated.map((z) => [z.node, z.zone, z.spanned, z.present, z.startPfn]));
  const pageSize = result.resolved.pageSize;
  const kernelMemTotal = populated.reduce((sum, z) => sum + z.managed, 0) * pageSize;
  const ram = populated.reduce((sum, z) => sum + z.present, 0) * pageSize;
  expect(boot.memTotal).toBeGreaterThan(kernelMemTotal);
  expect(boot.memTotal - kernelMemTotal).toBeLessThan(0.07 * ram);
}

describe('importing the boot snapshot of a capture gives its boot figures', () => {
  it.each(['mom-node0.boot.txt', 'kmem-mom-node1.boot.txt', 'ppc64-mom-force-dlpar.boot.txt'])(
    '%s',
    (name) => {
      expectBootFigures(readFileSync(join(fixtures, name), 'utf8'));
    },
  );

  it('infers ppc64 with 64 KiB pages from the ppc64 capture, x86_64 from the others', () => {
    const arch = (name: string) =>
      importMachine([{ text: readFileSync(join(fixtures, name), 'utf8') }]).scenario?.arch;
    expect(arch('ppc64-mom-force-dlpar.boot.txt')).toBe('ppc64-radix-64k');
    expect(arch('mom-node0.boot.txt')).toBe('x86_64');
  });
});

describe('importing a snapshot after hotplug gives the blocks and zones the kernel had', () => {
  const cases: [name: string, bootEnd?: number][] = [
    ['mom-node0.added.txt'],
    ['movable-node1-mom.onlined.txt'],
    ['kmem-mom-node1.onlined.txt'],
    ['vmem-legacy-node1.plugged2g.txt'],
    ['ppc64-mom-force-dlpar.added.txt'],
    // Online ZONE_NORMAL memory is boot RAM unless told otherwise: nothing in it says hotplug.
    ['mom-node0.onlined.txt', 4 * 1024 ** 3],
  ];
  it.each(cases)('%s', (name, bootEnd) => {
    const text = readFileSync(join(fixtures, name), 'utf8');
    const capture = readCapture(text);
    const { result } = run(text, bootEnd);
    expect(engineBlocks(result)).toEqual(
      capture.blocks.map((b) => [b.id, b.state, b.node, zoneOfBlock(b)]),
    );
    // Zones that hot-added memory created: spans, present and managed pages all exact.
    const last = result.steps[result.steps.length - 1]!;
    const bootZones = new Set(zonesAt(result, 0).map((z) => `${z.node}/${z.zone}`));
    const added = capture.zones.filter(
      (z) => z.present > 0 && !bootZones.has(`${z.node}/${z.zone}`),
    );
    expect(
      lastZones(result)
        .filter((z) => !bootZones.has(`${z.node}/${z.zone}`))
        .map((z) => [z.node, z.zone, z.spannedPages, z.presentPages, z.managedPages]),
    ).toEqual(added.map((z) => [z.node, z.zone, z.spanned, z.present, z.managed]));
    // MemTotal grows by exactly the managed pages of the new zones.
    const addedBytes = added.reduce((sum, z) => sum + z.managed, 0) * result.resolved.pageSize;
    expect(last.memTotal - result.steps[0]!.memTotal).toBe(addedBytes);
  });
});

const oracleDir = [
  process.env.ORACLE_DIR,
  resolve(import.meta.dirname, '../../../shared/oracle'),
].find((dir): dir is string => !!dir && existsSync(dir));

/** The boot snapshot of a raw.txt, as the fixtures were made. */
function bootSnapshot(raw: string): string {
  const out: string[] = [];
  let inBoot = false;
  let started = false;
  for (const line of raw.split('\n')) {
    if (line.startsWith('@@SNAP ')) [started, inBoot] = [true, line.startsWith('@@SNAP boot ')];
    else if (line.startsWith('@@END ')) inBoot = false;
    else if (!started && /^(block_size_bytes|auto_online_blocks|param) /.test(line)) out.push(line);
    else if (inBoot && /^(zone|block) /.test(line)) out.push(line);
    else if (inBoot && line.startsWith('iomem ')) out.push(line.slice('iomem '.length));
  }
  return out.join('\n');
}

describe.runIf(oracleDir)('every capture in shared/oracle', () => {
  const cases = oracleDir
    ? readdirSync(oracleDir).filter((name) => existsSync(join(oracleDir, name, 'raw.txt')))
    : [];
  it.each(cases)('%s: its boot snapshot gives its boot figures', (name) => {
    expectBootFigures(bootSnapshot(readFileSync(join(oracleDir!, name, 'raw.txt'), 'utf8')));
  });
});
