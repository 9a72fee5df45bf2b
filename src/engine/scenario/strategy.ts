/**
 * Whole-scenario checks of kernel.strategy (the shape is schema.ts's): each field belongs to one
 * kind, bigger-blocks needs a block size the arch can have, and a group's memmap must fit in the
 * group's first block.
 */
import { blockSizeProblem, type ArchSpec } from '../arch.ts';
import { formatBytes } from '../units.ts';
import type { Scenario, ValidationError } from './types.ts';

const PATH = 'kernel.strategy';

export function checkStrategy(scenario: Scenario, spec: ArchSpec): ValidationError[] {
  const strategy = scenario.kernel.strategy;
  if (!strategy) return [];
  const errors: ValidationError[] = [];
  const { blockSize, groupBlocks } = strategy;
  if (blockSize !== undefined && strategy.kind !== 'bigger-blocks')
    errors.push({
      path: `${PATH}.blockSize`,
      message: 'is the memory block size of "bigger-blocks": only with "kind": "bigger-blocks"',
    });
  if (groupBlocks !== undefined && strategy.kind !== 'group')
    errors.push({
      path: `${PATH}.groupBlocks`,
      message: 'is the number of blocks per altmap of "group": only with "kind": "group"',
    });
  if (strategy.kind === 'bigger-blocks') {
    if (blockSize === undefined)
      errors.push({
        path: `${PATH}.blockSize`,
        message: 'required with "kind": "bigger-blocks": the larger memory block size, e.g. "2G"',
      });
    else {
      const problem = blockSizeProblem(spec, blockSize);
      if (problem)
        errors.push({
          path: `${PATH}.blockSize`,
          message: `${formatBytes(blockSize)} ${problem}`,
        });
    }
  }
  if (strategy.kind === 'group') {
    // The memmap of N blocks is N x (block / (page size / struct page size)): it must leave some
    // of the first block to the buddy allocator.
    const most = Math.ceil(spec.pageSize / scenario.machine.structPageSize) - 1;
    if (groupBlocks === undefined)
      errors.push({
        path: `${PATH}.groupBlocks`,
        message: 'required with "kind": "group": how many blocks share one altmap, e.g. 16',
      });
    else if (groupBlocks < 2)
      errors.push({
        path: `${PATH}.groupBlocks`,
        message: `must be at least 2 (got ${groupBlocks}): a group of one block is memmap_on_memory itself`,
      });
    else if (groupBlocks > most)
      errors.push({
        path: `${PATH}.groupBlocks`,
        message: `${groupBlocks} blocks would need a memmap filling the group's whole first block: at most ${most} on ${spec.id} (${formatBytes(spec.pageSize)} pages, ${scenario.machine.structPageSize}-byte struct page)`,
      });
  }
  return errors;
}
