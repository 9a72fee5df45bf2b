/**
 * npm run sim -- --import [--boot-end ADDR] <file | -> [<file>...]
 *
 * Makes the scenario of a real machine from what it printed (lsmem, /proc/iomem, /proc/zoneinfo,
 * numactl -H, a /sys/devices/system/memory listing; src/import). Several files, or several
 * outputs in one file, combine. The scenario JSON goes to stdout, formatted; what was read, what
 * was inferred and what could not be read go to stderr. Exit 0 when a scenario came out (even
 * with problems), 2 when nothing could be imported or the arguments are wrong.
 */
import { readFileSync } from 'node:fs';
import { parseSize } from '../engine/units.ts';
import { FORMAT_LABELS } from '../import/types.ts';
import {
  type ImportInput,
  type ImportOptions,
  formatProblem,
  importMachine,
} from '../import/index.ts';

export const IMPORT_USAGE =
  'usage: npm run sim -- --import [--boot-end ADDR] <file | -> [<file>...]   the scenario of a machine from its lsmem, /proc/iomem, /proc/zoneinfo, numactl -H or /sys/devices/system/memory output';

export interface ImportIo {
  /** Reads a file, or stdin for "-". */
  read(file: string): string;
  out(text: string): void;
  err(text: string): void;
}

const nodeIo: ImportIo = {
  read: (file) => readFileSync(file === '-' ? 0 : file, 'utf8'),
  out: (text) => process.stdout.write(text),
  err: (text) => process.stderr.write(text),
};

function parseArgs(argv: string[]): { files: string[]; options: ImportOptions } | string {
  const files: string[] = [];
  const options: ImportOptions = {};
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--import') continue;
    if (arg === '--boot-end') {
      const value = argv[++i];
      const bytes = parseSize(value);
      if (bytes === null)
        return `--boot-end needs an address such as 4G or 0x100000000, not "${value ?? ''}"`;
      options.bootEnd = bytes;
    } else if (arg.startsWith('--')) return `unknown option ${arg}`;
    else files.push(arg);
  }
  return files.length ? { files, options } : 'at least one file (or -) expected';
}

export function importMain(argv: string[], io: ImportIo = nodeIo): number {
  const args = parseArgs(argv);
  if (typeof args === 'string') {
    io.err(`${args}\n${IMPORT_USAGE}\n`);
    return 2;
  }
  const inputs: ImportInput[] = [];
  for (const file of args.files) {
    try {
      inputs.push({ text: io.read(file), source: file === '-' ? 'stdin' : file });
    } catch (error) {
      io.err(`${file}: cannot read (${(error as NodeJS.ErrnoException).code ?? String(error)})\n`);
      return 2;
    }
  }
  const result = importMachine(inputs, args.options);
  const lines = [
    ...result.parts.map(
      (part) =>
        `read: ${part.source}: lines ${part.firstLine}-${part.lastLine} as ${FORMAT_LABELS[part.format]}`,
    ),
    ...result.notes.map((note) => `note: ${note}`),
    ...result.problems.map((problem) => `problem: ${formatProblem(problem)}`),
  ];
  if (!result.scenario) lines.push('nothing could be imported');
  io.err(lines.map((line) => `${line}\n`).join(''));
  if (!result.scenario) return 2;
  io.out(`${JSON.stringify(result.scenario, null, 2)}\n`);
  return 0;
}
