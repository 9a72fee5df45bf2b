/**
 * /sys/devices/system/memory in the format of `grep .`: the shell commands first, then one
 * "file:value" line per attribute (drivers/base/memory.c, v6.12: block_size_bytes "%lx",
 * auto_online_blocks, and per block phys_index "%08lx", state, online, valid_zones, removable),
 * and the block's node link as `ls -d` prints it. Blocks come in numeric order (`ls -v`).
 *
 * A machine can have a million blocks, so a run of neighbours that read the same (all but
 * phys_index) prints its first and last block with one "#" line between them saying how many
 * blocks it stands for.
 */
import type { Machine } from '../model/machine.ts';
import { sysBlockRuns, type SysBlockRun } from './blocks.ts';

/** Runs longer than this are collapsed to their first and last block. */
const COLLAPSE_OVER = 3;

export const SYSFS_COMMANDS = [
  '$ cd /sys/devices/system/memory; grep . block_size_bytes auto_online_blocks',
  '$ for m in $(ls -vd memory*); do grep . $m/{phys_index,state,online,valid_zones,removable}; ls -d $m/node*; done',
];

function blockLines(block: number, run: SysBlockRun): string[] {
  const dir = `memory${block}`;
  return [
    `${dir}/phys_index:${block.toString(16).padStart(8, '0')}`,
    `${dir}/state:${run.state}`,
    `${dir}/online:${run.state === 'online' ? 1 : 0}`,
    `${dir}/valid_zones:${run.validZones}`,
    `${dir}/removable:${run.removable}`,
    `${dir}/node${run.node}`,
  ];
}

export function sysfsText(
  machine: Machine,
  runs: readonly SysBlockRun[] = sysBlockRuns(machine),
): string {
  const blockBytes = machine.blockPages * machine.pageSize;
  const lines = [
    SYSFS_COMMANDS[0]!,
    `block_size_bytes:${blockBytes.toString(16)}`,
    `auto_online_blocks:${machine.kernel.autoOnline}`,
    SYSFS_COMMANDS[1]!,
  ];
  for (const run of runs) {
    const last = run.firstBlock + run.count - 1;
    if (run.count <= COLLAPSE_OVER) {
      for (let block = run.firstBlock; block <= last; block++)
        lines.push(...blockLines(block, run));
      continue;
    }
    const hidden = run.count - 2;
    lines.push(
      ...blockLines(run.firstBlock, run),
      `# memory${run.firstBlock + 1} to memory${last - 1}: ${hidden} more blocks, each reading as memory${run.firstBlock} and memory${last} do but for its own phys_index`,
      ...blockLines(last, run),
    );
  }
  return `${lines.join('\n')}\n`;
}
