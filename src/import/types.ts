/**
 * Shapes shared by the machine importers: numbered source lines, problems that name a line, block
 * runs, and the small readers every format needs (zone lists, lsmem-style sizes).
 *
 * Every parser takes numbered lines and returns what it could read plus a list of problems; it
 * never throws, so one damaged line costs that line only.
 */
import { ZONES, type ZoneName } from '../engine/arch.ts';

export type ImportFormat = 'lsmem' | 'iomem' | 'zoneinfo' | 'numactl' | 'sysfs';

export const FORMAT_LABELS: Record<ImportFormat, string> = {
  lsmem: 'lsmem',
  iomem: '/proc/iomem',
  zoneinfo: '/proc/zoneinfo',
  numactl: 'numactl -H',
  sysfs: '/sys/devices/system/memory',
};

/** What an empty or unrecognised paste is told. */
export const ACCEPTED_FORMATS =
  'lsmem (the default output, or lsmem -a -o RANGE,SIZE,STATE,REMOVABLE,BLOCK,NODE,ZONES), ' +
  '/proc/iomem, /proc/zoneinfo, numactl -H, or a listing of /sys/devices/system/memory ' +
  '(grep . /sys/devices/system/memory/memory*/{state,valid_zones,phys_index} ' +
  '/sys/devices/system/memory/block_size_bytes)';

export interface SourceLine {
  /** 1-based line number in the paste (or file) the line came from. */
  no: number;
  text: string;
}

export interface ImportProblem {
  /** File name or paste label, when there are several. */
  source?: string;
  line?: number;
  message: string;
}

export const formatProblem = (problem: ImportProblem) =>
  [problem.source, problem.line === undefined ? undefined : `line ${problem.line}`, problem.message]
    .filter((part) => part !== undefined)
    .join(': ');

/** Splits a paste into numbered lines (LF or CRLF), keeping the numbering of the whole paste. */
export function toLines(text: string, firstLine = 1): SourceLine[] {
  const parts = text.split(/\r?\n/);
  if (parts.length > 0 && parts[parts.length - 1] === '') parts.pop();
  return parts.map((line, i) => ({ no: firstLine + i, text: line.replace(/\s+$/, '') }));
}

/** A quoted, shortened copy of a line for messages. */
export function quote(text: string): string {
  const trimmed = text.trim();
  return JSON.stringify(trimmed.length > 60 ? `${trimmed.slice(0, 60)}…` : trimmed);
}

export type BlockState = 'online' | 'offline' | 'going-offline';

export function parseBlockState(text: string): BlockState | null {
  const word = text.trim().toLowerCase();
  if (word === 'online' || word === 'offline') return word;
  if (word === 'going-offline' || word === 'on->off') return 'going-offline';
  return null;
}

/**
 * Consecutive memory blocks with the same facts. `zones` is what valid_zones lists: for an online
 * block the zone it is in, for an offline one the zones it could go to (the default first).
 * `spansZones` is valid_zones "none" (lsmem "None"): an online block straddling two zones.
 */
export interface BlockRun {
  firstBlock: number;
  count: number;
  state: BlockState | null;
  node: number | null;
  zones: ZoneName[];
  spansZones: boolean;
  line: number;
}

export interface ZoneList {
  zones: ZoneName[];
  spansZones: boolean;
  unknown: string[];
}

/** Reads "Normal Movable", "Normal/Movable", "Normal,Movable", "None", "none". */
export function parseZoneList(text: string): ZoneList {
  const result: ZoneList = { zones: [], spansZones: false, unknown: [] };
  for (const word of text.split(/[\s,/]+/).filter(Boolean)) {
    const zone = ZONES.find((name) => name.toLowerCase() === word.toLowerCase());
    if (zone) result.zones.push(zone);
    else if (word.toLowerCase() === 'none') result.spansZones = true;
    else result.unknown.push(word);
  }
  return result;
}

export const isZoneWord = (word: string) =>
  word
    .split(/[/,]/)
    .every((part) => /^(dma|dma32|normal|movable|device|none|highmem|unknown)$/i.test(part));

/** Adds one block to a list of runs, extending the last run when nothing differs. */
export function appendBlock(runs: BlockRun[], block: Omit<BlockRun, 'count'>): void {
  const last = runs[runs.length - 1];
  if (
    last &&
    last.firstBlock + last.count === block.firstBlock &&
    last.state === block.state &&
    last.node === block.node &&
    last.spansZones === block.spansZones &&
    last.zones.join() === block.zones.join()
  ) {
    last.count++;
    return;
  }
  runs.push({ ...block, count: 1 });
}

const SUFFIX_POWER: Record<string, number> = { B: 0, K: 1, M: 2, G: 3, T: 4, P: 5, E: 6 };

export interface HumanSize {
  bytes: number;
  /** False when the text was rounded (lsmem prints one decimal: 15.8G). */
  exact: boolean;
}

/**
 * Reads a size as util-linux prints it (lib/strutils.c size_to_human_string, one-letter suffix,
 * one decimal, the locale's decimal point) or as plain bytes (lsmem -b): "128M", "1.5G", "0B",
 * "15,8G", "134217728".
 */
export function parseHumanSize(text: string): HumanSize | null {
  const match = /^(\d+)(?:[.,](\d+))?([BKMGTPE])?$/i.exec(text.trim());
  if (!match) return null;
  const [, whole = '', fraction, suffix] = match;
  const unit = 1024 ** (suffix ? (SUFFIX_POWER[suffix.toUpperCase()] ?? 0) : 0);
  const value = Number(`${whole}.${fraction ?? '0'}`) * unit;
  if (!Number.isFinite(value) || value > Number.MAX_SAFE_INTEGER) return null;
  const bytes = Math.round(value);
  return { bytes, exact: fraction === undefined || Number.isInteger(value) };
}
