/**
 * The demos' results against the recorded fingerprints (test/fingerprints.json): a result that
 * changes without an ENGINE_VERSION bump fails here, naming the demo and what to do.
 */
import { describe, expect, it } from 'vitest';
import {
  currentFingerprints,
  engineProblems,
  readFingerprints,
} from '../../scripts/fingerprint.ts';

describe('engine version', () => {
  const now = currentFingerprints();

  it('every demo gives the result recorded for ENGINE_VERSION', () => {
    const problems = engineProblems(readFingerprints(), now);
    expect(problems.map((problem) => problem.text).join('\n')).toBe('');
  });

  it('a changed result needs a bump; a new or edited demo only recording', () => {
    const [id, demo] = Object.entries(now.engine.demos)[0]!;
    const withResult = (result: string) => ({
      ...now,
      engine: { ...now.engine, demos: { ...now.engine.demos, [id]: { ...demo, result } } },
    });
    expect(engineProblems(withResult('old'), now)).toEqual([
      expect.objectContaining({ bump: true, text: expect.stringContaining(`demo ${id}`) }),
    ]);
    const bumped = {
      ...withResult('old'),
      engine: { ...withResult('old').engine, version: '0.0.1' },
    };
    expect(engineProblems(bumped, now).every((problem) => !problem.bump)).toBe(true);
    const edited = {
      ...now,
      engine: { ...now.engine, demos: { ...now.engine.demos, [id]: { ...demo, scenario: 'x' } } },
    };
    expect(engineProblems(edited, now)).toEqual([
      expect.objectContaining({ bump: false, text: expect.stringMatching(/new or was edited/) }),
    ]);
  });
});
