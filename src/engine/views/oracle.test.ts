/**
 * The kernel views against the real-kernel captures (test/oracle/<case>/raw.txt, copied from shared/oracle): formats
 * exactly; values where the engine models them (block states and valid_zones, MemTotal deltas,
 * huge page pools, zone spanned/present/managed deltas, hot-added iomem resources). Boot
 * figures differ by firmware reserves, so those are compared as deltas or containment.
 *
 * A few real lines are quoted here as well, so the formats stay checked if a capture is replaced.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { simulate } from '../simulate.ts';
import type { KernelViews } from './index.ts';
import { meminfoFields, meminfoLine } from './meminfo.ts';

const root = resolve(import.meta.dirname, '../../..');
// test/oracle holds a copy of every capture, so a clean clone runs these checks too.
const oracleDir = [
  process.env.ORACLE_DIR,
  join(root, 'test/oracle'),
  join(root, '../shared/oracle'),
].find((dir): dir is string => Boolean(dir && existsSync(join(dir, 'legacy-node0/raw.txt'))));

/** Which snapshot of each capture is the machine after how many events. */
const SNAPSHOTS: Record<string, Record<string, number>> = {
  'legacy-node0': { boot: 0, added: 1, onlined: 2, 'huge:g1g': 3, 'huge:g2m': 5 },
  'mom-node0': { boot: 0, added: 1, onlined: 2, 'huge:g1g': 3, 'huge:g2m': 5 },
  'k61-mom-node0': { boot: 0, added: 1, onlined: 2, 'huge:g1g': 3, 'huge:g2m': 5 },
  'movable-node1-legacy': {
    boot: 0,
    added: 1,
    onlined: 2,
    'huge:n1_1g': 3,
    'huge:n1_2m': 5,
    offlined: 7,
    onlined_kernel: 8,
    'huge:n1k_1g': 9,
    'huge:n1k_2m': 11,
  },
  'movable-node1-mom': {
    boot: 0,
    added: 1,
    onlined: 2,
    'huge:n1_1g': 3,
    'huge:n1_2m': 5,
    offlined: 7,
    onlined_kernel: 8,
    'huge:n1k_1g': 9,
    'huge:n1k_2m': 11,
  },
  'vmem-legacy-node1': { boot: 0, plugged1g: 1, plugged2g: 2 },
  'kmem-mom-node1': { boot: 0, 'kmem-added': 1, onlined: 2, 'huge:g1g': 3, 'huge:g2m': 5 },
  'pmem-fsdax-dev-node1': { boot: 0, pmem: 1 },
  'pmem-fsdax-mem-node1': { boot: 0, pmem: 1 },
  'ppc64-mom-force-dlpar': { boot: 0, added: 1, 'huge:n1g': 2, 'huge:n2m': 4 },
};
/** The recorded cases the engine reproduces figure by figure (test/oracle holds them). */
const VALUE_CASES = [
  'legacy-node0',
  'mom-node0',
  'k61-mom-node0',
  'movable-node1-legacy',
  'movable-node1-mom',
  'vmem-legacy-node1',
];

interface Snapshot {
  name: string;
  at: number;
  lines: string[];
  views: KernelViews;
  /** Huge pages the kernel obtained just before this snapshot. */
  obtained?: number;
  allocated?: number;
}

function snapshots(id: string, dir: string): Snapshot[] {
  const scenario = JSON.parse(readFileSync(join(dir, id, 'case.json'), 'utf8')).scenario;
  const list: Snapshot[] = [];
  let obtained: number | undefined;
  let current: Omit<Snapshot, 'views' | 'allocated'> | null = null;
  for (const line of readFileSync(join(dir, id, 'raw.txt'), 'utf8').split('\n')) {
    const huge = /^@@HUGE .* obtained=(\d+)/.exec(line);
    if (huge) obtained = Number(huge[1]);
    const snap = /^@@SNAP (\S+)/.exec(line);
    if (snap && SNAPSHOTS[id]![snap[1]!] !== undefined) {
      current = { name: snap[1]!, at: SNAPSHOTS[id]![snap[1]!]!, lines: [], obtained };
      obtained = undefined;
    } else if (line.startsWith('@@END') && current) {
      const outcome = simulate(scenario, { finalAt: current.at, views: true });
      if (!outcome.ok) throw new Error(`${id}: ${outcome.errors[0]?.message}`);
      const allocated = current.at > 0 ? outcome.result.steps[current.at]!.allocated : undefined;
      list.push({ ...current, views: outcome.result.views!, allocated });
      current = null;
    } else if (current) current.lines.push(line);
  }
  return list;
}

const tagged = (snapshot: Snapshot, tag: string) =>
  snapshot.lines.filter((line) => line.startsWith(`${tag} `)).map((l) => l.slice(tag.length + 1));
const meminfoValue = (lines: string[], label: string) =>
  Number(new RegExp(`^${label}:\\s+(\\d+)`, 'm').exec(lines.join('\n'))?.[1]);

