/**
 * lsmem output (util-linux sys-utils/lsmem.c): the default table (RANGE SIZE STATE REMOVABLE
 * BLOCK, runs of blocks merged while state and removable agree), any -o column list such as
 * `lsmem -a -o RANGE,SIZE,STATE,REMOVABLE,BLOCK,NODE,ZONES`, raw (-r) and pairs (-P) output, and
 * the summary ("Memory block size:", "Total online memory:", "Total offline memory:", and since
 * util-linux 2.42 "Memmap on memory parameter:").
 *
 * Cells are read by shape in header order rather than by position: lsmem leaves REMOVABLE empty
 * for offline blocks and any column empty that the system does not support, so a row can have
 * fewer words than the header. RANGE is authoritative (exact hex); SIZE is printed with one
 * decimal and only cross-checked. ZONES joins zones with "/"; spaces and commas are read too.
 */
import type { ZoneName } from '../engine/arch.ts';
import { formatBytes, formatShortSize, isPowerOfTwo } from '../engine/units.ts';
import {
  type BlockState,
  type HumanSize,
  type ImportProblem,
  type SourceLine,
  isZoneWord,
  parseBlockState,
  parseHumanSize,
  parseZoneList,
  quote,
} from './types.ts';

const COLUMNS = [
  'RANGE',
  'SIZE',
  'STATE',
  'REMOVABLE',
  'BLOCK',
  'NODE',
  'ZONES',
  'CONFIGURED',
  'MEMMAP-ON-MEMORY',
] as const;
export type LsmemColumn = (typeof COLUMNS)[number];

/** Assumed when rows come without a header (lsmem -n): the default columns, then NODE and ZONES. */
const HEADERLESS: LsmemColumn[] = ['RANGE', 'SIZE', 'STATE', 'REMOVABLE', 'BLOCK', 'NODE', 'ZONES'];

export interface LsmemRange {
  start: number;
  size: number;
  state: BlockState | null;
  removable: boolean | null;
  firstBlock: number | null;
  lastBlock: number | null;
  node: number | null;
  zones: ZoneName[];
  spansZones: boolean;
  line: number;
}

export interface LsmemParse {
  format: 'lsmem';
  columns: LsmemColumn[];
  ranges: LsmemRange[];
  blockSize: number | null;
  totalOnline: HumanSize | null;
  totalOffline: HumanSize | null;
  memmapOnMemory: 'on' | 'off' | 'force' | null;
  problems: ImportProblem[];
}

const yesNo = (word: string) => /^(yes|no)$/i.test(word);
const FITS: Record<LsmemColumn, (word: string) => boolean> = {
  RANGE: (word) => /^0x[0-9a-f]+-0x[0-9a-f]+$/i.test(word),
  SIZE: (word) => parseHumanSize(word) !== null,
  STATE: (word) => parseBlockState(word) !== null || word === '?',
  REMOVABLE: yesNo,
  BLOCK: (word) => /^\d+(-\d+)?$/.test(word),
  NODE: (word) => /^\d+$/.test(word),
  ZONES: isZoneWord,
  CONFIGURED: yesNo,
  'MEMMAP-ON-MEMORY': yesNo,
};

const SUMMARY =
  /^(Memory block size|Total online memory|Total offline memory|Memmap on memory parameter):\s*(\S+)$/;

export const isLsmemHeader = (text: string) => {
  const words = text.trim().split(/\s+/);
  return words[0]?.toUpperCase() === 'RANGE' && words.every((word) => asColumn(word) !== null);
};

function asColumn(word: string): LsmemColumn | null {
  return COLUMNS.find((column) => column === word.toUpperCase()) ?? null;
}

/** Splits a row into cells by shape, in column order; leftover words are returned apart. */
function readCells(words: string[], columns: LsmemColumn[]) {
  const cells = new Map<LsmemColumn, string>();
  let next = 0;
  for (const column of columns) {
    const word = words[next];
    if (word === undefined) break;
    if (!FITS[column](word)) continue;
    if (column === 'ZONES') {
      const zoneWords: string[] = [];
      while (words[next] !== undefined && isZoneWord(words[next]!)) zoneWords.push(words[next++]!);
      cells.set(column, zoneWords.join(' '));
    } else {
      cells.set(column, word);
      next++;
    }
  }
  return { cells, leftover: words.slice(next) };
}

/** lsmem -P: RANGE="0x..." SIZE="128M" STATE="online" ... */
function readPairs(text: string): Map<LsmemColumn, string> {
  const cells = new Map<LsmemColumn, string>();
  for (const match of text.matchAll(/([A-Z-]+)="([^"]*)"/g)) {
    const column = asColumn(match[1]!);
    if (column && match[2]) cells.set(column, match[2]);
  }
  return cells;
}

