/** The store's way to the worker, against a fake worker: coalescing, stale answers, timeouts, restarts. */
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { ScenarioInput } from '../engine/scenario/schema.ts';
import {
  TEST_CATALOG,
  fakeWorker,
  settle,
  type FakeWorker,
} from '../worker/fake-worker.fixtures.ts';
import { createScheduler, type Answer, type SimRequest, type WorkerStatus } from './scheduler.ts';

const scenario = (title: string): ScenarioInput => ({ version: 1, title });
const result = (seq: number) => ({
  type: 'result' as const,
  seq,
  a: { result: { marker: seq }, columns: {}, scenario: {} } as never,
  ms: 1,
});

function harness(requestTimeoutMs = 20_000) {
  const workers: FakeWorker[] = [];
  const statuses: WorkerStatus[] = [];
  const answers: { answer: Answer; request: SimRequest }[] = [];
  let state: SimRequest = { scenario: scenario('first'), at: 0 };
  const scheduler = createScheduler({
    current: () => state,
    onWorker: (status) => statuses.push(status),
    onAnswer: (answer, request) => answers.push({ answer, request }),
    createWorker: () => {
      const fake = fakeWorker();
      workers.push(fake);
      return fake.worker;
    },
    requestTimeoutMs,
  });
  const worker = () => workers[workers.length - 1]!;
  return {
    scheduler,
    workers,
    worker,
    statuses,
    answers,
    /** Changes the state and tells the scheduler, as the store does. */
    change: (title: string, at = 0) => {
      state = { scenario: scenario(title), at };
      scheduler.request();
    },
    titles: () =>
      worker()
        .simulations()
        .map((message) => (message.scenario as ScenarioInput).title),
    ready: async () => {
      worker().handshake();
      await settle();
    },
  };
}

afterEach(() => vi.useRealTimers());

