/**
 * The readable report of `npm run sim`: each step and what happened, an lsmem-style table of
 * block runs, and where the memmap lives per node. Pure text, no I/O.
 */
import { ERA_LABELS } from './arch.ts';
import type { BlockRun, Result, Step } from './result.ts';
import type { Scenario } from './scenario/types.ts';
import { formatBytes, formatShortSize } from './units.ts';

const pad = (text: string, width: number) => text.padEnd(width);
const padLeft = (text: string, width: number) => text.padStart(width);

function stepLine(step: Step): string {
  const name = step.event < 0 ? 'boot' : `#${step.event} ${step.op}`;
  const status = step.ok ? 'ok' : 'FAILED';
  const facts: string[] = [
    `MemTotal ${formatBytes(step.memTotal)}`,
    `MemFree ${formatBytes(step.memFree)}`,
  ];
  if (step.blocksAdded !== undefined)
    facts.unshift(
      `+${step.blocksAdded} blocks`,
      `memmap ${formatBytes(step.memmapBytes ?? 0)} (${step.placement})`,
    );
  if (step.allocated !== undefined)
    facts.unshift(`${step.allocated}/${step.requested} × ${formatBytes(step.pageSize ?? 0)}`);
  return `${pad(name, 18)} ${pad(status, 6)} ${facts.join('  ')}`;
}

function memmapColumn(run: BlockRun, pageSize: number): string {
  if (run.placement === 'boot') return 'boot';
  if (run.placement === 'self-per-request') return 'in request start';
  if (run.placement === 'node-host')
    return run.memmapPages > 0
      ? `node host ${formatShortSize(run.memmapPages * pageSize)}`
      : 'in node host';
  if (run.memmapPages > 0) {
    const waste = run.wastePages ? ` (${formatShortSize(run.wastePages * pageSize)} waste)` : '';
    const per = (run.memmapEvery ?? 1) > 1 ? ` per ${run.memmapEvery} blocks` : '/block';
    return `self ${formatShortSize(run.memmapPages * pageSize)}${per}${waste}`;
  }
  return run.memmapHostNodes.length ? `ram node ${run.memmapHostNodes.join(',')}` : '-';
}

export function lsmemTable(result: Result): string[] {
  const { blockSize, pageSize } = result.resolved;
  const lines = [
    `${pad('RANGE', 37)} ${padLeft('SIZE', 6)} ${pad(' STATE', 8)} ${padLeft('NODE', 4)} ${pad(' ZONE', 9)} MEMMAP`,
  ];
  for (const run of result.final.blocks) {
    const end = run.startAddr + run.count * blockSize - 1;
    const range = `0x${run.startAddr.toString(16).padStart(16, '0')}-0x${end.toString(16).padStart(16, '0')}`;
    lines.push(
      `${range} ${padLeft(formatShortSize(run.count * blockSize), 6)}  ${pad(run.state, 7)} ${padLeft(String(run.node), 4)}  ${pad(run.zone ?? '-', 8)} ${memmapColumn(run, pageSize)}`,
    );
  }
  lines.push('', `Memory block size: ${formatShortSize(blockSize)}`);
  return lines;
}

export function memmapByNode(result: Result): string[] {
  const byNode = new Map<number, Map<string, number>>();
  for (const run of result.final.memmap) {
    const node = byNode.get(run.hostNode) ?? new Map<string, number>();
    const where =
      run.host === 'self'
        ? 'inside hot-added memory'
        : run.host === 'device'
          ? 'on the device'
          : run.kind === 'boot'
            ? 'boot memmap in RAM'
            : `in RAM for ${run.kind}`;
    const bytes =
      (run.repeat ?? 1) *
      (run.host === 'self'
        ? (run.describesSize / result.resolved.pageSize) * result.resolved.structPageSize
        : run.hostSize);
    node.set(where, (node.get(where) ?? 0) + bytes);
    byNode.set(run.hostNode, node);
  }
  return [...byNode]
    .sort((a, b) => a[0] - b[0])
    .map(
      ([node, parts]) =>
        `node ${node}: ${[...parts].map(([where, bytes]) => `${formatBytes(bytes)} ${where}`).join('; ')}`,
    );
}

export function textReport(scenario: Scenario, result: Result): string {
  const { resolved, final } = result;
  const out: string[] = [];
  out.push(`Memmap Explorer: ${scenario.title ?? 'scenario'}`);
  out.push(
    `${resolved.arch}, ${resolved.era} (${ERA_LABELS[resolved.era]}), ${formatShortSize(resolved.pageSize)} pages, ` +
      `${formatShortSize(resolved.sectionSize)} sections, ${formatShortSize(resolved.blockSize)} blocks (${resolved.blockSizeReason})`,
  );
  const k = scenario.kernel;
  out.push(
    `kernel: memmap_on_memory=${k.memmapOnMemory}${k.movableNode ? ' movable_node' : ''} online_policy=${k.onlinePolicy} auto_online=${k.autoOnline}${k.hvo ? ' hugetlb_free_vmemmap' : ''}${resolved.strategy.kind === 'kernel' ? '' : ` strategy=${resolved.strategy.kind}${resolved.hypothetical ? ' (hypothetical)' : ''}`}`,
    '',
    'Steps',
  );
  for (const step of result.steps) {
    out.push(stepLine(step));
    for (const line of step.narrative) out.push(`    ${line}`);
    if (step.error) out.push(`    error: ${step.error}`);
    for (const line of step.log) out.push(`    [log] ${line}`);
  }
  out.push(
    '',
    'Memory blocks',
    ...lsmemTable(result),
    '',
    'Where the memmap lives',
    ...memmapByNode(result),
  );
  if (final.hugetlb.length) {
    out.push(
      '',
      'Huge pages',
      ...final.hugetlb.map(
        (pool) => `node ${pool.node}: ${pool.count} × ${formatBytes(pool.pageSize)}`,
      ),
    );
  }
  const size = formatBytes(final.summary.giganticPageSize);
  out.push('', `${size} windows`);
  for (const zone of final.gigantic)
    out.push(
      `node ${zone.node} ${pad(zone.zone, 8)} ${zone.windows} windows, ${zone.possible} can hold a ${size} page`,
    );
  if (final.warnings.length) out.push('', 'Kernel warnings', ...final.warnings);
  if (final.notes.length) out.push('', 'Notes', ...final.notes);
  return out.join('\n');
}
