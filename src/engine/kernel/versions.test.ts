/**
 * The version table itself (parsing, eras, the list of rules) and how a scenario's
 * `kernelVersion` is validated and resolved. The behaviour of each rule on both sides of its
 * version is tested in ../rules-*.test.ts; the list of rule ids below makes a new rule without
 * such a test visible here.
 */
import { describe, expect, it } from 'vitest';
import { simulate } from '../simulate.ts';
import { run, step } from '../testing.ts';
import {
  ERA_VERSION,
  LTS,
  NEWEST,
  NEWEST_READ,
  OLDEST,
  RULES,
  atLeast,
  eraOf,
  has,
  notableVersions,
  parseVersion,
  versionText,
} from './versions.ts';
import type { Era } from '../arch.ts';

const v = (text: string) => {
  const version = parseVersion(text);
  if (!version) throw new Error(`test version ${text} does not parse`);
  return version;
};

const errorsOf = (input: unknown) => {
  const outcome = simulate(input);
  if (outcome.ok) throw new Error('expected the scenario to be refused');
  return outcome.errors;
};

describe('parseVersion', () => {
  it('reads "major.minor" from 4.13 to the newest release', () => {
    expect(parseVersion('4.13')).toEqual({ major: 4, minor: 13 });
    expect(parseVersion('6.12')).toEqual({ major: 6, minor: 12 });
    expect(parseVersion(' 6.1 ')).toEqual({ major: 6, minor: 1 });
    expect(parseVersion(NEWEST)).not.toBeNull();
    expect(versionText(v('5.19'))).toBe('5.19');
  });

  it('refuses what no release was: before 4.13, past a major line, past mainline, other shapes', () => {
    for (const text of [
      '4.12',
      '3.19',
      '4.21',
      '5.20',
      '6.20',
      '7.5',
      '8.0',
      '6',
      '6.1.2',
      'v6.1',
      '6.x',
      '',
    ])
      expect(parseVersion(text), text).toBeNull();
  });

  it('orders versions numerically, not as text (6.9 < 6.10)', () => {
    expect(atLeast(v('6.10'), '6.9')).toBe(true);
    expect(atLeast(v('6.9'), '6.10')).toBe(false);
    expect(atLeast(v('5.0'), '4.20')).toBe(true);
  });
});

describe('eras and versions', () => {
  it('each version falls in the era the explorer always had', () => {
    const rows: [string, Era][] = [
      ['4.13', 'LEGACY'],
      ['5.12', 'LEGACY'],
      ['5.13', 'U1'],
      ['6.5', 'U1'],
      ['6.6', 'U2'],
      ['6.7', 'U2'],
      ['6.8', 'U3'],
      ['6.12', 'U3'],
      [NEWEST, 'U3'],
    ];
    for (const [text, era] of rows) expect(eraOf(v(text)), text).toBe(era);
  });

  it('the version an era stands for lies inside that era; the RFC eras are 4.13', () => {
    for (const era of ['LEGACY', 'U1', 'U2', 'U3'] as const)
      expect(eraOf(v(ERA_VERSION[era]))).toBe(era);
    expect(ERA_VERSION.RFC1).toBe(OLDEST);
    expect(ERA_VERSION.RFC2).toBe(OLDEST);
    // The recorded kernels: Debian's 6.12 (U3) and 6.1 (U1).
    expect(ERA_VERSION.U3).toBe('6.12');
    expect(ERA_VERSION.U1).toBe('6.1');
  });
});

describe('RULES', () => {
  it('lists exactly the rules the rules-*.test.ts files check on both sides', () => {
    expect(Object.keys(RULES).sort()).toEqual(
      [
        'arm64Hotplug',
        'arm64SmallSections',
        'autoMovable',
        'daxMemmapKnob',
        'daxVmemmapDedup',
        'daxDedupGated',
        'hvo',
        'hvoWithMemmapOnMemory',
        'kmem',
        'kmemMemmapOnMemory',
        'memmapOnMemory',
        'memmapOnMemoryForce',
        'memmapOnMemorySplit',
        'offnodeWarnOnce',
        'ppc64DaxDedup',
        'ppc64MemmapOnMemory',
        'riscvHotplug',
        's390MemmapOnMemory',
        's390SmallSections',
        'virtioMem',
        'x86BlockBareMetalMax',
        'x86BlockEndAligned',
        'zoneDeviceSpanKept',
      ].sort(),
    );
  });

  it('every rule has a version inside the model, a commit or evidence, and a description', () => {
    for (const [id, rule] of Object.entries(RULES)) {
      const since = parseVersion(rule.since);
      expect(since, id).not.toBeNull();
      expect(atLeast(since!, OLDEST), id).toBe(true);
      expect(atLeast(v(NEWEST_READ), rule.since), `${id} is newer than the newest tree read`).toBe(
        true,
      );
      expect(rule.commit.length, id).toBeGreaterThan(10);
      expect(rule.what.length, id).toBeGreaterThan(10);
    }
  });

  it('has() is false one release before a rule and true from it', () => {
    expect(has(v('6.5'), 'memmapOnMemoryForce')).toBe(false);
    expect(has(v('6.6'), 'memmapOnMemoryForce')).toBe(true);
    expect(has(v('4.20'), 'arm64Hotplug')).toBe(false);
    expect(has(v('5.0'), 'arm64Hotplug')).toBe(true);
  });

  it('the versions worth offering: the oldest, each LTS, each rule change, sorted and unique', () => {
    const list = notableVersions();
    expect(new Set(list).size).toBe(list.length);
    const order = list.map((text) => v(text).major * 100 + v(text).minor);
    expect([...order].sort((a, b) => a - b)).toEqual(order);
    expect(list[0]).toBe(OLDEST);
    for (const text of [...LTS, NEWEST_READ, ...Object.values(RULES).map((rule) => rule.since)])
      expect(list, text).toContain(text);
  });
});

