/**
 * `numactl -H` / `numactl --hardware` (numactl.c hardware()): "available: <n> nodes (<list>)",
 * per node "node <n> cpus: ...", "node <n> size: <MiB> MB" and "node <n> free: <MiB> MB" (or
 * "<not available>"), then "node distances:", a header row of node ids and one row per node.
 *
 * numactl prints sizes as MemTotal >> 20 of each node: managed memory rounded down to whole MiB,
 * less than the RAM the node really has. They tell which nodes exist and hold memory, and are a
 * last resort for laying out RAM when nothing else gives addresses.
 */
import { MiB } from '../engine/units.ts';
import { type ImportProblem, type SourceLine, quote } from './types.ts';

export interface NumaNode {
  id: number;
  cpus: number[] | null;
  sizeBytes: number | null;
  freeBytes: number | null;
  line: number;
}

export interface NumactlParse {
  format: 'numactl';
  /** From "available: N nodes (list)". */
  listed: number[] | null;
  nodes: NumaNode[];
  /** distances[from][to], or null without a table. */
  distances: Record<number, Record<number, number>> | null;
  problems: ImportProblem[];
}

const AVAILABLE = /^available: (\d+) nodes? \(([\d,\s-]*)\)$/;
const NODE_LINE = /^node (\d+) (cpus|size|free):(.*)$/;
const DISTANCE_HEADER = /^node((?:\s+\d+)+)$/;
const DISTANCE_ROW = /^(\d+):((?:\s+\d+)+)$/;

export const isNumactlLine = (text: string) =>
  AVAILABLE.test(text) || NODE_LINE.test(text) || text === 'node distances:';

/** "0-3,8" -> [0, 1, 2, 3, 8]. */
export function parseNodeList(text: string): number[] | null {
  const ids: number[] = [];
  for (const part of text
    .split(',')
    .map((p) => p.trim())
    .filter(Boolean)) {
    const range = /^(\d+)(?:-(\d+))?$/.exec(part);
    if (!range) return null;
    const first = Number(range[1]);
    const last = Number(range[2] ?? range[1]);
    if (last < first || last - first > 4096) return null;
    for (let id = first; id <= last; id++) ids.push(id);
  }
  return ids;
}

function readMiB(value: string): number | null | 'bad' {
  const text = value.trim();
  if (text === '<not available>') return null;
  const match = /^(\d+) MB$/.exec(text);
  return match ? Number(match[1]) * MiB : 'bad';
}

export function parseNumactl(lines: SourceLine[]): NumactlParse {
  const parse: NumactlParse = {
    format: 'numactl',
    listed: null,
    nodes: [],
    distances: null,
    problems: [],
  };
  const nodeOf = (id: number, line: number) => {
    let node = parse.nodes.find((candidate) => candidate.id === id);
    if (!node) {
      node = { id, cpus: null, sizeBytes: null, freeBytes: null, line };
      parse.nodes.push(node);
    }
    return node;
  };
  let columns: number[] | null = null;
  for (const line of lines) {
    const text = line.text.trim();
    if (!text) continue;
    const available = AVAILABLE.exec(text);
    const nodeLine = NODE_LINE.exec(text);
    const header = DISTANCE_HEADER.exec(text);
    const row = DISTANCE_ROW.exec(text);
    if (available) {
      parse.listed = parseNodeList(available[2]!);
      if (!parse.listed || parse.listed.length !== Number(available[1]))
        parse.problems.push({
          line: line.no,
          message: `the node list does not hold ${available[1]} nodes`,
        });
    } else if (nodeLine) {
      const node = nodeOf(Number(nodeLine[1]), line.no);
      const value = nodeLine[3]!;
      if (nodeLine[2] === 'cpus') {
        const cpus = value.trim().split(/\s+/).filter(Boolean).map(Number);
        node.cpus = cpus.every(Number.isInteger) ? cpus : null;
        continue;
      }
      const bytes = readMiB(value);
      if (bytes === 'bad') {
        parse.problems.push({
          line: line.no,
          message: `expected "<number> MB", got ${quote(value)}`,
        });
        continue;
      }
      if (nodeLine[2] === 'size') node.sizeBytes = bytes;
      else node.freeBytes = bytes;
    } else if (text === 'node distances:') {
      parse.distances = {};
    } else if (header && parse.distances) {
      columns = header[1]!.trim().split(/\s+/).map(Number);
    } else if (row && parse.distances && columns) {
      const values = row[2]!.trim().split(/\s+/).map(Number);
      if (values.length !== columns.length) {
        parse.problems.push({
          line: line.no,
          message: `expected ${columns.length} distances (one per node in the header), got ${values.length}`,
        });
        continue;
      }
      const from: Record<number, number> = {};
      columns.forEach((to, i) => (from[to] = values[i]!));
      parse.distances[Number(row[1])] = from;
    } else if (/^No (distance information|NUMA) available/.test(text)) {
      continue;
    } else {
      parse.problems.push({
        line: line.no,
        message: `expected a numactl -H line ("available: ...", "node <n> size: <m> MB", "node distances:" or a distance row), got ${quote(text)}`,
      });
    }
  }
  return parse;
}
