import { describe, expect, it } from 'vitest';
import { formatValidationError } from './types.ts';
import { validateScenario } from './validate.ts';

const messages = (input: unknown) => {
  const outcome = validateScenario(input);
  return outcome.ok ? [] : outcome.errors.map(formatValidationError);
};

describe('scenario validation', () => {
  it('fills every default from the smallest scenario', () => {
    const outcome = validateScenario({ version: 1 });
    expect(outcome.ok).toBe(true);
    if (!outcome.ok) return;
    expect(outcome.scenario.arch).toBe('x86_64');
    expect(outcome.scenario.era).toBe('U3');
    expect(outcome.scenario.machine.nodes).toEqual([
      { id: 0, ram: [{ start: 0, size: 4 * 1024 ** 3 }] },
    ]);
    expect(outcome.scenario.kernel.memmapOnMemory).toBe('off');
    expect(outcome.scenario.events).toEqual([]);
  });

  it('reads sizes in every documented form', () => {
    const outcome = validateScenario({
      version: 1,
      events: [
        { op: 'add', size: '128M' },
        { op: 'add', size: '0x100000000' },
        { op: 'add', size: '4096' },
        { op: 'add', size: 134217728 },
        { op: 'add', size: '1.5G' },
      ],
    });
    expect(outcome.ok && outcome.scenario.events.map((e) => ('size' in e ? e.size : 0))).toEqual([
      134217728, 4294967296, 4096, 134217728, 1610612736,
    ]);
  });

  it('names the field of a bad size', () => {
    expect(
      messages({
        version: 1,
        events: [{ op: 'add', size: '4G' }, { op: 'online' }, { op: 'add', size: '12Q' }],
      }),
    ).toEqual(['events[2].size: "12Q" is not a size']);
  });

  it('reports every problem at once, each with its path', () => {
    const errors = messages({
      version: 2,
      arch: 'x86',
      machine: { nodes: [{ id: 0, rams: [] }], blockSize: '100M' },
      kernel: { memmapOnMemory: 'yes' },
      events: [
        { op: 'grow', size: 1 },
        { op: 'hugetlb', pageSize: '2M' },
      ],
    });
    expect(errors).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^version: /),
        expect.stringMatching(/^arch: text "x86" is not one of/),
        expect.stringMatching(/^machine\.nodes\[0\]\.rams: unknown field \(did you mean "ram"\?\)/),
        expect.stringMatching(/^kernel\.memmapOnMemory: /),
        expect.stringMatching(/^events\[0\]\.op: text "grow" is not an event type/),
        'events[1].count: required',
      ]),
    );
    expect(errors.length).toBeGreaterThanOrEqual(6);
  });

  it('checks the whole machine: duplicate nodes, overlapping RAM, address width, block size, events naming nodes', () => {
    const errors = messages({
      version: 1,
      arch: 'x86_64',
      machine: {
        blockSize: '192M',
        nodes: [
          { id: 0, ram: [{ start: 0, size: '4G' }] },
          { id: 0, ram: [{ start: '2G', size: '4G' }] },
          { id: 2, ram: [{ start: '63T', size: '2T' }] },
        ],
      },
      kernel: { bootUsed: { 7: '1M' } },
      events: [
        { op: 'add', size: '1G', node: 5 },
        { op: 'hugetlb', pageSize: '4M', count: 1 },
      ],
    });
    expect(errors).toEqual(
      expect.arrayContaining([
        'machine.nodes[1].id: node 0 is listed twice',
        'machine.nodes[1].ram[0]: overlaps machine.nodes[0].ram[0]',
        expect.stringMatching(
          /^machine\.nodes\[2\]\.ram\[0\]: ends past the physical address width: x86_64 addresses end at 64 TiB/,
        ),
        'machine.blockSize: 192 MiB must be a power of two',
        'kernel.bootUsed.7: node 7 is not in machine.nodes',
        'events[0].node: node 5 is not in machine.nodes',
        expect.stringMatching(/^events\[1\]\.pageSize: 4 MiB is not a huge page size of x86_64/),
      ]),
    );
  });

  it('allows extensions under "x" only', () => {
    expect(
      validateScenario({ version: 1, x: { anything: [1, 2] }, events: [{ op: 'online', x: 1 }] })
        .ok,
    ).toBe(true);
    expect(messages({ version: 1, extra: true })).toEqual([
      expect.stringMatching(/^extra: unknown field.*extensions go under "x"$/),
    ]);
  });

  it('never throws, whatever it is given', () => {
    for (const input of [
      null,
      undefined,
      42,
      'text',
      [],
      { version: 1, events: 'x' },
      { version: 1, machine: null },
    ]) {
      const outcome = validateScenario(input);
      expect(outcome.ok).toBe(false);
    }
  });

  it('caps the number of events', () => {
    const events = Array.from({ length: 10_001 }, () => ({ op: 'online' }));
    expect(messages({ version: 1, events })).toEqual(['events: at most 10000 events (got 10001)']);
  });
});