describe('scheduler', () => {
  it('sends nothing before the handshake, then the state as it is when the worker is ready', async () => {
    const h = harness();
    h.change('edited before ready');
    expect(h.titles()).toEqual([]);
    await h.ready();
    expect(h.statuses).toEqual([
      { kind: 'starting' },
      { kind: 'ready', engineVersion: 'test', catalog: TEST_CATALOG },
    ]);
    expect(h.titles()).toEqual(['edited before ready']);
  });

  it('coalesces: while one request is in flight only the newest change is sent after it', async () => {
    const h = harness();
    await h.ready();
    h.change('a');
    h.change('b');
    h.change('c');
    expect(h.titles()).toEqual(['first']);
    const [first] = h.worker().simulations();
    h.worker().send(result(first!.seq));
    expect(h.titles()).toEqual(['first', 'c']);
    // The answer to 'first' described a state that had changed: it was not delivered.
    expect(h.answers).toEqual([]);
    h.worker().send(result(h.worker().simulations()[1]!.seq));
    expect(h.answers.map(({ request }) => request.scenario.title)).toEqual(['c']);
  });

  it('drops answers to anything but the request in flight', async () => {
    const h = harness();
    await h.ready();
    const seq = h.worker().simulations()[0]!.seq;
    h.worker().send(result(seq + 7));
    h.worker().send({ type: 'invalid', seq: seq - 1, side: 'a', errors: [] });
    expect(h.answers).toEqual([]);
    h.worker().send(result(seq));
    h.worker().send(result(seq));
    expect(h.answers).toHaveLength(1);
    expect(h.answers[0]!.answer).toMatchObject({ kind: 'result', a: { result: { marker: seq } } });
  });

  it('delivers a refusal or an engine failure with the request it answers', async () => {
    const h = harness();
    await h.ready();
    const errors = [{ path: 'arch', message: 'no' }];
    h.worker().send({ type: 'invalid', seq: h.worker().simulations()[0]!.seq, side: 'a', errors });
    h.change('broken', 2);
    h.worker().send({
      type: 'failed',
      seq: h.worker().simulations()[1]!.seq,
      side: 'a',
      message: 'bug',
    });
    expect(h.answers).toEqual([
      {
        answer: { kind: 'invalid', side: 'a', errors },
        request: { scenario: scenario('first'), at: 0 },
      },
      {
        answer: { kind: 'failed', side: 'a', message: 'bug' },
        request: { scenario: scenario('broken'), at: 2 },
      },
    ]);
  });

  it('ends a worker that does not answer in time and reports it; a late answer is ignored', async () => {
    vi.useFakeTimers();
    const h = harness(3_000);
    h.worker().handshake();
    await vi.advanceTimersByTimeAsync(0);
    const seq = h.worker().simulations()[0]!.seq;
    await vi.advanceTimersByTimeAsync(2_999);
    expect(h.worker().terminated).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    expect(h.worker().terminated).toBe(true);
    expect(h.statuses.at(-1)).toEqual({
      kind: 'failed',
      reason: 'the simulation worker did not answer within 3 s',
    });
    h.worker().send(result(seq));
    expect(h.answers).toEqual([]);
  });

  it('an answered request clears its timeout', async () => {
    vi.useFakeTimers();
    const h = harness(3_000);
    h.worker().handshake();
    await vi.advanceTimersByTimeAsync(0);
    h.worker().send(result(h.worker().simulations()[0]!.seq));
    await vi.advanceTimersByTimeAsync(10_000);
    expect(h.worker().terminated).toBe(false);
    expect(h.statuses.at(-1)).toEqual({
      kind: 'ready',
      engineVersion: 'test',
      catalog: TEST_CATALOG,
    });
  });

  it('restart keeps the scenario: a new worker is sent the current state, the old one is not heard', async () => {
    const h = harness();
    await h.ready();
    const old = h.worker();
    h.change('kept');
    h.scheduler.kill('stopped by a test');
    expect(h.statuses.at(-1)).toEqual({ kind: 'failed', reason: 'stopped by a test' });
    h.scheduler.restart();
    expect(h.workers).toHaveLength(2);
    expect(h.statuses.at(-1)).toEqual({ kind: 'starting' });
    await h.ready();
    expect(h.titles()).toEqual(['kept']);
    // Sequence numbers go on across workers, so no answer of the old one can pass for a new one.
    const seq = h.worker().simulations()[0]!.seq;
    expect(seq).toBeGreaterThan(old.simulations()[0]!.seq);
    old.send(result(seq));
    expect(h.answers).toEqual([]);
    h.worker().send(result(seq));
    expect(h.answers.map(({ request }) => request.scenario.title)).toEqual(['kept']);
  });

  it('a crash while a request is in flight leaves nothing waiting: the restart sends afresh', async () => {
    const h = harness();
    await h.ready();
    h.change('pending');
    h.worker().crash('segfault');
    expect(h.statuses.at(-1)).toEqual({
      kind: 'failed',
      reason: 'the simulation worker crashed: segfault',
    });
    h.scheduler.restart();
    await h.ready();
    expect(h.titles()).toEqual(['pending']);
    h.change('next');
    expect(h.titles()).toEqual(['pending']);
  });
});

describe('exports', () => {
  it('go beside the request in flight and come back by their own number', async () => {
    const h = harness();
    await h.ready();
    const exported = h.scheduler.exportResult(scenario('x'), 1);
    const request = h.worker().posted.at(-1) as { type: string; seq: number };
    expect(request).toMatchObject({ type: 'export', scenario: scenario('x'), at: 1 });
    // The simulation in flight is still the one in flight.
    expect(h.scheduler.busy()).toBe(true);
    h.worker().send({ type: 'exported', seq: request.seq, json: '{"ok":1}' });
    await expect(exported).resolves.toBe('{"ok":1}');
    expect(h.answers).toEqual([]);
  });

  it('are refused when the worker dies', async () => {
    const h = harness();
    await h.ready();
    const exported = h.scheduler.exportResult(scenario('x'), 1);
    h.worker().crash('gone');
    await expect(exported).rejects.toThrow(/crashed: gone/);
  });
});
