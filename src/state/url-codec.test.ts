/** Share links: round trips, every refusal with its message, view fields alone. */
import { describe, expect, it } from 'vitest';
import {
  decodeShareFragment,
  encodeShareFragment,
  MAX_FRAGMENT_LENGTH,
  MAX_INFLATED_BYTES,
  shareUrl,
} from './url-codec.ts';
import { decodeAndValidate } from './url-validate.ts';
import {
  GiB,
  busyView,
  expectOk,
  fragmentOf,
  messageOf,
  mixed,
  oracleScenarios,
  payloadOf,
  presets,
} from './url-codec.fixtures.ts';
import { DEFAULT_VIEW, type ViewState } from './view.ts';

describe('encodeShareFragment', () => {
  it('writes #s=2. and base64url of raw-deflated {s, v}, with only the non-default view fields', () => {
    const scenario = { version: 1, events: [] };
    const plain = encodeShareFragment(scenario, DEFAULT_VIEW);
    expect(plain).toMatch(/^#s=2\.[A-Za-z0-9_-]+$/);
    expect(payloadOf(plain)).toEqual({ s: scenario });
    const stepped = encodeShareFragment(scenario, { ...DEFAULT_VIEW, step: 2, table: true });
    expect(payloadOf(stepped)).toEqual({ s: scenario, v: { step: 2, table: true } });
    expect(payloadOf(encodeShareFragment(scenario, busyView))).toEqual({
      s: scenario,
      v: busyView,
    });
  });

  it('has the recorded real-kernel cases to share', () => {
    expect(oracleScenarios.map(([name]) => name)).toContain('movable-node1-mom');
  });

  it.each(presets)('keeps the preset %s well under 2,000 characters', (_name, scenario) => {
    // The view's step is one every preset reaches (some cases have two events).
    const view = { ...busyView, step: 1 };
    const fragment = encodeShareFragment(scenario, view);
    expect(fragment.length).toBeLessThan(2_000);
    const result = decodeAndValidate(fragment);
    if (result.kind !== 'ok') throw new Error(JSON.stringify(result));
    expect(result.source).toEqual(scenario);
    expect(result.view).toEqual(view);
    expect(result.warnings).toEqual([]);
  });

  it('refuses what no link could carry, instead of making a link that cannot be read', () => {
    expect(() => encodeShareFragment([], DEFAULT_VIEW)).toThrow(/scenario object/);
    expect(() => encodeShareFragment(null, DEFAULT_VIEW)).toThrow(/scenario object/);
    const hostile = { version: 1, x: JSON.parse('{"a":[{"__proto__":{}}]}') as unknown };
    expect(() => encodeShareFragment(hostile, DEFAULT_VIEW)).toThrow(/"__proto__"/);
    expect(() => encodeShareFragment({ x: { constructor: 1 } }, DEFAULT_VIEW)).toThrow(
      /"constructor"/,
    );
    // Compressible but too big once inflated, and incompressible past the fragment cap.
    expect(() => encodeShareFragment({ x: 'a'.repeat(MAX_INFLATED_BYTES) }, DEFAULT_VIEW)).toThrow(
      /too large for a link/,
    );
    const noise = Array.from({ length: 3000 }, (_, i) => ((i * 2654435761) >>> 0).toString(36));
    expect(() => encodeShareFragment({ x: noise }, DEFAULT_VIEW)).toThrow(/too large for a link/);
  });

  it('shareUrl joins a base URL and the fragment, replacing any old fragment', () => {
    const fragment = encodeShareFragment(mixed, busyView);
    expect(shareUrl('https://example.org/memmap/', mixed, busyView)).toBe(
      `https://example.org/memmap/${fragment}`,
    );
    expect(shareUrl('https://example.org/app?x=1#s=1.old', mixed, busyView)).toBe(
      `https://example.org/app?x=1${fragment}`,
    );
  });
});

describe('decodeShareFragment', () => {
  const fragment = encodeShareFragment(mixed, busyView);

  it('answers a non-string from untyped callers with an error, not a throw', () => {
    expect(decodeShareFragment(undefined as unknown as string).kind).toBe('error');
    expect(decodeAndValidate(42 as unknown as string).kind).toBe('error');
  });

  it('finds no share data in an empty fragment or one without s=', () => {
    for (const input of ['', '#', '#view=1', '#a=1&b=2', 'https://example.org/app', '#S=1.x'])
      expect(decodeShareFragment(input)).toEqual({ kind: 'empty' });
  });

  it('reads the fragment with or without "#", inside a whole URL, or beside other parameters', () => {
    for (const input of [fragment, fragment.slice(1), `https://h/p?q=1${fragment}`])
      expect(expectOk(decodeShareFragment(input)).scenario).toEqual(mixed);
    const other = expectOk(decodeShareFragment(`#theme=dark&${fragment.slice(1)}&z`));
    expect(other.view).toEqual(busyView);
  });

  it('returns a fresh view: changing it changes no default', () => {
    const { view } = expectOk(decodeShareFragment(encodeShareFragment(mixed, DEFAULT_VIEW)));
    expect(view).toEqual(DEFAULT_VIEW);
    view.step = 7;
    expect(DEFAULT_VIEW.step).toBe(-1);
  });

  it('refuses a fragment over 16,000 characters before reading it', () => {
    const long = `#s=2.${'A'.repeat(MAX_FRAGMENT_LENGTH)}`;
    expect(messageOf(long)).toBe('The link is too long (16,005 characters; at most 16,000)');
    expect(messageOf(`#x=${'%'.repeat(MAX_FRAGMENT_LENGTH)}`)).toMatch(/too long \(16,003/);
    expect(messageOf(`${'#'.repeat(MAX_FRAGMENT_LENGTH)}`)).toBe('(empty)');
  });

  it.each([
    [
      '#s=3.abcd',
      /^This link was made by a newer Memmap Explorer \(link format 3\); this version reads format 2$/,
    ],
    ['#s=17.', /newer Memmap Explorer \(link format 17\)/],
    ['#s=0.abcd', /damaged: link format 0 does not exist/],
    ['#s=abcd', /damaged: its data does not start with a link format \("s=2\."\)/],
    ['#s=1', /does not start with a link format/],
    ['#s=', /damaged: it has no data after "s="$/],
    ['#s=2.', /damaged: it has no data after "s=2\."$/],
    ['#s=2.ab%2Bcd', /damaged: its data holds the character "%", which a link never has/],
    ['#s=2.abc=', /holds the character "="/],
    ['#s=2.ab<script>', /holds the character "<"/],
    ['#s=2.abcde', /damaged: its data has an impossible length/],
    ['#s=2.AAAA', /^The link is truncated or damaged: its data could not be decompressed$/],
  ])('refuses %s with a message that names the problem', (input, message) => {
    expect(messageOf(input)).toMatch(message);
  });

  it('says a truncated or damaged link could not be decompressed', () => {
    expect(messageOf(fragment.slice(0, 5 + 40))).toBe(
      'The link is truncated or damaged: its data could not be decompressed',
    );
    // Raw deflate has no checksum: damage is caught when the stream or the JSON breaks.
    expect(messageOf(fragmentOf('{"s":{"version":1'))).toBe(
      'The link is truncated or damaged: its data is not valid JSON',
    );
    expect(messageOf(fragmentOf(Uint8Array.of(0x7b, 0xff, 0x7d)))).toMatch(/not valid JSON/);
  });

  it.each([
    ['[1,2]', 'it holds a list'],
    ['"text"', 'it holds the text "text"'],
    ['null', 'it holds null'],
    ['{"v":{"step":1}}', 'it holds no scenario'],
    ['{"s":[]}', 'the scenario is a list, not an object'],
    ['{"s":4096}', 'the scenario is 4096, not an object'],
    [
      '{"s":{"x":{"a":[{"__proto__":{"polluted":1}}]}}}',
      'it holds the forbidden field "__proto__"',
    ],
    ['{"s":{"events":[{"constructor":1}]}}', 'it holds the forbidden field "constructor"'],
    ['{"s":{},"v":{"prototype":true}}', 'it holds the forbidden field "prototype"'],
    [`{"s":{"x":${'['.repeat(65)}${']'.repeat(65)}}}`, 'it is nested too deeply'],
  ])('says data %s is not a scenario: %s', (json, detail) => {
    expect(messageOf(fragmentOf(json))).toBe(`The link's data is not a scenario: ${detail}`);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('reads nesting up to 64 levels, counting brackets inside strings as text', () => {
    const deep = `{"s":{"x":${'['.repeat(62)}"[[[[{{{{"${']'.repeat(62)}}}`;
    expect(expectOk(decodeShareFragment(fragmentOf(deep))).scenario).toEqual(
      (JSON.parse(deep) as { s: unknown }).s,
    );
  });

  it('does not validate the scenario itself: that is decodeAndValidate', () => {
    const result = expectOk(decodeShareFragment(fragmentOf('{"s":{"version":7,"bogus":1}}')));
    expect(result.scenario).toEqual({ version: 7, bogus: 1 });
  });

  it('warns once about parts and view fields it does not know, and keeps the rest', () => {
    const result = expectOk(
      decodeShareFragment(fragmentOf('{"s":{},"v":{"step":2,"zoom":3,"toString":1},"w":1}')),
    );
    expect(result.view).toEqual({ ...DEFAULT_VIEW, step: 2 });
    expect(result.warnings).toEqual([
      'The link has 1 unknown part(s), ignored: "w"',
      'The link has 2 unknown view field(s), ignored: "zoom", "toString"',
    ]);
  });
});

describe('view fields fail alone', () => {
  const good = { step: 4, window: { start: 0, end: 2 ** 53 }, selection: 0, gigantic: true };
  const expected: ViewState = { ...DEFAULT_VIEW, ...good, table: true };
  const bad: [keyof ViewState, unknown, RegExp][] = [
    ['step', -1, /^view\.step: -1 is not a whole number from 0; using the last step$/],
    ['step', 1.5, /view\.step: 1\.5 is not/],
    ['step', '3', /view\.step: the text "3" is not/],
    ['step', null, /view\.step: null is not/],
    ['step', 2 ** 53, /view\.step: 9007199254740992 is not/],
    ['window', { start: 5, end: 5 }, /^view\.window: an object is not .*; using the full view$/],
    ['window', { start: 9, end: 5 }, /view\.window/],
    ['window', { start: -1, end: 5 }, /view\.window/],
    ['window', { start: 0, end: 2 ** 53 + 2 }, /view\.window/],
    ['window', { start: '0', end: 5 }, /view\.window/],
    ['window', { start: 0 }, /view\.window/],
    ['window', [0, 5], /view\.window: a list is not/],
    ['window', 'all', /view\.window: the text "all" is not/],
    [
      'selection',
      -4096,
      /^view\.selection: -4096 is not an address from 0 to 2\^53; using no selection$/,
    ],
    ['selection', 2 ** 54, /view\.selection/],
    ['selection', '0x1000', /view\.selection/],
    ['selection', true, /view\.selection: true is not/],
    [
      'gigantic',
      'true',
      /^view\.gigantic: the text "true" is not true, false or null; using badges when the scenario asks for gigantic pages$/,
    ],
    ['embed', 'yes', /^view\.embed: the text "yes" is not true or false; using false$/],
    ['gigantic', 1, /view\.gigantic: 1 is not/],
    ['table', null, /^view\.table: null is not true or false; using false$/],
  ];

  it.each(bad)(
    'drops a bad %s (%j) to its default, keeps the other fields',
    (field, value, warning) => {
      const view = { ...good, table: true, [field]: value };
      const result = expectOk(
        decodeShareFragment(fragmentOf(JSON.stringify({ s: { version: 1 }, v: view }))),
      );
      expect(result.scenario).toEqual({ version: 1 });
      expect(result.view).toEqual({ ...expected, [field]: DEFAULT_VIEW[field] });
      expect(result.warnings).toHaveLength(1);
      expect(result.warnings[0]).toMatch(warning);
    },
  );

  it('takes explicit defaults and edge values without a warning', () => {
    const view = {
      step: 0,
      window: null,
      selection: 2 ** 53,
      gigantic: false,
      table: false,
      embed: false,
    };
    const result = expectOk(decodeShareFragment(fragmentOf(JSON.stringify({ s: {}, v: view }))));
    expect(result.view).toEqual(view);
    expect(result.warnings).toEqual([]);
  });

  it('uses the default view when the view is not an object', () => {
    for (const v of ['[]', '5', 'null', '"x"']) {
      const result = expectOk(decodeShareFragment(fragmentOf(`{"s":{},"v":${v}}`)));
      expect(result.view).toEqual(DEFAULT_VIEW);
      expect(result.warnings).toEqual([
        expect.stringMatching(/^The link's view is .*using the default view$/),
      ]);
    }
  });
});

describe('link format 1 (before engine 0.2.0)', () => {
  it('still opens, with its own defaults: no badges unless the link asked for them', () => {
    const old = (view: object) =>
      fragmentOf(
        JSON.stringify({ s: { version: 1 }, ...(Object.keys(view).length ? { v: view } : {}) }),
        1,
      );
    expect(expectOk(decodeShareFragment(old({}))).view).toEqual({
      ...DEFAULT_VIEW,
      gigantic: false,
    });
    expect(expectOk(decodeShareFragment(old({ gigantic: true }))).view.gigantic).toBe(true);
    // Format 2 leaves it to the scenario.
    expect(
      expectOk(decodeShareFragment(encodeShareFragment({ version: 1 }, DEFAULT_VIEW))).view
        .gigantic,
    ).toBeNull();
  });
});

describe('compare links', () => {
  const b = { version: 1, kernel: { memmapOnMemory: 'off' }, events: [{ op: 'add', size: '1G' }] };

  it('carry B beside A and validate both; the step runs as far as the longer', () => {
    const result = decodeAndValidate(encodeShareFragment({ version: 1 }, DEFAULT_VIEW, b));
    if (result.kind !== 'ok') throw new Error(JSON.stringify(result));
    expect(result.compareSource).toEqual(b);
    expect(result.view.step).toBe(1);
    const plain = decodeAndValidate(encodeShareFragment({ version: 1 }, DEFAULT_VIEW));
    expect(plain.kind === 'ok' && 'compareSource' in plain).toBe(false);
  });

  it('name B in the errors of an invalid B', () => {
    const result = decodeAndValidate(
      encodeShareFragment({ version: 1 }, DEFAULT_VIEW, { version: 1, arch: 'vax' }),
    );
    expect(result.kind).toBe('invalid');
    if (result.kind === 'invalid') expect(result.errors.map((e) => e.path)).toEqual(['B: arch']);
  });

  it('refuse a B that is not an object', () => {
    expect(messageOf(fragmentOf(JSON.stringify({ s: { version: 1 }, b: [1] })))).toBe(
      "The link's data is not a scenario: the compare scenario (B) is a list, not an object",
    );
  });
});

describe('decodeAndValidate', () => {
  it('returns the validated scenario with defaults filled, beside the source', () => {
    const source = { version: 1, events: [{ op: 'add', size: '1G' }] };
    const result = decodeAndValidate(encodeShareFragment(source, { ...DEFAULT_VIEW, step: 1 }));
    if (result.kind !== 'ok') throw new Error(JSON.stringify(result));
    expect(result.scenario.machine.structPageSize).toBe(64);
    expect(result.scenario.events[0]).toMatchObject({ op: 'add', size: GiB, via: 'acpi' });
    expect(result.source).toEqual(source);
    expect(result.view.step).toBe(1);
  });

  it('lists field-by-field errors for an invalid scenario, keeping the view', () => {
    const source = { version: 1, arch: 'vax', events: [{ op: 'add', size: '12Q' }] };
    const result = decodeAndValidate(encodeShareFragment(source, busyView));
    expect(result).toMatchObject({ kind: 'invalid', source, view: busyView, warnings: [] });
    if (result.kind !== 'invalid') return;
    expect(result.errors.map((error) => error.path).sort()).toEqual(['arch', 'events[0].size']);
    expect(result.errors.find((error) => error.path === 'events[0].size')?.message).toBe(
      '"12Q" is not a size',
    );
  });

  it('drops a step past the last event to the last step with a warning', () => {
    const result = decodeAndValidate(encodeShareFragment(mixed, { ...busyView, step: 9 }));
    if (result.kind !== 'ok') throw new Error(JSON.stringify(result));
    expect(result.view).toEqual({ ...busyView, step: 8 });
    expect(result.warnings).toEqual([
      'view.step: 9 is past the last event (8); using the last step',
    ]);
  });

  it('opens a link without a step at its last step', () => {
    const result = decodeAndValidate(encodeShareFragment(mixed, { ...busyView, step: -1 }));
    if (result.kind !== 'ok') throw new Error(JSON.stringify(result));
    expect(result.view.step).toBe(8);
    expect(result.warnings).toEqual([]);
  });

  it('passes empty and error results through', () => {
    expect(decodeAndValidate('#')).toEqual({ kind: 'empty' });
    expect(decodeAndValidate('#s=3.x')).toMatchObject({
      kind: 'error',
      message: expect.stringMatching(/format 3/),
    });
  });
});
