/**
 * Which format a paste is, and where one paste ends and the next begins when several were
 * concatenated. Each line is classified by the lines only one format prints (an lsmem row or
 * header, an iomem "<start>-<end> : <name>", "Node 0, zone DMA", "available: 2 nodes", a sysfs
 * path); indented and unclassified lines belong to the part before them, so a damaged line is
 * reported by that part's parser with its number. A shell prompt line ("$ lsmem") ends a part.
 */
import { isIomemLine } from './iomem.ts';
import { isLsmemHeader } from './lsmem.ts';
import { isNumactlLine } from './numactl.ts';
import { isSysfsDigestSetting, isSysfsLine } from './sysfs.ts';
import {
  ACCEPTED_FORMATS,
  type ImportFormat,
  type ImportProblem,
  type SourceLine,
  quote,
  toLines,
} from './types.ts';
import { isZoneinfoHeader } from './zoneinfo.ts';

export interface DetectedPart {
  format: ImportFormat;
  lines: SourceLine[];
}

export interface Detection {
  parts: DetectedPart[];
  problems: ImportProblem[];
}

const LSMEM_LINE =
  /^(0x[0-9a-f]+-0x[0-9a-f]+\s|RANGE="|lsmem:|(Memory block size|Total online memory|Total offline memory|Memmap on memory parameter):)/i;
const PROMPT = /^(\[[^\]]*\]|[\w.@:~/-]*)[$#] +\S/;

/** The format a line can only belong to, or null for continuation and unknown lines. */
function formatOfLine(text: string): ImportFormat | null {
  if (LSMEM_LINE.test(text) || isLsmemHeader(text)) return 'lsmem';
  if (isZoneinfoHeader(text)) return 'zoneinfo';
  if (isNumactlLine(text)) return 'numactl';
  if (isSysfsLine(text) || isSysfsDigestSetting(text)) return 'sysfs';
  if (isIomemLine(text)) return 'iomem';
  return null;
}

/** A line that starts a new part even within the same format (a second lsmem or numactl -H). */
function startsAgain(format: ImportFormat, text: string, part: DetectedPart): boolean {
  const seen = part.lines.some((line) => line.text.trim() !== '');
  if (!seen) return false;
  if (format === 'lsmem') return isLsmemHeader(text);
  if (format === 'numactl') return /^available:/.test(text);
  return false;
}

export function detectParts(text: string, firstLine = 1): Detection {
  const lines = toLines(text, firstLine);
  const parts: DetectedPart[] = [];
  const problems: ImportProblem[] = [];
  let current: DetectedPart | null = null;
  let stray: SourceLine[] = [];
  const flushStray = () => {
    if (!stray.length) return;
    const first = stray[0]!;
    const last = stray[stray.length - 1]!;
    problems.push({
      line: first.no,
      message: `${stray.length > 1 ? `lines ${first.no}-${last.no} are` : 'the line is'} not part of any accepted format (${quote(first.text)}); expected ${ACCEPTED_FORMATS}`,
    });
    stray = [];
  };
  for (const line of lines) {
    const trimmed = line.text.trim();
    if (!trimmed) {
      current?.lines.push(line);
      continue;
    }
    if (PROMPT.test(trimmed)) {
      current = null;
      continue;
    }
    const format = formatOfLine(line.text);
    if (
      format &&
      (!current || current.format !== format || startsAgain(format, trimmed, current))
    ) {
      flushStray();
      current = { format, lines: [] };
      parts.push(current);
    }
    if (current) current.lines.push(line);
    else stray.push(line);
  }
  const anyText = lines.some((line) => line.text.trim() !== '');
  if (!parts.length) {
    stray = [];
    problems.push({
      message: anyText
        ? `nothing here is a format this importer reads; paste the output of ${ACCEPTED_FORMATS}`
        : `nothing to import: the paste is empty; paste the output of ${ACCEPTED_FORMATS}`,
    });
  }
  flushStray();
  return { parts, problems };
}

/** The format of a single paste, or null when it is none of them. */
export function detectFormat(text: string): ImportFormat | null {
  return detectParts(text).parts[0]?.format ?? null;
}
