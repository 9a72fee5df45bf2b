/** Property tests: invariants that must hold for any valid scenario. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { violations } from './invariants.ts';
import { simulate } from './simulate.ts';
import { scenarioArb } from './testing-arbitraries.ts';

describe('engine invariants (fast-check)', () => {
  it('hold for random scenarios: accounting, struct pages exactly once, no overlaps, no memmap in ZONE_MOVABLE', () => {
    fc.assert(
      fc.property(scenarioArb, (scenario) => {
        const outcome = simulate(scenario);
        if (!outcome.ok)
          throw new Error(
            `${outcome.kind}: ${outcome.errors.map((e) => `${e.path}: ${e.message}`).join('; ')}`,
          );
        expect(violations(outcome.result)).toEqual([]);
      }),
      { numRuns: Number(process.env.PROPERTY_RUNS ?? 300) },
    );
  });

  it('are deterministic, and a prefix of the events gives a prefix of the steps', () => {
    fc.assert(
      fc.property(scenarioArb, fc.nat(), (scenario, cut) => {
        const full = simulate(scenario);
        const again = simulate(scenario);
        expect(again).toEqual(full);
        if (!full.ok) return;
        const upTo = scenario.events.length ? cut % (scenario.events.length + 1) : 0;
        const prefix = simulate(scenario, { upTo });
        if (!prefix.ok) throw new Error('prefix failed');
        expect(prefix.result.steps).toEqual(full.result.steps.slice(0, upTo + 1));
      }),
      { numRuns: 60 },
    );
  });
});

describe('finalAt', () => {
  it('gives the final state of a prefix with the steps of the whole scenario', () => {
    fc.assert(
      fc.property(scenarioArb, fc.nat(), (scenario, cut) => {
        const full = simulate(scenario);
        if (!full.ok) return;
        const at = scenario.events.length ? cut % (scenario.events.length + 1) : 0;
        const prefix = simulate(scenario, { upTo: at });
        const viewed = simulate(scenario, { finalAt: at });
        if (!prefix.ok || !viewed.ok) throw new Error('failed');
        expect(viewed.result.steps).toEqual(full.result.steps);
        expect(viewed.result.final).toEqual(prefix.result.final);
      }),
      { numRuns: 40 },
    );
  });
});
