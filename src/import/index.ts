/**
 * "Import a machine": pasted outputs of a real Linux machine in, a scenario out. Each input (a
 * file or a paste) is split into parts by format (detect.ts), each part is parsed by its own
 * module, and all parts are combined into one scenario (combine.ts). Problems carry the input's
 * name and the line number; nothing throws.
 */
import { type CombineResult, type ImportOptions, type ParsedPart, combine } from './combine.ts';
import { detectParts } from './detect.ts';
import { parseIomem } from './iomem.ts';
import { parseLsmem } from './lsmem.ts';
import { parseNumactl } from './numactl.ts';
import { parseSysfs } from './sysfs.ts';
import type { ImportFormat, ImportProblem, SourceLine } from './types.ts';
import { parseZoneinfo } from './zoneinfo.ts';

export type { ImportOptions } from './combine.ts';
export { formatProblem, ACCEPTED_FORMATS } from './types.ts';
export type { ImportProblem, ImportFormat } from './types.ts';

export interface ImportInput {
  text: string;
  /** A file name or label, put in front of its problems. */
  source?: string;
}

export interface ImportedPart {
  source?: string;
  format: ImportFormat;
  firstLine: number;
  lastLine: number;
}

export interface ImportResult extends CombineResult {
  parts: ImportedPart[];
}

function parsePart(format: ImportFormat, lines: SourceLine[]): ParsedPart {
  switch (format) {
    case 'lsmem':
      return parseLsmem(lines);
    case 'iomem':
      return parseIomem(lines);
    case 'zoneinfo':
      return parseZoneinfo(lines);
    case 'numactl':
      return parseNumactl(lines);
    case 'sysfs':
      return parseSysfs(lines);
  }
}

export function importMachine(inputs: ImportInput[], options: ImportOptions = {}): ImportResult {
  const problems: ImportProblem[] = [];
  const parsed: ParsedPart[] = [];
  const parts: ImportedPart[] = [];
  for (const input of inputs) {
    const detection = detectParts(input.text);
    const withSource = (p: ImportProblem) => (input.source ? { source: input.source, ...p } : p);
    problems.push(...detection.problems.map(withSource));
    for (const part of detection.parts) {
      const result = parsePart(part.format, part.lines);
      problems.push(...result.problems.map(withSource));
      parsed.push(input.source ? { ...result, source: input.source } : result);
      parts.push({
        ...(input.source ? { source: input.source } : {}),
        format: part.format,
        firstLine: part.lines[0]!.no,
        lastLine: part.lines[part.lines.length - 1]!.no,
      });
    }
  }
  if (!parsed.length) return { scenario: null, notes: [], problems, parts };
  const combined = combine(parsed, options);
  return { ...combined, problems: [...problems, ...combined.problems], parts };
}
