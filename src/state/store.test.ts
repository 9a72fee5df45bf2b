/** The store over a fake worker: what it validates, what it rolls back, what survives a restart. */
import { describe, expect, it } from 'vitest';
import type { ScenarioInput } from '../engine/scenario/schema.ts';
import {
  TEST_CATALOG,
  fakeWorker,
  settle,
  type FakeWorker,
} from '../worker/fake-worker.fixtures.ts';
import { DEFAULT_SCENARIO } from './default-scenario.ts';
import { setKernel } from './scenario-edit.ts';
import { createAppStore } from './store.ts';

function harness() {
  const workers: FakeWorker[] = [];
  const accepted: ScenarioInput[] = [];
  const store = createAppStore({
    createWorker: () => {
      const fake = fakeWorker({ autoReady: true });
      workers.push(fake);
      return fake.worker;
    },
    onAccepted: (scenario) => accepted.push(scenario),
  });
  const worker = () => workers[workers.length - 1]!;
  const lastRequest = () => worker().simulations().at(-1)!;
  const side = (marker: string) => ({ result: { marker }, columns: {}, scenario: {} }) as never;
  const answer = (b?: string) =>
    worker().send({
      type: 'result',
      seq: lastRequest().seq,
      a: side('a'),
      ...(b ? { b: { ...(side(b) as object), diff: null } } : {}),
      ms: 2,
    });
  return { store, workers, worker, accepted, lastRequest, answer };
}