function toRange(cells: Map<LsmemColumn, string>, line: SourceLine, problems: ImportProblem[]) {
  const bounds = /^0x([0-9a-f]+)-0x([0-9a-f]+)$/i.exec(cells.get('RANGE') ?? '');
  if (!bounds) return null;
  const start = Number.parseInt(bounds[1]!, 16);
  const end = Number.parseInt(bounds[2]!, 16);
  if (!Number.isSafeInteger(end) || end < start) {
    problems.push({ line: line.no, message: `RANGE ${cells.get('RANGE')} is not a range` });
    return null;
  }
  const blocks = /^(\d+)(?:-(\d+))?$/.exec(cells.get('BLOCK') ?? '');
  const zones = parseZoneList(cells.get('ZONES') ?? '');
  if (zones.unknown.length)
    problems.push({ line: line.no, message: `unknown zone ${zones.unknown.join(', ')}` });
  const removable = cells.get('REMOVABLE');
  const node = cells.get('NODE');
  const range: LsmemRange = {
    start,
    size: end + 1 - start,
    state: parseBlockState(cells.get('STATE') ?? ''),
    removable: removable === undefined ? null : removable.toLowerCase() === 'yes',
    firstBlock: blocks ? Number(blocks[1]) : null,
    lastBlock: blocks ? Number(blocks[2] ?? blocks[1]) : null,
    node: node === undefined ? null : Number(node),
    zones: zones.zones,
    spansZones: zones.spansZones,
    line: line.no,
  };
  const sizeText = cells.get('SIZE');
  const printed = sizeText === undefined ? null : parseHumanSize(sizeText);
  if (printed && !sizeAgrees(printed, range.size))
    problems.push({
      line: line.no,
      message: `SIZE ${sizeText} does not match RANGE ${cells.get('RANGE')} (${formatBytes(range.size)}); RANGE is used`,
    });
  return range;
}

/** A rounded size (one decimal) agrees within half a unit of its last digit. */
function sizeAgrees(printed: HumanSize, bytes: number): boolean {
  if (printed.exact) return printed.bytes === bytes;
  return Math.abs(printed.bytes - bytes) <= printed.bytes * 0.05;
}

function readSummary(parse: LsmemParse, key: string, value: string, line: SourceLine) {
  if (key === 'Memmap on memory parameter') {
    const mode = { yes: 'on', no: 'off', force: 'force' }[value.toLowerCase()] as
      'on' | 'off' | 'force' | undefined;
    if (mode) parse.memmapOnMemory = mode;
    else
      parse.problems.push({
        line: line.no,
        message: `expected yes, no or force, got ${quote(value)}`,
      });
    return;
  }
  const size = parseHumanSize(value);
  if (!size) {
    parse.problems.push({
      line: line.no,
      message: `expected a size after "${key}:", got ${quote(value)}`,
    });
    return;
  }
  if (key === 'Memory block size') parse.blockSize = size.bytes;
  else if (key === 'Total online memory') parse.totalOnline = size;
  else parse.totalOffline = size;
}

export function parseLsmem(lines: SourceLine[]): LsmemParse {
  const parse: LsmemParse = {
    format: 'lsmem',
    columns: [],
    ranges: [],
    blockSize: null,
    totalOnline: null,
    totalOffline: null,
    memmapOnMemory: null,
    problems: [],
  };
  let columns: LsmemColumn[] = HEADERLESS;
  for (const line of lines) {
    const text = line.text.trim();
    if (!text) continue;
    if (isLsmemHeader(text)) {
      columns = text.split(/\s+/).map((word) => asColumn(word)!);
      parse.columns = columns;
      continue;
    }
    const summary = SUMMARY.exec(text);
    if (summary) {
      readSummary(parse, summary[1]!, summary[2]!, line);
      continue;
    }
    if (/^lsmem:/.test(text)) {
      parse.problems.push({ line: line.no, message: `lsmem reported an error: ${text}` });
      continue;
    }
    const pairs = /^RANGE="/.test(text);
    const { cells, leftover } = pairs
      ? { cells: readPairs(text), leftover: [] }
      : readCells(text.split(/\s+/), columns);
    const range = toRange(cells, line, parse.problems);
    if (!range) {
      parse.problems.push({
        line: line.no,
        message: `expected an lsmem row "0x<start>-0x<end> <size> <state> ...", got ${quote(text)}`,
      });
      continue;
    }
    if (leftover.length)
      parse.problems.push({
        line: line.no,
        message: `unexpected ${quote(leftover.join(' '))} after the columns ${columns.join(' ')}`,
      });
    parse.ranges.push(range);
  }
  checkBlocks(parse);
  return parse;
}

/** Block size from the rows when the summary is missing, and rows that disagree with it. */
function checkBlocks(parse: LsmemParse) {
  const sized = parse.ranges.filter((range) => range.firstBlock !== null);
  if (parse.blockSize === null && sized.length) {
    const first = sized[0]!;
    const derived = first.size / (first.lastBlock! - first.firstBlock! + 1);
    if (isPowerOfTwo(derived)) parse.blockSize = derived;
    else
      parse.problems.push({
        line: first.line,
        message: `${formatShortSize(first.size)} over ${first.lastBlock! - first.firstBlock! + 1} blocks is not a block size`,
      });
  }
  const blockSize = parse.blockSize;
  if (blockSize === null) return;
  for (const range of parse.ranges) {
    const where = { line: range.line };
    if (range.firstBlock !== null) {
      const count = range.lastBlock! - range.firstBlock + 1;
      if (range.start !== range.firstBlock * blockSize || range.size !== count * blockSize)
        parse.problems.push({
          ...where,
          message: `the range does not cover blocks ${range.firstBlock}-${range.lastBlock} of ${formatShortSize(blockSize)}`,
        });
    } else if (range.start % blockSize !== 0 || range.size % blockSize !== 0) {
      parse.problems.push({
        ...where,
        message: `the range is not whole ${formatShortSize(blockSize)} memory blocks`,
      });
    }
  }
  const online = parse.ranges
    .filter((range) => range.state === 'online')
    .reduce((sum, range) => sum + range.size, 0);
  if (parse.totalOnline && parse.ranges.length && !sizeAgrees(parse.totalOnline, online))
    parse.problems.push({
      message: `"Total online memory" says ${formatShortSize(parse.totalOnline.bytes)}, the rows add up to ${formatShortSize(online)}`,
    });
}
