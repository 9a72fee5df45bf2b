/**
 * `lsmem` as util-linux 2.38.1 prints it (sys-utils/lsmem.c; Debian 12's, the distribution of
 * the recorded kernels): blocks read from sysfs, neighbours merged while every attribute a shown
 * column splits on agrees (STATE, REMOVABLE, NODE, ZONES), a libsmartcols table with RANGE
 * left-aligned and the rest right-aligned, a blank line, then the three summary lines
 * ("%-23s %5s"; later util-linux widens the label to 32 and adds a memmap-on-memory line).
 */
import type { Machine } from '../model/machine.ts';
import { sysBlockRuns, type SysBlockRun } from './blocks.ts';
import { addrOfPfn, hexDigits, humanSize, renderTable, type Column } from './text.ts';

export const LSMEM_COLUMNS = [
  'RANGE',
  'SIZE',
  'STATE',
  'REMOVABLE',
  'BLOCK',
  'NODE',
  'ZONES',
] as const;
export type LsmemColumn = (typeof LSMEM_COLUMNS)[number];
export const LSMEM_DEFAULT: readonly LsmemColumn[] = [
  'RANGE',
  'SIZE',
  'STATE',
  'REMOVABLE',
  'BLOCK',
];
/** `lsmem -o RANGE,SIZE,STATE,REMOVABLE,BLOCK,NODE,ZONES`. */
export const LSMEM_NODE_ZONES: readonly LsmemColumn[] = [...LSMEM_DEFAULT, 'NODE', 'ZONES'];

const COLUMN: Record<LsmemColumn, Column> = {
  RANGE: { header: 'RANGE', right: false },
  SIZE: { header: 'SIZE', right: true, widthHint: 5 },
  STATE: { header: 'STATE', right: true },
  REMOVABLE: { header: 'REMOVABLE', right: true },
  BLOCK: { header: 'BLOCK', right: true },
  NODE: { header: 'NODE', right: true },
  ZONES: { header: 'ZONES', right: true },
};

/** lsmem's zone_names[], matched case-insensitively to the sysfs words ("none" -> "None"). */
const LSMEM_ZONE_NAMES = ['DMA', 'DMA32', 'Normal', 'Highmem', 'Movable', 'Device', 'None'];
const lsmemZone = (word: string) =>
  LSMEM_ZONE_NAMES.find((name) => name.toLowerCase() === word.toLowerCase()) ?? 'Unknown';

interface Merged {
  first: number;
  count: number;
  run: SysBlockRun;
}

/** is_mergeable(): contiguous, and equal in what the chosen columns split on. */
function merge(runs: readonly SysBlockRun[], columns: readonly LsmemColumn[]): Merged[] {
  const has = (column: LsmemColumn) => columns.includes(column);
  const merged: Merged[] = [];
  for (const run of runs) {
    const last = merged[merged.length - 1];
    const mergeable =
      last &&
      last.first + last.count === run.firstBlock &&
      (!has('STATE') || last.run.state === run.state) &&
      (!has('REMOVABLE') || last.run.removable === run.removable) &&
      (!has('NODE') || last.run.node === run.node) &&
      (!has('ZONES') || last.run.validZones === run.validZones);
    if (mergeable) last.count += run.count;
    else merged.push({ first: run.firstBlock, count: run.count, run });
  }
  return merged;
}

function cell(column: LsmemColumn, entry: Merged, blockPages: number, pageSize: number): string {
  const { first, count, run } = entry;
  switch (column) {
    case 'RANGE': {
      const start = addrOfPfn(first * blockPages, pageSize);
      const end = addrOfPfn((first + count) * blockPages, pageSize) - 1n;
      return `0x${hexDigits(start, 16)}-0x${hexDigits(end, 16)}`;
    }
    case 'SIZE':
      return humanSize(count * blockPages * pageSize);
    case 'STATE':
      return run.state;
    case 'REMOVABLE':
      return run.state === 'online' ? (run.removable ? 'yes' : 'no') : '';
    case 'BLOCK':
      return count === 1 ? String(first) : `${first}-${first + count - 1}`;
    case 'NODE':
      return String(run.node);
    case 'ZONES':
      return run.validZones.split(' ').map(lsmemZone).join('/');
  }
}

export function lsmemText(
  machine: Machine,
  columns: readonly LsmemColumn[] = LSMEM_DEFAULT,
  runs: readonly SysBlockRun[] = sysBlockRuns(machine),
): string {
  const { blockPages, pageSize } = machine;
  const blockBytes = blockPages * pageSize;
  const rows = merge(runs, columns).map((entry) =>
    columns.map((column) => cell(column, entry, blockPages, pageSize)),
  );
  let online = 0;
  let offline = 0;
  for (const run of runs) {
    if (run.state === 'online') online += run.count * blockBytes;
    else offline += run.count * blockBytes;
  }
  const summary = (label: string, bytes: number) =>
    `${label.padEnd(23)} ${humanSize(bytes).padStart(5)}`;
  return [
    ...renderTable(
      columns.map((column) => COLUMN[column]),
      rows,
    ),
    '',
    summary('Memory block size:', blockBytes),
    summary('Total online memory:', online),
    summary('Total offline memory:', offline),
    '',
  ].join('\n');
}
