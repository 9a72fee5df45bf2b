import { describe, expect, it } from 'vitest';
import { handle } from './handle.ts';
import { PROTOCOL_VERSION, isFromWorker, type FromWorker } from './protocol.ts';

function collect(message: Parameters<typeof handle>[0]) {
  const sent: { message: FromWorker; transfer: Transferable[] }[] = [];
  handle(message, (m, transfer = []) => sent.push({ message: m, transfer }));
  return sent;
}

describe('worker handler', () => {
  it('answers the handshake with its protocol and refuses another', () => {
    expect(collect({ type: 'hello', protocol: PROTOCOL_VERSION })[0]!.message.type).toBe('ready');
    expect(collect({ type: 'hello', protocol: 99 })[0]!.message).toMatchObject({ type: 'fatal' });
  });

  it('returns a result whose bulk runs are typed arrays in the transfer list', () => {
    const [sent] = collect({
      type: 'simulate',
      seq: 7,
      scenario: { version: 1, events: [{ op: 'add', size: '1G' }] },
    });
    expect(sent!.message.type).toBe('result');
    if (sent!.message.type !== 'result') return;
    expect(sent!.message.seq).toBe(7);
    expect(sent!.message.columns.blocks.start).toBeInstanceOf(Float64Array);
    expect(sent!.transfer.length).toBeGreaterThan(10);
    expect('blocks' in sent!.message.result.final).toBe(false);
    expect(sent!.message.result.final.summary.memmapTotalBytes).toBe(16 * 1024 ** 2);
  });

  it('answers invalid scenarios with field errors, echoing the sequence number', () => {
    const [sent] = collect({ type: 'simulate', seq: 3, scenario: { version: 1, arch: 'vax' } });
    expect(sent!.message).toMatchObject({ type: 'invalid', seq: 3 });
  });

  it('recognises only protocol messages', () => {
    expect(isFromWorker({ type: 'result', seq: 1 })).toBe(true);
    for (const value of [null, undefined, 3, 'ready', {}, { type: 'hello' }, { type: 42 }])
      expect(isFromWorker(value)).toBe(false);
  });
});
