/** URL sync against a fake location, history and window: what is pushed, replaced, applied and flushed. */
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import type { ScenarioInput } from '../engine/scenario/schema.ts';
import { fakeWorker } from '../worker/fake-worker.fixtures.ts';
import { DEFAULT_SCENARIO } from './default-scenario.ts';
import { setKernel } from './scenario-edit.ts';
import { createAppStore } from './store.ts';
import { encodeShareFragment } from './url-codec.ts';
import { flushUrl, startingPoint, syncUrl } from './url-sync.ts';
import { loadValidator } from './validation.ts';
import { DEFAULT_VIEW } from './view.ts';

const other: ScenarioInput = {
  version: 1,
  title: 'another machine',
  events: [{ op: 'add', size: '1G' }, { op: 'online' }],
};
const linkOf = (scenario: ScenarioInput, step = -1) =>
  encodeShareFragment(scenario, { ...DEFAULT_VIEW, step });

function browser(hash = '') {
  const events = new EventTarget();
  const location = {
    pathname: '/app/',
    search: '',
    hash,
    get href() {
      return `http://127.0.0.1:4173/app/${this.hash}`;
    },
  };
  const entries: { kind: 'push' | 'replace'; hash: string }[] = [];
  const write = (kind: 'push' | 'replace') => (_state: unknown, _title: string, url: string) => {
    expect(url.startsWith('/app/#s=2.')).toBe(true);
    location.hash = url.slice(url.indexOf('#'));
    entries.push({ kind, hash: location.hash });
  };
  const history = { pushState: write('push'), replaceState: write('replace') };
  const store = createAppStore({ createWorker: () => fakeWorker({ autoReady: true }).worker });
  const real = store.getState().load;
  const load = vi.fn(real);
  store.setState({ load });
  const stop = syncUrl(store, {
    location: location as unknown as Location,
    history: history as unknown as History,
    events,
    debounceMs: 5,
  });
  stops.push(stop);
  /** A navigation as Chromium reports it: popstate, then hashchange (a task later), for one entry. */
  const navigate = async (next: string) => {
    location.hash = next;
    events.dispatchEvent(new Event('popstate'));
    await wait(10);
    events.dispatchEvent(new Event('hashchange'));
  };
  return { store, location, entries, load, navigate };
}

const stops: (() => void)[] = [];
// The validator loads once per page; loading it here keeps the waits below short and fixed.
beforeAll(() => loadValidator());
afterEach(() => stops.splice(0).forEach((stop) => stop()));
const wait = (ms = 30) => new Promise((resolve) => setTimeout(resolve, ms));

describe('url sync', () => {
  it('pushes an entry for a scenario or step change and replaces it for a view change', async () => {
    const b = browser();
    b.store.getState().edit((s) => setKernel(s, { memmapOnMemory: 'off' }));
    await wait();
    b.store.getState().setView({ gigantic: true });
    await wait();
    b.store.getState().setStep(1);
    await wait();
    expect(b.entries.map((entry) => entry.kind)).toEqual(['push', 'replace', 'push']);
    expect(b.location.hash).toBe(currentLink(b.store));
  });

  it('merges a burst of changes into one entry', async () => {
    const b = browser();
    b.store.getState().edit((s) => setKernel(s, { memmapOnMemory: 'off' }));
    b.store.getState().setView({ gigantic: true });
    b.store.getState().edit((s) => setKernel(s, { movableNode: true }));
    await wait();
    expect(b.entries.map((entry) => entry.kind)).toEqual(['push']);
  });

  it('applies each navigation once, and records nothing for it', async () => {
    const b = browser();
    const link = linkOf(other);
    const navigating = b.navigate(link);
    // From the first event on, nothing may take the old result for the link's.
    expect(b.store.getState().sim.status).toBe('running');
    await navigating;
    await b.navigate(link);
    await wait();
    expect(b.load).toHaveBeenCalledTimes(1);
    expect(b.store.getState().scenario).toEqual(other);
    expect(b.store.getState().view.step).toBe(2);
    expect(b.entries).toEqual([]);
    expect(b.location.hash).toBe(link);
  });

  it('back after an edit opens what the entry held', async () => {
    const b = browser(linkOf(DEFAULT_SCENARIO));
    const before = b.location.hash;
    b.store.getState().edit((s) => setKernel(s, { memmapOnMemory: 'off' }));
    await wait();
    expect(b.entries).toHaveLength(1);
    await b.navigate(before);
    await wait();
    expect(b.store.getState().scenario).toEqual(DEFAULT_SCENARIO);
    expect(b.entries).toHaveLength(1);
  });

  it('a bad link navigated to raises an alert and opens the default', async () => {
    const b = browser(linkOf(other));
    await b.navigate('#s=2.notdeflate');
    await wait();
    expect(b.store.getState().alerts.at(-1)?.title).toBe('This link could not be opened');
    expect(b.store.getState().scenario).toBe(DEFAULT_SCENARIO);
  });

  it('copy link writes a pending change at once, as the push it would have been', () => {
    const b = browser();
    b.store.getState().edit((s) => setKernel(s, { memmapOnMemory: 'off' }));
    expect(b.entries).toEqual([]);
    const href = flushUrl(b.location as unknown as Location);
    expect(b.entries.map((entry) => entry.kind)).toEqual(['push']);
    expect(href).toBe(`http://127.0.0.1:4173/app/${currentLink(b.store)}`);
  });
});

function currentLink(store: ReturnType<typeof browser>['store']) {
  const { scenario, view } = store.getState();
  return encodeShareFragment(scenario, view);
}

describe('starting point', () => {
  it('a bare address opens the default scenario, with nothing to report', async () => {
    expect(await startingPoint('')).toEqual({ scenario: DEFAULT_SCENARIO });
  });

  it('a link opens its scenario and view; what it got wrong is reported, not fatal', async () => {
    const start = await startingPoint(linkOf(other, 9));
    expect(start.scenario).toEqual(other);
    expect(start.view?.step).toBe(2);
    expect(start.problem?.title).toBe('Parts of this link were ignored');
  });

  it('a link the engine cannot simulate falls back to the last good scenario, naming the field', async () => {
    const start = await startingPoint(linkOf({ version: 1, arch: 'vax' } as never), other);
    expect(start.scenario).toBe(other);
    expect(start.problem).toMatchObject({
      title: 'This link describes a machine the engine cannot simulate',
    });
    expect(start.problem?.details[0]).toMatch(/^arch: /);
    expect(start.problem?.details.at(-1)).toBe('Showing your last scenario instead.');
  });
});
