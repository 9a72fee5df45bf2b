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
    const { a, b } = sent!.message;
    expect(a.columns.blocks.start).toBeInstanceOf(Float64Array);
    expect(sent!.transfer.length).toBeGreaterThan(10);
    expect('blocks' in a.result.final).toBe(false);
    expect(a.result.final.summary.memmapTotalBytes).toBe(16 * 1024 ** 2);
    // The scenario as the engine read it, defaults filled in; no B outside compare mode.
    expect(a.scenario.kernel.memmapOnMemory).toBe('off');
    expect(a.scenario.arch).toBe('x86_64');
    expect(b).toBeUndefined();
    expect(a.result.views).toBeUndefined();
  });

  it('hands out its catalog at the handshake', () => {
    const [ready] = collect({ type: 'hello', protocol: PROTOCOL_VERSION });
    if (ready!.message.type !== 'ready') throw new Error('no ready');
    const { catalog } = ready!.message;
    expect(catalog.arches.find((arch) => arch.id === 'arm64-64k')?.hugePageSizes).toContain(
      512 * 1024 ** 2,
    );
    expect(catalog.kernels.map((kernel) => kernel.value)).toEqual(
      expect.arrayContaining(['RFC1', 'RFC2', '5.13', '6.1', '6.12']),
    );
    expect(catalog.kernels.find((k) => k.value === '6.6')).toMatchObject({ era: 'U2' });
    expect(catalog.strategies.map((s) => s.kind)).toContain('node-hosts');
    expect(catalog.views.map((v) => v.tab)).toContain('/sys/devices/system/memory');
  });

  it('simulates B beside A in compare mode and marks the cells that differ', () => {
    const scenario = (memmapOnMemory: string) => ({
      version: 1,
      kernel: { memmapOnMemory },
      events: [{ op: 'add', start: '4G', size: '2G' }, { op: 'online' }],
    });
    const [sent] = collect({
      type: 'simulate',
      seq: 9,
      scenario: scenario('off'),
      compare: scenario('on'),
    });
    if (sent!.message.type !== 'result') throw new Error(sent!.message.type);
    const { a, b } = sent!.message;
    expect(a.result.final.summary.memmapSelfHostedBytes).toBe(0);
    expect(b!.result.final.summary.memmapSelfHostedBytes).toBe(32 * 1024 ** 2);
    expect(b!.diff!.rowsDiffering).toBeGreaterThan(0);
    expect(sent!.transfer).toContain(b!.diff!.masks.buffer);
  });

  it('names the side a refused compare scenario is on', () => {
    const [sent] = collect({
      type: 'simulate',
      seq: 4,
      scenario: { version: 1 },
      compare: { version: 1, arch: 'vax' },
    });
    expect(sent!.message).toMatchObject({ type: 'invalid', seq: 4, side: 'b' });
  });

  it('reads the kernel views when asked', () => {
    const [sent] = collect({
      type: 'simulate',
      seq: 5,
      scenario: { version: 1, events: [{ op: 'add', start: '4G', size: '1G' }] },
      options: { views: true },
    });
    if (sent!.message.type !== 'result') throw new Error(sent!.message.type);
    expect(sent!.message.a.result.views?.lsmem.text).toMatch(/Memory block size:/);
  });

  it('exports the whole result as JSON', () => {
    const [sent] = collect({ type: 'export', seq: 6, scenario: { version: 1 } });
    if (sent!.message.type !== 'exported') throw new Error(sent!.message.type);
    const result = JSON.parse(sent!.message.json);
    expect(result.final.blocks).toBeDefined();
    expect(result.resolved.arch).toBe('x86_64');
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
