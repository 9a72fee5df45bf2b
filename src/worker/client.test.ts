/** The page's end of the worker: handshake, version check, crash and protocol breaches, each reported once. */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { WorkerClient } from './client.ts';
import { fakeWorker, settle } from './fake-worker.fixtures.ts';
import { PROTOCOL_VERSION, type FromWorker } from './protocol.ts';

function open(fake = fakeWorker(), handshakeTimeoutMs?: number) {
  const failures: string[] = [];
  const messages: FromWorker[] = [];
  const client = new WorkerClient({
    createWorker: () => fake.worker,
    onFailure: (reason) => failures.push(reason),
    onMessage: (message) => messages.push(message),
    ...(handshakeTimeoutMs !== undefined ? { handshakeTimeoutMs } : {}),
  });
  let outcome: string | null = null;
  client.ready.then(
    ({ engineVersion }) => (outcome = `ready ${engineVersion}`),
    (error: Error) => (outcome = `rejected ${error.message}`),
  );
  return { fake, client, failures, messages, outcome: () => outcome };
}

afterEach(() => vi.useRealTimers());

describe('worker client', () => {
  it('says hello in its protocol and is ready when the worker answers in the same one', async () => {
    const page = open();
    expect(page.fake.posted).toEqual([{ type: 'hello', protocol: PROTOCOL_VERSION }]);
    page.fake.handshake(PROTOCOL_VERSION, '9.9.9');
    await settle();
    expect(page.outcome()).toBe('ready 9.9.9');
    expect(page.failures).toEqual([]);
  });

  it('refuses a worker of another protocol version, naming both', async () => {
    const page = open();
    page.fake.handshake(PROTOCOL_VERSION + 1);
    await settle();
    expect(page.failures).toEqual([
      `the simulation worker speaks protocol v${PROTOCOL_VERSION + 1}, the page v${PROTOCOL_VERSION}`,
    ]);
    expect(page.outcome()).toMatch(/^rejected .*protocol/);
    expect(page.fake.terminated).toBe(true);
  });

  it('reports a crash once, with its message, and stops posting', async () => {
    const page = open();
    page.fake.handshake();
    await settle();
    page.fake.crash('out of memory');
    page.fake.crash('again');
    expect(page.failures).toEqual(['the simulation worker crashed: out of memory']);
    expect(page.fake.terminated).toBe(true);
    page.client.post({ type: 'simulate', seq: 1, scenario: {} });
    expect(page.fake.posted).toHaveLength(1);
  });

  it('treats a message outside the protocol as a failure, not as data', async () => {
    const page = open();
    page.fake.handshake();
    await settle();
    page.fake.send({ type: 'pong', seq: 1 });
    expect(page.failures).toEqual(['the simulation worker sent a message outside the protocol']);
    expect(page.messages).toEqual([]);
  });

  it('hands every other message to the store and reports a fatal one', async () => {
    const page = open();
    page.fake.handshake();
    await settle();
    page.fake.send({ type: 'failed', seq: 4, message: 'no' });
    expect(page.messages).toEqual([{ type: 'failed', seq: 4, message: 'no' }]);
    page.fake.send({ type: 'fatal', message: 'stack overflow' });
    expect(page.failures).toEqual(['the simulation worker stopped: stack overflow']);
  });

  it('gives up on a worker that never answers its handshake', async () => {
    vi.useFakeTimers();
    const page = open(fakeWorker(), 500);
    await vi.advanceTimersByTimeAsync(499);
    expect(page.failures).toEqual([]);
    await vi.advanceTimersByTimeAsync(1);
    expect(page.failures).toEqual(['the simulation worker did not answer its handshake']);
    expect(page.outcome()).toMatch(/^rejected/);
  });

  it('reports a worker that cannot start', async () => {
    const failures: string[] = [];
    const client = new WorkerClient({
      createWorker: () => {
        throw new Error('blocked by policy');
      },
      onFailure: (reason) => failures.push(reason),
      onMessage: () => undefined,
    });
    await expect(client.ready).rejects.toThrow(/could not start/);
    expect(failures).toEqual(['the simulation worker could not start (Error: blocked by policy)']);
  });

  it('kill ends the worker as a crash would', async () => {
    const page = open();
    page.fake.handshake();
    await settle();
    page.client.kill('stopped by a test');
    expect(page.failures).toEqual(['stopped by a test']);
    expect(page.fake.terminated).toBe(true);
  });
});