describe('scenario.kernelVersion', () => {
  it('outside 4.13 … mainline, or not "major.minor", is an error on the field', () => {
    for (const kernelVersion of ['4.12', '5.20', '7.5', '6', '6.1.2']) {
      const errors = errorsOf({ version: 1, kernelVersion });
      expect(errors).toHaveLength(1);
      expect(errors[0]!.path).toBe('kernelVersion');
      expect(errors[0]!.message).toContain(JSON.stringify(kernelVersion));
      expect(errors[0]!.message).toContain(`${OLDEST} to ${NEWEST}`);
    }
    expect(errorsOf({ version: 1, kernelVersion: 612 })[0]!.path).toBe('kernelVersion');
  });

  it('an era that disagrees is an error naming both', () => {
    const errors = errorsOf({ version: 1, kernelVersion: '6.12', era: 'U1' });
    expect(errors).toHaveLength(1);
    expect(errors[0]!.path).toBe('era');
    expect(errors[0]!.message).toContain('U1');
    expect(errors[0]!.message).toContain('6.12');
    expect(errors[0]!.message).toContain('U3');
    expect(errorsOf({ version: 1, kernelVersion: '6.5', era: 'U2' })[0]!.message).toContain('U1');
  });

  it('an era that agrees is accepted; without one the era is derived from the version', () => {
    const rows: [string, Era][] = [
      ['4.13', 'LEGACY'],
      ['5.12', 'LEGACY'],
      ['6.1', 'U1'],
      ['6.6', 'U2'],
      ['6.12', 'U3'],
    ];
    for (const [kernelVersion, era] of rows) {
      const derived = run({ version: 1, kernelVersion }).resolved;
      expect(derived.era, kernelVersion).toBe(era);
      expect(derived.kernelVersion).toBe(kernelVersion);
      expect(run({ version: 1, kernelVersion, era }).resolved.era).toBe(era);
    }
  });

  it('RFC1 and RFC2 stay eras: with 4.13 they apply, with any other version they are refused', () => {
    for (const era of ['RFC1', 'RFC2']) {
      const result = run({
        version: 1,
        era,
        kernelVersion: '4.13',
        events: [{ op: 'add', start: '4G', size: '1G' }],
      });
      expect(result.resolved.era).toBe(era);
      expect(result.resolved.kernelVersion).toBe('4.13');
      // The RFC's plan, not 4.13's: the memmap packed at the start of the request.
      expect(step(result, 0).placement).toBe('self-per-request');
      const errors = errorsOf({ version: 1, era, kernelVersion: '6.1' });
      expect(errors[0]!.path).toBe('era');
      expect(errors[0]!.message).toContain(era);
      expect(errors[0]!.message).toContain('6.1');
    }
  });

  it('plain 4.13 is the mainline kernel of then: the memmap comes from RAM', () => {
    const add = step(
      run({ version: 1, kernelVersion: '4.13', events: [{ op: 'add', start: '4G', size: '1G' }] }),
      0,
    );
    expect(add.placement).toBe('ram');
    expect(add.memmapFromRamBytes).toBe(16 * 1024 ** 2);
  });

  it('without a version the era names its representative kernel', () => {
    expect(run({ version: 1 }).resolved.kernelVersion).toBe('6.12');
    expect(run({ version: 1, era: 'U1' }).resolved.kernelVersion).toBe('6.1');
    expect(run({ version: 1, era: 'U2' }).resolved.kernelVersion).toBe('6.6');
    expect(run({ version: 1, era: 'LEGACY' }).resolved.kernelVersion).toBe('5.12');
    expect(run({ version: 1, era: 'RFC2' }).resolved.kernelVersion).toBe('4.13');
  });
});
