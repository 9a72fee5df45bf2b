/**
 * The protocol's shapes against the recorded fingerprint (test/fingerprints.json): a message or
 * column change without a PROTOCOL_VERSION bump fails here, saying what to do.
 */
import { describe, expect, it } from 'vitest';
import {
  currentFingerprints,
  protocolProblems,
  protocolShapes,
  readFingerprints,
} from '../../scripts/fingerprint.ts';

describe('protocol fingerprint', () => {
  it('the message shapes and column codes are the ones recorded for PROTOCOL_VERSION', () => {
    const problems = protocolProblems(readFingerprints(), currentFingerprints());
    expect(problems.map((problem) => problem.text).join('\n')).toBe('');
  });

  it('sees through names and formatting to the structure', () => {
    const shapes = protocolShapes();
    expect(shapes).toMatch(/^ToWorker = .*"hello"/m);
    // Resolved down to the columns' typed arrays and the result's fields, not type names.
    expect(shapes).toMatch(/host: Uint8Array/);
    expect(shapes).toMatch(/memmapTotalBytes: number/);
    expect(shapes).not.toMatch(/LiteResult|MapColumns/);
  });

  it('asks for a bump when shapes change under the same version, and for recording after one', () => {
    const now = currentFingerprints();
    const changed = { ...now, protocol: { ...now.protocol, shapes: 'something else' } };
    expect(protocolProblems(changed, now)).toEqual([
      expect.objectContaining({ bump: true, text: expect.stringMatching(/bump it/) }),
    ]);
    const older = {
      ...changed,
      protocol: { ...changed.protocol, version: now.protocol.version - 1 },
    };
    expect(protocolProblems(older, now)).toEqual([
      expect.objectContaining({ bump: false, text: expect.stringMatching(/npm run fingerprint/) }),
    ]);
    expect(protocolProblems(now, now)).toEqual([]);
  });
});
