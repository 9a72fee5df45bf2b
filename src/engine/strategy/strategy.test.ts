/**
 * kernel.strategy: its validation, the default that changes nothing, option c as the legacy
 * placement, option a as the kernel with bigger blocks, and the hypothetical marks.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Result } from '../result.ts';
import { simulate } from '../simulate.ts';
import { scenarioArb } from '../testing-arbitraries.ts';
import { run } from '../testing.ts';
import { GiB, MiB } from '../units.ts';
import { rfcLeftOpen } from './testing.ts';

const errorsOf = (input: unknown) => {
  const outcome = simulate(input);
  return outcome.ok ? [] : outcome.errors;
};

/** A result without what only names the strategy: narratives, notes, the resolved marks. */
function placementsOf(result: Result) {
  const {
    strategy: _s,
    hypothetical: _h,
    blockSizeReason: _b,
    controls: _c,
    ...resolved
  } = result.resolved;
  return {
    resolved,
    steps: result.steps.map(({ narrative: _n, ...step }) => step),
    final: { ...result.final, notes: [] },
  };
}

describe('kernel.strategy validation', () => {
  it('names the field and says why', () => {
    const at = (strategy: unknown) => errorsOf(rfcLeftOpen(strategy));
    expect(at({ kind: 'group' })).toEqual([
      { path: 'kernel.strategy.groupBlocks', message: expect.stringMatching(/^required/) },
    ]);
    expect(at({ kind: 'group', groupBlocks: 1 })[0]!.message).toMatch(/at least 2/);
    expect(at({ kind: 'group', groupBlocks: 2.5 })[0]!.path).toBe('kernel.strategy.groupBlocks');
    expect(at({ kind: 'group', groupBlocks: 64 })[0]!.message).toMatch(/at most 63 on x86_64/);
    expect(at({ kind: 'group', groupBlocks: 63 })).toEqual([]);
    expect(at({ kind: 'node-hosts', groupBlocks: 8 })[0]!.message).toMatch(
      /only with "kind": "group"/,
    );
    expect(at({ kind: 'bigger-blocks' })[0]!.message).toMatch(/^required/);
    expect(at({ kind: 'bigger-blocks', blockSize: '3G' })[0]!.message).toMatch(/power of two/);
    expect(at({ kind: 'bigger-blocks', blockSize: '64M' })[0]!.message).toMatch(/one section/);
    expect(at({ kind: 'ram', blockSize: '2G' })[0]!.message).toMatch(
      /only with "kind": "bigger-blocks"/,
    );
    expect(at({ kind: 'biggest' })[0]!.path).toBe('kernel.strategy.kind');
    expect(at({ kind: 'ram', extra: 1 })[0]!.path).toBe('kernel.strategy.extra');
  });

  it('allows more blocks per group where pages are larger (64 KiB pages: up to 1023)', () => {
    const ppc = { ...rfcLeftOpen({ kind: 'group', groupBlocks: 1000 }), arch: 'ppc64-radix-64k' };
    expect(errorsOf(ppc)).toEqual([]);
  });
});

describe('the default strategy', () => {
  it('is the kernel: absent and { kind: "kernel" } give the same result, not hypothetical', () => {
    const absent = run(rfcLeftOpen());
    const kernel = run(rfcLeftOpen({ kind: 'kernel' }));
    expect(kernel).toEqual(absent);
    expect(absent.resolved.strategy).toEqual({ kind: 'kernel' });
    expect(absent.resolved.hypothetical).toBe(false);
    expect(absent.final.notes.some((note) => note.includes('hypothetical'))).toBe(false);
  });

  it('hypothetical strategies say so: resolved, a note, and each add step names who proposed it', () => {
    const cases: [unknown, RegExp][] = [
      [{ kind: 'bigger-blocks', blockSize: '2G' }, /option a/],
      [{ kind: 'node-hosts' }, /option b/],
      [{ kind: 'group', groupBlocks: 16 }, /s390/],
    ];
    for (const [strategy, proposer] of cases) {
      const result = run(rfcLeftOpen(strategy));
      expect(result.resolved.hypothetical).toBe(true);
      expect(result.resolved.strategy).toEqual(
        strategy === cases[0]![0] ? { kind: 'bigger-blocks', blockSize: 2 * GiB } : strategy,
      );
      expect(result.final.notes.join(' ')).toMatch(/implemented by no kernel.*hypothetical/);
      expect(result.steps[1]!.narrative.join(' ')).toMatch(proposer);
    }
    const ram = run(rfcLeftOpen({ kind: 'ram' }));
    expect(ram.resolved.hypothetical).toBe(false);
    expect(ram.steps[1]!.narrative.join(' ')).toMatch(/option c/);
  });
});

