/**
 * Huge page runs as periodic pfn runs and back: a HugeRun counts huge pages, a Run pfns. Pools
 * keep their pages as HugeRuns so that a million 1 GiB pages, one in each of a million alike
 * blocks, are one record.
 */
import type { ZoneName } from '../arch.ts';
import type { Run } from '../rangeset.ts';
import { cutRun } from '../ranges/run.ts';
import type { HugeRun } from './machine.ts';

export const hugeRunPfns = (run: HugeRun, hugePages: number): Run => ({
  start: run.startPfn,
  len: run.count * hugePages,
  stride: run.stridePfn,
  reps: run.reps,
});

export function hugeRunOf(run: Run, hugePages: number, node: number, zone: ZoneName): HugeRun {
  return {
    startPfn: run.start,
    count: run.len / hugePages,
    stridePfn: run.stride,
    reps: run.reps,
    node,
    zone,
    hvoFreedByZone: {},
  };
}

/** Pages (huge) of a run. */
export const hugeRunPages = (run: HugeRun) => run.count * run.reps;

/**
 * Cuts [startPfn, endPfn) out of a huge page run; the removed part keeps its share of what HVO
 * freed, so releasing it re-allocates the right amount.
 */
export function cutHugeRun(
  run: HugeRun,
  hugePages: number,
  startPfn: number,
  endPfn: number,
): { kept: HugeRun[]; removed: HugeRun[] } {
  // Huge pages are cut whole: widen the cut to whole pages of the run.
  const { kept, removed } = cutRun(hugeRunPfns(run, hugePages), startPfn, endPfn);
  const total = hugeRunPages(run);
  const share = (part: HugeRun): HugeRun => {
    const pages = hugeRunPages(part);
    const freed: Record<string, number> = {};
    for (const [key, value] of Object.entries(run.hvoFreedByZone))
      freed[key] = total > 0 ? (value * pages) / total : 0;
    return { ...part, hvoFreedByZone: freed };
  };
  const back = (parts: Run[]) =>
    parts
      .filter((part) => part.len >= hugePages)
      .map((part) => share(hugeRunOf(part, hugePages, run.node, run.zone)));
  return { kept: back(kept), removed: back(removed) };
}
