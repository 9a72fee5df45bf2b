/**
 * One picture of the memory blocks from every lsmem and sysfs paste. Each source is a list of
 * block runs; the runs are cut at every boundary any source has, and each piece takes the facts
 * each source knows (lsmem's default output knows states only; sysfs knows nodes and zones).
 * A disagreement is reported once per piece and the first source wins. Work grows with the
 * number of runs, not of blocks: a 64 TiB machine is one lsmem line.
 */
import type { ZoneName } from '../engine/arch.ts';
import type { LsmemParse } from './lsmem.ts';
import { addressText } from './ranges.ts';
import type { BlockRun, BlockState, ImportProblem } from './types.ts';

export interface BlockSpan {
  firstBlock: number;
  count: number;
  state: BlockState | null;
  node: number | null;
  zones: ZoneName[];
  spansZones: boolean;
}

export interface BlockSource {
  label: string;
  source?: string;
  runs: BlockRun[];
}

/** lsmem rows as block runs; the block numbers come from BLOCK, else from RANGE. */
export function lsmemRuns(parse: LsmemParse, blockSize: number): BlockRun[] {
  return parse.ranges
    .filter((range) => range.start % blockSize === 0 && range.size % blockSize === 0)
    .map((range) => ({
      firstBlock: range.start / blockSize,
      count: range.size / blockSize,
      state: range.state,
      node: range.node,
      zones: range.zones,
      spansZones: range.spansZones,
      line: range.line,
    }));
}

const sameFacts = (a: BlockSpan, b: BlockSpan) =>
  a.state === b.state &&
  a.node === b.node &&
  a.spansZones === b.spansZones &&
  a.zones.join() === b.zones.join();

export function overlayBlocks(
  sources: BlockSource[],
  blockSize: number,
  problems: ImportProblem[],
): BlockSpan[] {
  const cuts = new Set<number>();
  for (const { runs } of sources)
    for (const run of runs) cuts.add(run.firstBlock).add(run.firstBlock + run.count);
  const points = [...cuts].sort((a, b) => a - b);
  const sorted = sources.map((s) => ({
    ...s,
    runs: [...s.runs].sort((a, b) => a.firstBlock - b.firstBlock),
    next: 0,
  }));
  const spans: BlockSpan[] = [];
  let conflicts = 0;
  for (let i = 0; i + 1 < points.length; i++) {
    const first = points[i]!;
    const count = points[i + 1]! - first;
    const span: BlockSpan = {
      firstBlock: first,
      count,
      state: null,
      node: null,
      zones: [],
      spansZones: false,
    };
    let covered = false;
    let stateFrom = '';
    let nodeFrom = '';
    for (const source of sorted) {
      while (source.next < source.runs.length) {
        const run = source.runs[source.next]!;
        if (run.firstBlock + run.count <= first) source.next++;
        else break;
      }
      const run = source.runs[source.next];
      if (!run || run.firstBlock > first) continue;
      covered = true;
      const disagree = (what: string, theirs: string, ours: string, from: string) => {
        if (conflicts++ < 5)
          problems.push({
            source: source.source,
            line: run.line,
            message: `${count > 1 ? `blocks ${first}-${first + count - 1}` : `block ${first}`} (at ${addressText(first * blockSize)}): ${source.label} says ${what} ${theirs}, ${from} says ${ours}; ${from} is used`,
          });
      };
      if (run.state !== null) {
        if (span.state === null) [span.state, stateFrom] = [run.state, source.label];
        else if (span.state !== run.state) disagree('state', run.state, span.state, stateFrom);
      }
      if (run.node !== null) {
        if (span.node === null) [span.node, nodeFrom] = [run.node, source.label];
        else if (span.node !== run.node)
          disagree('node', String(run.node), String(span.node), nodeFrom);
      }
      if (!span.zones.length && run.zones.length) span.zones = run.zones;
      span.spansZones ||= run.spansZones;
    }
    if (!covered) continue;
    const last = spans[spans.length - 1];
    if (last && last.firstBlock + last.count === first && sameFacts(last, span))
      last.count += count;
    else spans.push(span);
  }
  if (conflicts > 5)
    problems.push({ message: `${conflicts - 5} more disagreements between the block listings` });
  return spans;
}

/** The zone an online block is in (valid_zones of an online block names it first). */
export const zoneOf = (span: BlockSpan): ZoneName | null =>
  span.state === 'online' && !span.spansZones ? (span.zones[0] ?? null) : null;
