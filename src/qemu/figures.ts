/**
 * The engine's figures for every step, as the table the script compares the kernel's against.
 *
 * One line per figure: `<step> <key> <value>`, step 0 being boot and step k+1 event k, in the
 * units the guest reports (bytes, pages, counts). The table also carries each step's tolerances,
 * computed here so the rule is stated once, in TypeScript, and visible in the script:
 * - MemTotal, zone page counts and the number of memory blocks must change exactly as the engine's;
 * - MemFree (with the per-cpu page lists) within `freeslack`: 4 MiB plus 1 KiB per MiB the step
 *   added, removed, onlined or offlined (the kernel's own bookkeeping of a hot-add or online);
 * - a huge page pool may hold up to one memory block's worth (at least one page) fewer pages than
 *   the engine says, never more, and none when the engine says none (a stray kernel allocation
 *   can spoil a window no model foresees; ../shared/oracle/README.md).
 * At a hugetlb step MemFree is compared after adding back each side's own pool change, so a page
 * more or less in the pool is judged once, by the huge page rule. That needs the engine's pool
 * before the step, which is known from its earlier hugetlb steps (-1 when it is not).
 */
import { stepTables, type StepTables } from '../engine/read-steps.ts';
import type { Result, Step } from '../engine/result.ts';
import type { Scenario } from '../engine/scenario/types.ts';
import { MiB } from '../engine/units.ts';
import type { KernelChoice } from './support.ts';

/** Memory blocks the boot RAM spans: a block exists when any of its memory is present. */
export function bootBlocks(scenario: Scenario, blockBytes: number): number {
  const blocks = new Set<number>();
  for (const node of scenario.machine.nodes)
    for (const range of node.ram)
      for (
        let block = Math.floor(range.start / blockBytes);
        block < Math.ceil((range.start + range.size) / blockBytes);
        block++
      )
        blocks.add(block);
  return blocks.size;
}

/** The engine's pools as far as its steps tell them: per page size, global and per node. */
class PoolTracker {
  private readonly sizes = new Map<
    number,
    { global: number | null; nodes: Map<number, number | null>; nodesKnown: boolean }
  >();

  private of(pageSize: number) {
    let entry = this.sizes.get(pageSize);
    if (!entry) {
      entry = { global: 0, nodes: new Map(), nodesKnown: true };
      this.sizes.set(pageSize, entry);
    }
    return entry;
  }

  /** The pool's count before a hugetlb step, and records the count after it. */
  set(pageSize: number, node: number | null, after: number): number | null {
    const entry = this.of(pageSize);
    if (node === null) {
      const before = entry.global;
      entry.global = after;
      entry.nodes.clear();
      entry.nodesKnown = after === 0;
      return before;
    }
    const before = entry.nodes.has(node) ? entry.nodes.get(node)! : entry.nodesKnown ? 0 : null;
    entry.nodes.set(node, after);
    entry.global = entry.global === null || before === null ? null : entry.global - before + after;
    return before;
  }

  /** Offlining dissolves free huge pages in the blocks it takes away: non-empty pools become unknown. */
  offlined(): void {
    for (const entry of this.sizes.values()) {
      if (entry.global !== 0) entry.global = null;
      for (const [node, count] of entry.nodes) if (count !== 0) entry.nodes.set(node, null);
    }
  }
}

export const poolKey = (node: number | null, pageSize: number) =>
  `${node === null ? 'all' : `node${node}`}.${pageSize / 1024}`;

function stepLines(
  step: Step,
  tables: StepTables,
  index: number,
  blocks: number,
  previous: Step | undefined,
  previousBlocks: number,
  blockBytes: number,
): string[] {
  const lines = [
    `${index} ok ${step.ok ? 1 : 0}`,
    `${index} memtotal ${step.memTotal}`,
    `${index} memfree ${step.memFree}`,
  ];
  for (const node of tables.nodes) {
    lines.push(`${index} node.${node.node}.memtotal ${node.memTotal}`);
    lines.push(`${index} node.${node.node}.memfree ${node.memFree}`);
  }
  for (const zone of tables.zones) {
    const key = `zone.${zone.node}.${zone.zone}`;
    lines.push(`${index} ${key}.spanned ${zone.spannedPages}`);
    lines.push(`${index} ${key}.present ${zone.presentPages}`);
    lines.push(`${index} ${key}.managed ${zone.managedPages}`);
  }
  lines.push(`${index} blocks ${blocks}`);
  if (previous) {
    const changedBytes =
      Math.abs(step.memTotal - previous.memTotal) + Math.abs(blocks - previousBlocks) * blockBytes;
    lines.push(`${index} freeslack ${4 * MiB + Math.round(changedBytes / 1024)}`);
  }
  return lines;
}

/** What the guest should report for the kernel's settings, by the scenario. */
export function expectedSettings(scenario: Scenario, kernel: KernelChoice): Record<string, string> {
  const k = scenario.kernel;
  return {
    release: kernel.releasePrefix,
    memmap_on_memory: k.memmapOnMemory === 'off' ? 'N' : k.memmapOnMemory === 'on' ? 'Y' : 'force',
    online_policy: k.onlinePolicy,
    auto_online_blocks: k.autoOnline,
    movable_node: k.movableNode ? '1' : '0',
    hugetlb_optimize_vmemmap: k.hvo ? '1' : '0',
  };
}

export function engineFigures(scenario: Scenario, result: Result, kernel: KernelChoice): string[] {
  const blockBytes = result.resolved.blockSize;
  const lines = [`0 blocksize ${blockBytes}`];
  for (const [name, value] of Object.entries(expectedSettings(scenario, kernel)))
    lines.push(`0 setting.${name} ${value}`);
  // Result format 2 lists per step only the zones and nodes that changed: read the full tables.
  const tables = stepTables(result.steps);
  const pools = new PoolTracker();
  let blocks = bootBlocks(scenario, blockBytes);
  let previousBlocks = blocks;
  result.steps.forEach((step, index) => {
    const event = index > 0 ? scenario.events[index - 1] : undefined;
    if (event && step.ok) {
      if (event.op === 'add') blocks += step.blocksAdded ?? 0;
      if (event.op === 'remove') blocks -= event.size / blockBytes;
    }
    lines.push(
      ...stepLines(
        step,
        tables[index]!,
        index,
        blocks,
        result.steps[index - 1],
        previousBlocks,
        blockBytes,
      ),
    );
    previousBlocks = blocks;
    if (event?.op === 'offline') pools.offlined();
    if (event?.op !== 'hugetlb') return;
    const node = event.node ?? null;
    const after = step.allocated ?? 0;
    const before = pools.set(event.pageSize, node, after);
    const slackPages = Math.max(1, Math.floor(blockBytes / event.pageSize));
    const key = poolKey(node, event.pageSize);
    lines.push(`${index} huge.${key} ${after}`);
    lines.push(`${index} hugemin.${key} ${after === 0 ? 0 : Math.max(1, after - slackPages)}`);
    lines.push(`${index} hugeprev.${key} ${before ?? -1}`);
    lines.push(`${index} hugepool ${key}`);
  });
  return lines;
}
