/**
 * Kernel views: the text the kernel and util-linux would print for the machine at one step
 * (lsmem, /proc/meminfo, /proc/zoneinfo, /proc/iomem, /sys/devices/system/memory, dmesg), in
 * their real formats. Each view reads the machine through its public state only; the block
 * attributes sysfs and lsmem both show are computed once.
 */
import type { Machine } from '../model/machine.ts';
import type { Step } from '../result.ts';
import { sysBlockRuns } from './blocks.ts';
import { dmesgText } from './dmesg.ts';
import { IOMEM_NOTES, iomemText } from './iomem.ts';
import { LSMEM_NODE_ZONES, lsmemText } from './lsmem.ts';
import { MEMINFO_MODELLED, meminfoText } from './meminfo.ts';
import { SYSFS_COMMANDS, sysfsText } from './sysfs.ts';
import { ZONEINFO_NOTES, zoneinfoText } from './zoneinfo.ts';

export interface KernelView {
  /** What a user would type to see it. */
  command: string;
  /** The output, ending in a newline (empty when there is none). */
  text: string;
  /** Fields carrying the engine's figures; the others read 0 (meminfo). */
  modelled?: string[];
  /** What the view leaves out or approximates, in plain words (not kernel output). */
  notes?: string[];
  /** The same view with other options, e.g. lsmem with its NODE and ZONES columns. */
  variants?: { command: string; text: string }[];
}

export interface KernelViews {
  lsmem: KernelView;
  meminfo: KernelView;
  zoneinfo: KernelView;
  iomem: KernelView;
  sysfs: KernelView;
  dmesg: KernelView;
}

export const VIEW_FORMATS = ['lsmem', 'meminfo', 'zoneinfo', 'iomem', 'sysfs', 'dmesg'] as const;
export type ViewFormat = (typeof VIEW_FORMATS)[number];

export function kernelViews(machine: Machine, result: { steps: readonly Step[] }): KernelViews {
  const runs = sysBlockRuns(machine);
  return {
    lsmem: {
      command: 'lsmem',
      text: lsmemText(machine, undefined, runs),
      variants: [
        {
          command: `lsmem -o ${LSMEM_NODE_ZONES.join(',')}`,
          text: lsmemText(machine, LSMEM_NODE_ZONES, runs),
        },
      ],
    },
    meminfo: {
      command: 'cat /proc/meminfo',
      text: meminfoText(machine),
      modelled: [...MEMINFO_MODELLED],
      notes: [
        'Fields not in the modelled list read 0. Real boot figures are lower by the firmware and kernel reserves.',
      ],
    },
    zoneinfo: { command: 'cat /proc/zoneinfo', text: zoneinfoText(machine), notes: ZONEINFO_NOTES },
    iomem: { command: 'sudo cat /proc/iomem', text: iomemText(machine), notes: IOMEM_NOTES },
    sysfs: {
      command: SYSFS_COMMANDS.join('\n'),
      text: sysfsText(machine, runs),
      notes: ['Runs of more than three identical blocks show their first and last block only.'],
    },
    dmesg: {
      command: 'dmesg',
      text: dmesgText(result.steps, machine.warnings),
      notes: ['Timestamps are the model’s clock: one second per step.'],
    },
  };
}
