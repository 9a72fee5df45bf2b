import { describe, expect, it } from 'vitest';
import { isFromWorker } from './protocol.ts';

describe('isFromWorker', () => {
  it('accepts the protocol messages', () => {
    expect(isFromWorker({ type: 'ready', protocol: 1, engineVersion: 'x' })).toBe(true);
    expect(isFromWorker({ type: 'pong', seq: 3 })).toBe(true);
  });
  it('rejects anything else instead of throwing', () => {
    for (const value of [null, undefined, 3, 'ready', {}, { type: 'hello' }, { type: 42 }]) {
      expect(isFromWorker(value)).toBe(false);
    }
  });
});
