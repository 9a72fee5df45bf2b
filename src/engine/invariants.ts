/**
 * Invariants every result must satisfy, whatever the scenario (reference §12.6 and the physical
 * facts behind it). Used by the property tests; returns the violations instead of throwing so a
 * failing case reports all of them.
 */
import { RangeSet, type Run } from './rangeset.ts';
import type { MemmapRun, Result } from './result.ts';
import { stepTables } from './read-steps.ts';

const describedRun = (run: MemmapRun): Run => ({
  start: run.describesStart,
  len: run.describesSize,
  stride: (run.repeat ?? 1) > 1 ? run.describesPeriod! : run.describesSize,
  reps: run.repeat ?? 1,
});

export function violations(result: Result): string[] {
  const problems: string[] = [];
  const { pageSize, blockSize, structPageSize, pageblockSize } = result.resolved;
  const blockPages = blockSize / pageSize;

  for (const [index, step] of result.steps.entries()) {
    const where = `step ${step.event}`;
    const tables = stepTables(result.steps)[index]!;
    let managedBytes = 0;
    for (const zone of tables.zones) {
      const name = `${where} node ${zone.node} ${zone.zone}`;
      if (zone.managedPages > zone.presentPages)
        problems.push(`${name}: managed ${zone.managedPages} > present ${zone.presentPages}`);
      if (zone.presentPages > zone.spannedPages)
        problems.push(`${name}: present ${zone.presentPages} > spanned ${zone.spannedPages}`);
      if (zone.freePages > zone.managedPages || zone.freePages < 0)
        problems.push(`${name}: free ${zone.freePages} outside [0, managed ${zone.managedPages}]`);
      managedBytes += zone.managedPages * pageSize;
    }
    if (managedBytes !== step.memTotal)
      problems.push(`${where}: MemTotal ${step.memTotal} != sum of managed ${managedBytes}`);
    const nodeTotal = tables.nodes.reduce((sum, node) => sum + node.memTotal, 0);
    if (nodeTotal !== step.memTotal)
      problems.push(`${where}: node MemTotals add to ${nodeTotal}, not ${step.memTotal}`);
    if (step.memFree > step.memTotal) problems.push(`${where}: MemFree > MemTotal`);
    if (step.op === 'add' && step.blocksAdded !== undefined && step.memmapBytes !== undefined) {
      const expected = ((step.blocksAdded * blockSize) / pageSize) * structPageSize;
      if (step.ok && step.memmapBytes !== expected)
        problems.push(
          `${where}: memmap ${step.memmapBytes} != size/page*${structPageSize} = ${expected}`,
        );
    }
  }

  const { final } = result;
  // Struct pages of every present page exist exactly once.
  const described = new RangeSet();
  let describedTotal = 0;
  for (const run of final.memmap) {
    described.addRun(describedRun(run));
    describedTotal += run.describesSize * (run.repeat ?? 1);
  }
  if (described.total() !== describedTotal) problems.push('memmap runs describe some memory twice');
  for (const run of final.blocks) {
    const start = run.startAddr + (run.placement === 'boot' ? 0 : 0);
    const end = run.startAddr + run.count * blockSize;
    if (run.presentPages === blockPages && !described.covers(start, end))
      problems.push(`blocks at ${start.toString(16)}: some present page has no struct page`);
  }
  for (const device of final.devices) {
    if (!described.covers(device.startAddr, device.startAddr + device.size))
      problems.push(`${device.kind} at ${device.startAddr.toString(16)} lacks struct pages`);
  }
  for (const run of final.memmap) {
    if (run.host === 'ram' && run.hostZone === 'Movable')
      problems.push(`memmap of ${run.describesStart.toString(16)} hosted in ZONE_MOVABLE`);
    if (run.kind === 'device-private' && run.host !== 'ram')
      problems.push('device-private memory got an altmap');
    if (run.kind === 'pmem' && run.host === 'self') problems.push('pmem memmap self-hosted');
    const block = final.blocks.find(
      (b) =>
        run.describesStart >= b.startAddr && run.describesStart < b.startAddr + b.count * blockSize,
    );
    const perBlock = run.host === 'self' && block?.placement === 'self-per-block';
    if (perBlock && run.hostSize % pageblockSize !== 0)
      problems.push(`per-block memmap ${run.hostSize} not whole pageblocks`);
    if (perBlock && run.hostSize >= blockSize) problems.push('per-block memmap fills its block');
  }
  // Huge pages never overlap memmap, kernel allocations or each other.
  const taken = new RangeSet();
  let takenTotal = 0;
  const claim = (start: number, size: number, repeat = 1, period = size) => {
    taken.addRun({ start, len: size, stride: repeat > 1 ? period : size, reps: repeat });
    takenTotal += size * repeat;
  };
  for (const region of final.regions)
    claim(region.startAddr, region.size, region.repeat, region.period);
  for (const run of final.memmap)
    if (run.host !== 'ram') claim(run.hostStart, run.hostSize, run.repeat, run.hostPeriod);
  if (taken.total() !== takenTotal) problems.push('allocations, memmap and huge pages overlap');
  return problems;
}