/**
 * Every block as the digest has it ("<id> <phys_index> <state> node<N> <valid_zones with commas>"),
 * read back from `lsmem -o …,NODE,ZONES`, whose rows split wherever state, node or zones change.
 */
function blocksFromLsmem(views: KernelViews): string[] {
  const variant = views.lsmem.variants![0]!.text;
  const rows = variant.split('\n\n')[0]!.split('\n').slice(1);
  return rows.flatMap((row) => {
    const [, , , state, blocks, node, zones] =
      /^(\S+) +(\S+) +(online|offline) +(?:yes +)?(\d+(?:-\d+)?) +(\d+) +(\S+)$/.exec(row)!;
    const [first, last = first] = blocks!.split('-').map(Number);
    const validZones = zones!.replace(/\//g, ',').replace('None', 'none');
    return Array.from({ length: last! - first! + 1 }, (_, i) => {
      const block = first! + i;
      return `${block} ${block.toString(16).padStart(8, '0')} ${state} node${node} ${validZones}`;
    });
  });
}

/** Our zoneinfo as the capture's digest: "<node> <zone> free spanned present managed start_pfn". */
function zoneDigest(views: KernelViews): Map<string, number[] | string> {
  const zones = new Map<string, number[] | string>();
  for (const part of views.zoneinfo.text.split(/(?=^Node )/m)) {
    const head = /^Node (\d+), zone +(\w+)/.exec(part)!;
    const value = (name: string) => Number(new RegExp(`^ +${name} +(\\d+)$`, 'm').exec(part)![1]);
    const start = /start_pfn: +(\d+)/.exec(part)?.[1] ?? '-';
    zones.set(`${head[1]} ${head[2]}`, [value('spanned'), value('present'), value('managed')]);
    zones.set(`${head[1]} ${head[2]} start`, start);
  }
  return zones;
}

describe('formats of quoted real lines', () => {
  it('meminfo: show_val_kb and hugetlb_report_meminfo lines', () => {
    const fields = new Map(meminfoFields('x86_64').map((f) => [f.label, f.layout]));
    for (const line of [
      'MemTotal:        1934236 kB',
      'MemTotal:       10340032 kB',
      'MemAvailable:     645684 kB',
      'HugePages_Total:    2560',
      'HugePages_Free:        0',
      'Hugetlb:         3145728 kB',
    ]) {
      const [, label, value] = /^([^:]+):\s+(\d+)/.exec(line)!;
      expect(meminfoLine(label!, fields.get(label!)!, Number(value))).toBe(line);
    }
  });
});

describe.skipIf(!oracleDir)('kernel views against the real-kernel captures', () => {
  const dir = oracleDir!;
  const all = new Map(Object.keys(SNAPSHOTS).map((id) => [id, snapshots(id, dir)]));

  it('meminfo: every captured line in our layout and order, in every capture', () => {
    const order = meminfoFields('x86_64').map((f) => f.label);
    const layouts = new Map(meminfoFields('x86_64').map((f) => [f.label, f.layout]));
    for (const [, list] of all) {
      for (const snapshot of list) {
        const captured = tagged(snapshot, 'meminfo');
        expect(captured.length).toBeGreaterThan(0);
        const labels = captured.map((line) => line.split(':')[0]!);
        expect(labels.map((label) => order.indexOf(label))).toEqual(
          [...labels.map((label) => order.indexOf(label))].sort((a, b) => a - b),
        );
        for (const line of captured) {
          const [, label, value] = /^([^:]+):\s+(\d+)/.exec(line)!;
          expect(meminfoLine(label!, layouts.get(label!)!, Number(value))).toBe(line);
        }
      }
    }
  });

  it('meminfo: MemTotal moves as the kernel’s did; pools match wherever the engine got the same pages', () => {
    for (const id of VALUE_CASES) {
      const list = all.get(id)!;
      const ours = (s: Snapshot, label: string) =>
        meminfoValue(s.views.meminfo.text.split('\n'), label);
      const theirs = (s: Snapshot, label: string) => meminfoValue(tagged(s, 'meminfo'), label);
      for (let i = 1; i < list.length; i++) {
        const [a, b] = [list[i - 1]!, list[i]!];
        expect(ours(b, 'MemTotal') - ours(a, 'MemTotal'), `${id} ${b.name}`).toBe(
          theirs(b, 'MemTotal') - theirs(a, 'MemTotal'),
        );
        if (b.obtained === undefined || b.obtained !== b.allocated) continue;
        for (const label of ['HugePages_Total', 'HugePages_Free', 'Hugetlb'])
          expect(ours(b, label), `${id} ${b.name} ${label}`).toBe(theirs(b, label));
      }
    }
  });

  it('sysfs and lsmem: every block’s phys_index, state, node and valid_zones after hot-add and online', () => {
    const ids = ['legacy-node0', 'mom-node0', 'k61-mom-node0', 'movable-node1-legacy'];
    for (const id of [...ids, 'movable-node1-mom', 'vmem-legacy-node1']) {
      for (const snapshot of all.get(id)!) {
        const captured = tagged(snapshot, 'block');
        if (captured.length === 0) continue;
        const name = `${id} ${snapshot.name}`;
        expect(blocksFromLsmem(snapshot.views), name).toEqual(captured);
        // The collapsed sysfs text: the blocks it prints, and the ones a "#" line stands for.
        const byId = new Map(captured.map((line) => [Number(line.split(' ')[0]), line]));
        const text = snapshot.views.sysfs.text;
        let shown = 0;
        for (const m of text.matchAll(
          /^memory(\d+)\/phys_index:(\w+)\n.*\/state:(\w+)\n.*\n.*\/valid_zones:(.*)\n.*\n.*\/(node\d+)$/gm,
        )) {
          shown++;
          const line = `${m[1]} ${m[2]} ${m[3]} ${m[5]} ${m[4]!.replace(/ /g, ',')}`;
          expect(line, name).toBe(byId.get(Number(m[1])));
        }
        let hidden = 0;
        for (const m of text.matchAll(
          /^# memory(\d+) to memory(\d+): (\d+) more blocks, each reading as memory(\d+)/gm,
        )) {
          const rest = (block: number) => byId.get(block)!.split(' ').slice(2).join(' ');
          for (let block = Number(m[1]); block <= Number(m[2]); block++)
            expect(rest(block), `${name} memory${block}`).toBe(rest(Number(m[4])));
          hidden += Number(m[3]);
        }
        expect(shown + hidden, name).toBe(captured.length);
      }
    }
  });

  it('zoneinfo: the digest’s zones per snapshot, their spanned/present/managed deltas and new zones’ start_pfn', () => {
    for (const id of VALUE_CASES) {
      const list = all.get(id)!;
      const captured = list.map((snapshot) => {
        const zones = new Map<string, number[] | string>();
        for (const line of tagged(snapshot, 'zone')) {
          const [node, zone, , spanned, present, managed, start] = line.split(' ');
          zones.set(`${node} ${zone}`, [spanned, present, managed].map(Number));
          zones.set(`${node} ${zone} start`, start!);
        }
        return zones;
      });
      const ours = list.map((snapshot) => zoneDigest(snapshot.views));
      const boot = captured[0]!;
      for (let i = 0; i < list.length; i++) {
        const name = `${id} ${list[i]!.name}`;
        expect([...ours[i]!.keys()], name).toEqual([...captured[i]!.keys()]);
        for (const [key, value] of captured[i]!) {
          if (key.endsWith('start')) {
            if (boot.get(key) === '-') expect(ours[i]!.get(key), `${name} ${key}`).toBe(value);
            else expect(ours[i]!.get(key) === '-', `${name} ${key}`).toBe(value === '-');
          } else if (i > 0) {
            const delta = (m: Map<string, number[] | string>[], k: number) =>
              (m[k]!.get(key) as number[]).map(
                (v, j) => v - ((m[k - 1]!.get(key) as number[] | undefined)?.[j] ?? 0),
              );
            expect(delta(ours, i), `${name} ${key}`).toEqual(delta(captured, i));
          }
        }
      }
    }
  });

  it('iomem: hot-added System RAM lines exactly, boot RAM covering the firmware’s, pmem resources', () => {
    const range = (line: string) => {
      const [, start, end, name] = /^ *([0-9a-f]+)-([0-9a-f]+) : (.*)$/.exec(line)!;
      return { start: BigInt(`0x${start}`), end: BigInt(`0x${end}`), name: name! };
    };
    for (const [id, list] of all) {
      for (const snapshot of list) {
        const ours = snapshot.views.iomem.text.trimEnd().split('\n');
        const ram = tagged(snapshot, 'iomem').filter((line) => line.includes('System RAM'));
        const high = (line: string) => range(line).start >= 1n << 32n;
        for (const line of ram.filter((l) => !high(l))) {
          const { start, end } = range(line);
          expect(
            ours.some(
              (o) =>
                range(o).name === 'System RAM' && range(o).start <= start && range(o).end >= end,
            ),
            `${id} ${snapshot.name} ${line}`,
          ).toBe(true);
        }
        const ourHigh = ours.filter((l) => l.includes('System RAM') && high(l));
        if (id === 'kmem-mom-node1') {
          // The case adds kmem's range 128 MiB higher than the kernel did; compare name and size.
          const size = (l: string) => range(l).end - range(l).start;
          expect(
            ourHigh.map((l) => [range(l).name, size(l)]),
            id,
          ).toEqual(ram.filter(high).map((l) => [range(l).name, size(l)]));
        } else expect(ourHigh, `${id} ${snapshot.name}`).toEqual(ram.filter(high));
        for (const line of tagged(snapshot, 'iomemall').filter((l) =>
          /Persistent|namespace/.test(l),
        ))
          if (id.startsWith('pmem')) expect(ours, `${id} ${snapshot.name}`).toContain(line);
      }
    }
  });
});
