import { describe, expect, it } from 'vitest';
import { toColumns } from './columns.ts';
import { inspectAddress } from './inspect.ts';
import { run, q35 } from './testing.ts';
import { GiB, MiB } from './units.ts';

const inspectIn = (scenario: unknown, addr: number) => {
  const result = run(scenario);
  return inspectAddress(toColumns(result.final, result.resolved.pageSize), result.resolved, addr);
};

describe('inspectAddress', () => {
  it('names the blocks pinned by hosting memmap: the RFC packs a 16 GiB request’s memmap into two', () => {
    const scenario = {
      version: 1,
      era: 'RFC1',
      machine: q35(4),
      events: [{ op: 'add', start: '6G', size: '16G' }, { op: 'online' }],
    };
    expect(inspectIn(scenario, 6 * GiB).pinnedByMemmap).toBe(true);
    expect(inspectIn(scenario, 6 * GiB + 255 * MiB).pinnedByMemmap).toBe(true);
    expect(inspectIn(scenario, 6 * GiB + 256 * MiB).pinnedByMemmap).toBe(false);
    expect(inspectIn(scenario, 21 * GiB).pinnedByMemmap).toBe(false);
    expect(inspectIn(scenario, 5 * GiB).pinnedByMemmap).toBe(false);
  });

  it('reference §1.6: pfn 0x180000 at 6 GiB has its vmemmap entry at 0xffffea0006000000', () => {
    const found = inspectIn(
      { version: 1, machine: q35(4), events: [{ op: 'add', start: '6G', size: '1G' }] },
      6 * GiB,
    );
    expect(found.pfn).toBe(0x180000);
    expect(found.section).toBe(48);
    expect(found.block).toBe(48);
    expect(found.vmemmapAddr).toBe('0xffffea0006000000');
    expect(found.state).toBe('offline');
  });

  it('memmap_on_memory: the struct page of a block lives in the first 2 MiB of that block, on its node', () => {
    const scenario = {
      version: 1,
      machine: q35(4),
      kernel: { memmapOnMemory: 'on' },
      events: [{ op: 'add', start: '6G', size: '1G' }, { op: 'online' }],
    };
    const found = inspectIn(scenario, 6 * GiB + 128 * MiB + 4096 * 10);
    expect(found.structPage).toEqual({
      addr: 6 * GiB + 128 * MiB + 640,
      node: 0,
      host: 'self',
      offNode: false,
    });
    expect(found.zone).toBe('Normal');
    expect(inspectIn(scenario, 6 * GiB + 128 * MiB + 4096).selfHostedMemmap).toBe(true);
    expect(inspectIn(scenario, 6 * GiB + 130 * MiB).selfHostedMemmap).toBe(false);
  });

  it('legacy memmap on a memoryless node is off-node, on node 0', () => {
    const scenario = {
      version: 1,
      machine: {
        nodes: [
          { id: 0, ram: [{ start: 0, size: '2G' }] },
          { id: 1, ram: [] },
        ],
        hotpluggable: [{ start: '4G', size: '8G', node: 1 }],
      },
      kernel: { movableNode: true },
      events: [{ op: 'add', start: '4G', size: '4G' }, { op: 'online' }],
    };
    const found = inspectIn(scenario, 5 * GiB);
    expect(found.node).toBe(1);
    expect(found.zone).toBe('Movable');
    expect(found.structPage?.node).toBe(0);
    expect(found.structPage?.offNode).toBe(true);
    expect(found.structPage?.host).toBe('ram');
  });

  it('a hole is a hole', () => {
    const found = inspectIn({ version: 1, machine: q35(4) }, 3 * GiB);
    expect(found.kind).toBe('hole');
    expect(found.structPage).toBeNull();
  });
});