describe('store', () => {
  it('simulates its scenario at the last step once the worker is ready', async () => {
    const h = harness();
    await settle();
    expect(h.store.getState().worker).toEqual({
      kind: 'ready',
      engineVersion: 'test',
      catalog: TEST_CATALOG,
    });
    expect(h.lastRequest()).toMatchObject({ scenario: DEFAULT_SCENARIO, at: 3 });
    expect(h.store.getState().sim.status).toBe('running');
    h.answer();
    expect(h.store.getState().sim).toMatchObject({
      status: 'ok',
      scenario: DEFAULT_SCENARIO,
      at: 3,
    });
    expect(h.accepted).toEqual([DEFAULT_SCENARIO]);
  });

  it('rolls a refused edit back to the last scenario the engine accepted, with an alert', async () => {
    const h = harness();
    await settle();
    h.answer();
    h.store.getState().edit((s) => setKernel(s, { memmapOnMemory: 'bogus' as never }));
    expect(h.store.getState().scenario.kernel?.memmapOnMemory).toBe('bogus');
    h.worker().send({
      type: 'invalid',
      seq: h.lastRequest().seq,
      side: 'a',
      errors: [{ path: 'kernel.memmapOnMemory', message: 'not one of off, on, force' }],
    });
    const state = h.store.getState();
    expect(state.scenario).toBe(DEFAULT_SCENARIO);
    expect(state.alerts.at(-1)).toMatchObject({
      title: 'The engine refused that change',
      details: ['kernel.memmapOnMemory: not one of off, on, force'],
    });
    expect(state.sim).toMatchObject({ status: 'ok', scenario: DEFAULT_SCENARIO });
    expect(h.accepted).toEqual([DEFAULT_SCENARIO]);
    // The result shown is still the good scenario's: nothing more to ask.
    expect(h.worker().simulations()).toHaveLength(2);
  });

  it('load names what is wrong and changes nothing; a valid scenario replaces the current one', async () => {
    const h = harness();
    await settle();
    h.answer();
    const errors = await h.store.getState().load({ version: 1, arch: 'vax' });
    expect(errors.map((error) => error.path)).toEqual(['arch']);
    expect(h.store.getState().scenario).toBe(DEFAULT_SCENARIO);
    expect(h.worker().simulations()).toHaveLength(1);
    const next = { version: 1, events: [{ op: 'add', size: '1G' }] };
    expect(await h.store.getState().load(next, { view: { step: 0 } })).toEqual([]);
    expect(h.store.getState().scenario).toBe(next);
    expect(h.lastRequest()).toMatchObject({ scenario: next, at: 0 });
  });

  it('counts as running from the moment a load starts, and as settled again when it is refused', async () => {
    const h = harness();
    await settle();
    h.answer();
    const refused = h.store.getState().load({ version: 1, arch: 'vax' });
    expect(h.store.getState().sim.status).toBe('running');
    await refused;
    expect(h.store.getState().sim.status).toBe('ok');
    const accepted = h.store.getState().load({ version: 1, title: 'next' });
    expect(h.store.getState().sim.status).toBe('running');
    await accepted;
    expect(h.store.getState().sim.status).toBe('running');
    h.answer();
    expect(h.store.getState().sim).toMatchObject({ status: 'ok', scenario: { title: 'next' } });
  });

  it('loads apply in the order they were made', async () => {
    const h = harness();
    await settle();
    const first = { version: 1, title: 'first' };
    const second = { version: 1, title: 'second' };
    const loading = [h.store.getState().load(first), h.store.getState().load(second)];
    await Promise.all(loading);
    expect(h.store.getState().scenario).toBe(second);
  });

  it('a step change simulates again; a zoom does not', async () => {
    const h = harness();
    await settle();
    h.answer();
    h.store.getState().setView({ window: { start: 0, end: 2 ** 30 } });
    expect(h.worker().simulations()).toHaveLength(1);
    h.store.getState().setStep(1);
    expect(h.lastRequest()).toMatchObject({ at: 1 });
  });

  it('a dead worker keeps the scenario; restart simulates it again', async () => {
    const h = harness();
    await settle();
    h.answer();
    h.store.getState().edit((s) => setKernel(s, { memmapOnMemory: 'off' }));
    const edited = h.store.getState().scenario;
    h.store.getState().killWorkerForTest();
    expect(h.store.getState().worker).toEqual({
      kind: 'failed',
      reason: 'the simulation worker was stopped',
    });
    expect(h.store.getState().sim.status).toBe('ok');
    h.store.getState().restartWorker();
    await settle();
    expect(h.workers).toHaveLength(2);
    expect(h.store.getState().scenario).toBe(edited);
    expect(h.lastRequest()).toMatchObject({ scenario: edited });
  });

  it('compare mode forks B from A, edits B, simulates both in one request, and leaving keeps B', async () => {
    const h = harness();
    await settle();
    h.answer();
    h.store.getState().startCompare('memmap-on-memory');
    const { compare } = h.store.getState();
    expect(compare?.kernel?.memmapOnMemory).toBe('off');
    expect(h.store.getState().scenario).toBe(DEFAULT_SCENARIO);
    expect(h.lastRequest()).toMatchObject({ scenario: DEFAULT_SCENARIO, compare });
    h.answer('b');
    expect(h.store.getState().sim.b?.result).toEqual({ marker: 'b' });
    h.store.getState().setKernel({ movableNode: true });
    expect(h.store.getState().scenario).toBe(DEFAULT_SCENARIO);
    expect(h.store.getState().compare?.kernel).toMatchObject({
      movableNode: true,
      memmapOnMemory: 'off',
    });
    const b = h.store.getState().compare;
    h.store.getState().stopCompare();
    expect(h.store.getState()).toMatchObject({ compare: null, scenario: b });
    h.answer('b'); // the edit's answer: stale now, so the state without B goes out
    expect(h.lastRequest()).toMatchObject({ scenario: b });
    expect(h.lastRequest().compare).toBeUndefined();
  });

  it('a refused B rolls back B only, with an alert naming B', async () => {
    const h = harness();
    await settle();
    h.answer();
    h.store.getState().startCompare('same');
    h.answer('b');
    const good = h.store.getState().compare;
    h.store.getState().setKernel({ memmapOnMemory: 'bogus' as never });
    h.worker().send({
      type: 'invalid',
      seq: h.lastRequest().seq,
      side: 'b',
      errors: [{ path: 'kernel.memmapOnMemory', message: 'no' }],
    });
    const state = h.store.getState();
    expect(state.compare).toBe(good);
    expect(state.scenario).toBe(DEFAULT_SCENARIO);
    expect(state.alerts.at(-1)?.title).toBe('The engine refused that change (B)');
  });

  it('asks for the kernel views only while they are wanted', async () => {
    const h = harness();
    await settle();
    h.answer();
    expect(h.lastRequest().options).toBeUndefined();
    h.store.getState().setViewsWanted(true);
    expect(h.lastRequest().options).toEqual({ views: true });
  });
});