describe('ram (option c)', () => {
  it('is exactly the legacy placement: memmap_on_memory on with ram equals it off', () => {
    const ram = run(rfcLeftOpen({ kind: 'ram' }));
    const off = run(rfcLeftOpen(undefined, { memmapOnMemory: 'off' }));
    expect(placementsOf(ram)).toEqual(placementsOf(off));
    expect(ram.final.summary.memmapFromRamBytes).toBe(GiB);
    expect(ram.steps[1]!.placement).toBe('ram');
  });

  it('equals the legacy placement on random machines of every era from 5.12 on', () => {
    fc.assert(
      fc.property(scenarioArb, fc.constantFrom('LEGACY', 'U1', 'U2', 'U3'), (scenario, era) => {
        const base = { ...scenario, era, kernel: { ...scenario.kernel, strategy: undefined } };
        const on = { ...base.kernel, memmapOnMemory: 'on' };
        const ram = simulate({ ...base, kernel: { ...on, strategy: { kind: 'ram' } } });
        const off = simulate({ ...base, kernel: { ...on, memmapOnMemory: 'off' } });
        if (!ram.ok || !off.ok) throw new Error('invalid scenario');
        expect(placementsOf(ram.result)).toEqual(placementsOf(off.result));
      }),
      { numRuns: Number(process.env.PROPERTY_RUNS ?? 150) },
    );
  });

  it('takes even the 2017 RFC back to RAM', () => {
    const rfc = run({ ...rfcLeftOpen({ kind: 'ram' }), era: 'RFC1' });
    expect(rfc.steps[1]!.placement).toBe('ram');
    expect(rfc.final.summary.blocksAllMemmap).toBe(0);
  });
});

describe('bigger-blocks (option a)', () => {
  it('with 2 GiB gives what the kernel gives with 2 GiB blocks: 32 MiB per block, the upper 1 GiB free', () => {
    const bigger = run(rfcLeftOpen({ kind: 'bigger-blocks', blockSize: '2G' }));
    const kernel = run({
      ...rfcLeftOpen(),
      machine: { ...rfcLeftOpen().machine, blockSize: '2G' },
    });
    expect(placementsOf(bigger)).toEqual(placementsOf(kernel));
    expect(bigger.resolved.blockSize).toBe(2 * GiB);
    expect(bigger.final.blocks.find((b) => b.event === 0)!.memmapPages * 4096).toBe(32 * MiB);
    expect(bigger.final.summary.giganticPossible).toBe(32);
  });

  it('equals the kernel with 2 GiB blocks on random x86 6.8+ machines adding through ACPI', () => {
    fc.assert(
      fc.property(scenarioArb, (scenario) => {
        const events = scenario.events.map((e) => (e.op === 'add' ? { ...e, via: 'acpi' } : e));
        const base = { ...scenario, arch: 'x86_64', era: 'U3', events };
        const kernel = { ...base.kernel, strategy: undefined };
        const bigger = simulate({
          ...base,
          kernel: { ...kernel, strategy: { kind: 'bigger-blocks', blockSize: '2G' } },
        });
        const blocks = simulate({ ...base, kernel, machine: { ...base.machine, blockSize: '2G' } });
        if (!bigger.ok || !blocks.ok) throw new Error('invalid scenario');
        expect(placementsOf(bigger.result)).toEqual(placementsOf(blocks.result));
      }),
      { numRuns: Number(process.env.PROPERTY_RUNS ?? 150) },
    );
  });

  it('makes hot-add coarser: a 1 GiB DIMM cannot be added to 2 GiB blocks', () => {
    const result = run({
      ...rfcLeftOpen({ kind: 'bigger-blocks', blockSize: '2G' }),
      events: [{ op: 'add', size: '1G' }],
    });
    expect(result.steps[1]!.ok).toBe(false);
    expect(result.steps[1]!.error).toMatch(/unaligned hotplug range/);
  });

  it('places adds the kernel would leave in RAM when memmap_on_memory is on (6.1, a 64 GiB DIMM)', () => {
    const v61 = (strategy?: unknown) => ({ ...rfcLeftOpen(strategy), era: 'U1' });
    expect(run(v61()).steps[1]!.placement).toBe('ram');
    const bigger = run(v61({ kind: 'bigger-blocks', blockSize: '2G' }));
    expect(bigger.steps[1]!.placement).toBe('self-per-block');
    expect(bigger.final.summary.memmapSelfHostedBytes).toBe(GiB);
  });
});

describe('where no strategy can place', () => {
  it('leaves s390 standby memory and virtio-mem to the kernel', () => {
    const virtio = run({
      ...rfcLeftOpen({ kind: 'node-hosts' }),
      events: [{ op: 'add', size: '1G', via: 'virtio-mem' }],
    });
    expect(virtio.steps[1]!.placement).toBe('ram');
    expect(virtio.steps[1]!.narrative.join(' ')).toMatch(/does not apply: virtio-mem/);
    const s390 = run({
      ...rfcLeftOpen({ kind: 'group', groupBlocks: 8 }),
      arch: 's390x',
      events: [{ op: 'add', size: '4G' }],
    });
    expect(s390.steps[1]!.narrative.join(' ')).toMatch(/does not apply: s390 standby/);
  });

  it('with memmap_on_memory off, only adds the kernel self-hosts (the 2017 RFC) are placed', () => {
    const off = run(rfcLeftOpen({ kind: 'node-hosts' }, { memmapOnMemory: 'off' }));
    expect(off.steps[1]!.placement).toBe('ram');
    const rfc = run({
      ...rfcLeftOpen({ kind: 'node-hosts' }, { memmapOnMemory: 'off' }),
      era: 'RFC2',
    });
    expect(rfc.steps[1]!.placement).toBe('node-host');
  });
});
