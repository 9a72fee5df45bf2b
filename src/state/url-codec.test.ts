/** Share links: round trips, every refusal with its message, view fields alone, hostile input. */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import fc from 'fast-check';
import { deflateSync, inflateSync, strToU8 } from 'fflate';
import { describe, expect, it } from 'vitest';
import {
  decodeAndValidate,
  decodeShareFragment,
  encodeShareFragment,
  inflateCapped,
  MAX_FRAGMENT_LENGTH,
  MAX_INFLATED_BYTES,
  shareUrl,
  type DecodeResult,
} from './url-codec.ts';
import { DEFAULT_VIEW, type ViewState } from './view.ts';

const GiB = 1024 ** 3;

/** An independent encoder (Node's base64url, fflate's one-shot deflate) for hand-made payloads. */
const b64 = (bytes: Uint8Array) => Buffer.from(bytes).toString('base64url');
const fragmentOf = (json: string | Uint8Array) =>
  `#s=1.${b64(deflateSync(typeof json === 'string' ? strToU8(json) : json))}`;
/** What a fragment carries, read without the codec under test. */
const payloadOf = (fragment: string): unknown =>
  JSON.parse(Buffer.from(inflateSync(Buffer.from(fragment.slice(5), 'base64url'))).toString());

/**
 * A call's time in ms, retried (best of 3) once it passes 20 ms: an input that is slow is slow
 * every time, while a test process that the OS set aside for a moment is not.
 */
function timed<T>(run: () => T): [T, number] {
  let started = performance.now();
  const result = run();
  let best = performance.now() - started;
  for (let retry = 0; retry < 2 && best > 20; retry++) {
    started = performance.now();
    run();
    best = Math.min(best, performance.now() - started);
  }
  return [result, best];
}

function expectOk(result: DecodeResult) {
  if (result.kind !== 'ok') throw new Error(`expected ok, got ${JSON.stringify(result)}`);
  return result;
}
const messageOf = (fragment: string) => {
  const result = decodeShareFragment(fragment);
  return result.kind === 'error' ? result.message : `(${result.kind})`;
};

// The presets a user shares: the recorded real-kernel cases (the repo's copy) and hand-made ones.
const oracleDir = resolve(import.meta.dirname, '../../test/oracle');
const oracleScenarios = readdirSync(oracleDir)
  .filter((name) => existsSync(join(oracleDir, name, 'case.json')))
  .map((name) => {
    const file = readFileSync(join(oracleDir, name, 'case.json'), 'utf8');
    return [name, (JSON.parse(file) as { scenario: object }).scenario] as const;
  });
const twoNodes = {
  nodes: [
    { id: 0, ram: [{ start: 0, size: '4G' }] },
    { id: 1, ram: [] },
  ],
  hotpluggable: [{ start: '4G', size: '64G', node: 1 }],
};
const smallAdds = {
  version: 1,
  title: '128 virtio-mem plugs of 128 MiB, then onlined movable',
  machine: twoNodes,
  kernel: { memmapOnMemory: 'on', autoOnline: 'offline', bootUsed: { '0': '300M' } },
  events: [
    ...Array.from({ length: 128 }, (_, i) => ({
      op: 'add',
      label: `plug ${i}`,
      start: `0x${(4 * GiB + i * 2 ** 27).toString(16)}`,
      size: '128M',
      node: 1,
      via: 'virtio-mem',
    })),
    { op: 'online', as: 'online_movable' },
    { op: 'hugetlb', pageSize: '2M', count: 4096, node: 1 },
  ],
};
const mixed = {
  version: 1,
  title: 'pmem, device-private and a balloon on arm64',
  arch: 'arm64-4k',
  era: 'U2',
  machine: { ...twoNodes, blockSize: '1G', structPageSize: 64, virtual: false },
  kernel: { memmapOnMemory: 'force', movableNode: true, onlinePolicy: 'auto-movable', hvo: true },
  events: [
    { op: 'add', size: '8G', via: 'acpi', label: 'DIMM 1' },
    { op: 'online', as: 'online_movable' },
    { op: 'pmem', start: '0x1000000000', size: '16G', node: 1, map: 'mem', align: '1G' },
    { op: 'device-private', size: '2G', node: 1 },
    { op: 'consume', size: '1G', node: 0 },
    { op: 'hugetlb', pageSize: '1G', count: 4 },
    { op: 'offline', start: '4G', size: '8G' },
    { op: 'remove', start: '4G', size: '8G' },
  ],
};
const presets: (readonly [string, object])[] = [
  ...oracleScenarios,
  ['128 small adds (130 events)', smallAdds],
  ['mixed arm64', mixed],
];
const busyView: ViewState = {
  step: 3,
  window: { start: 4 * GiB, end: 12 * GiB },
  selection: 5 * GiB + 4096,
  gigantic: true,
  table: true,
};

describe('encodeShareFragment', () => {
  it('writes #s=1. and base64url of raw-deflated {s, v}, with only the non-default view fields', () => {
    const scenario = { version: 1, events: [] };
    const plain = encodeShareFragment(scenario, DEFAULT_VIEW);
    expect(plain).toMatch(/^#s=1\.[A-Za-z0-9_-]+$/);
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
    const fragment = encodeShareFragment(scenario, busyView);
    expect(fragment.length).toBeLessThan(2_000);
    const result = decodeAndValidate(fragment);
    if (result.kind !== 'ok') throw new Error(JSON.stringify(result));
    expect(result.source).toEqual(scenario);
    expect(result.view).toEqual(busyView);
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
    const long = `#s=1.${'A'.repeat(MAX_FRAGMENT_LENGTH)}`;
    expect(messageOf(long)).toBe('The link is too long (16,005 characters; at most 16,000)');
    expect(messageOf(`#x=${'%'.repeat(MAX_FRAGMENT_LENGTH)}`)).toMatch(/too long \(16,003/);
    expect(messageOf(`${'#'.repeat(MAX_FRAGMENT_LENGTH)}`)).toBe('(empty)');
  });

  it.each([
    [
      '#s=2.abcd',
      /^This link was made by a newer Memmap Explorer \(link format 2\); this version reads format 1$/,
    ],
    ['#s=17.', /newer Memmap Explorer \(link format 17\)/],
    ['#s=0.abcd', /damaged: link format 0 does not exist/],
    ['#s=abcd', /damaged: its data does not start with a link format \("s=1\."\)/],
    ['#s=1', /does not start with a link format/],
    ['#s=', /damaged: it has no data after "s="$/],
    ['#s=1.', /damaged: it has no data after "s=1\."$/],
    ['#s=1.ab%2Bcd', /damaged: its data holds the character "%", which a link never has/],
    ['#s=1.abc=', /holds the character "="/],
    ['#s=1.ab<script>', /holds the character "<"/],
    ['#s=1.abcde', /damaged: its data has an impossible length/],
    ['#s=1.AAAA', /^The link is truncated or damaged: its data could not be decompressed$/],
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
    ['gigantic', 'true', /^view\.gigantic: the text "true" is not true or false; using false$/],
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
    const view = { step: 0, window: null, selection: 2 ** 53, gigantic: false, table: false };
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

describe('hostile input', () => {
  it('reads a payload that inflates to exactly the cap, and refuses one byte more', () => {
    const json = (extra: number) => {
      const shell = '{"s":{"x":""}}';
      return `{"s":{"x":"${'a'.repeat(MAX_INFLATED_BYTES - shell.length + extra)}"}}`;
    };
    expect(strToU8(json(0)).length).toBe(MAX_INFLATED_BYTES);
    expect(decodeShareFragment(fragmentOf(json(0))).kind).toBe('ok');
    expect(messageOf(fragmentOf(json(1)))).toBe(
      "The link's data is too large: it unpacks to more than 256 KiB",
    );
  });

  it('stops a decompression bomb near the cap, not at its full size', () => {
    const bomb = deflateSync(new Uint8Array(4 * 1024 * 1024), { level: 9 });
    const fragment = `#s=1.${b64(bomb)}`;
    expect(fragment.length).toBeLessThanOrEqual(MAX_FRAGMENT_LENGTH);
    const capped = inflateCapped(bomb);
    expect(capped).toMatchObject({ ok: false, reason: 'too-large' });
    if (capped.ok) return;
    // fflate hands us each piece once it is inflated: this is what it allocated for output.
    expect(capped.inflated).toBeGreaterThan(MAX_INFLATED_BYTES);
    expect(capped.inflated).toBeLessThan(MAX_INFLATED_BYTES + 24 * 1024);
    const [message, took] = timed(() => messageOf(fragment));
    expect(message).toMatch(/too large: it unpacks to more than 256 KiB/);
    expect(took).toBeLessThan(100);
  });

  it('inflates short input in one call and long input in pieces, to the same bytes', () => {
    const agrees = (input: Uint8Array) => {
      let expected: Uint8Array | null = null;
      try {
        expected = inflateSync(input);
      } catch {
        // damaged: inflateCapped must say so too
      }
      const result = inflateCapped(input);
      if (expected === null || input.length === 0) expect(result.ok).toBe(false);
      else if (expected.length > MAX_INFLATED_BYTES)
        expect(result).toMatchObject({ ok: false, reason: 'too-large' });
      else expect(result).toEqual({ ok: true, bytes: expected });
    };
    // Runs of zeros around the cap, whole and damaged: 254 bytes of input is the one-call limit.
    const lengths: number[] = [];
    for (const size of [150_000, 300_000]) {
      const stream = deflateSync(new Uint8Array(size), { level: 9 });
      lengths.push(stream.length);
      agrees(stream);
      for (const at of [3, stream.length >> 1])
        agrees(stream.map((byte, i) => (i === at ? byte ^ 0x5a : byte)));
    }
    expect(Math.min(...lengths)).toBeLessThanOrEqual(254);
    expect(Math.max(...lengths)).toBeGreaterThan(254);
    const deflated = fc
      .tuple(fc.uint8Array({ maxLength: 3000 }), fc.integer({ min: 0, max: 9 }))
      .map(([bytes, level]) => deflateSync(bytes, { level: level as 0 }));
    const damaged = fc
      .tuple(deflated, fc.nat(), fc.nat(255))
      .map(([bytes, at, value]) =>
        bytes.map((byte, i) => (i === at % bytes.length ? value : byte)),
      );
    const inputs = fc.oneof(deflated, damaged, fc.uint8Array({ maxLength: 400 }));
    fc.assert(fc.property(inputs, agrees), { numRuns: 300 });
  });

  it('stays fast on the costliest valid deflate we know: hundreds of tiny dynamic blocks', () => {
    // Each block declares 15-bit codes, so fflate builds two 32K-entry tables for it.
    const bits: number[] = [];
    const put = (...fields: [value: number, count: number][]) => {
      for (const [value, count] of fields)
        for (let i = 0; i < count; i++) bits.push((value >> i) & 1);
    };
    const clOrder = [16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1, 15];
    const block = (final: number) => {
      // BFINAL, dynamic; 258 literal/length and 2 distance codes; all 19 code-length codes.
      put([final, 1], [2, 2], [1, 5], [1, 5], [15, 4]);
      // Code-length codes: only 15 and 18, one bit each.
      for (const symbol of clOrder) put([symbol === 15 || symbol === 18 ? 1 : 0, 3]);
      // 256 zero lengths (18: 138, then 118), then four codes of 15 bits; then end of block.
      put([1, 1], [127, 7], [1, 1], [107, 7], [0, 4], [0, 15]);
    };
    while (bits.length < 11_900 * 8) block(0);
    block(1);
    const bytes = new Uint8Array(Math.ceil(bits.length / 8));
    bits.forEach((bit, i) => (bytes[i >> 3]! |= bit << (i & 7)));
    expect(inflateCapped(bytes)).toEqual({ ok: true, bytes: new Uint8Array(0) }); // valid, empty
    const fragment = `#s=1.${b64(bytes)}`;
    expect(fragment.length).toBeGreaterThan(15_000);
    const [message, took] = timed(() => messageOf(fragment));
    expect(message).toMatch(/not valid JSON/);
    expect(took).toBeLessThan(100);
  });
});

const viewArb: fc.Arbitrary<ViewState> = fc.record({
  step: fc.oneof(fc.constant(0), fc.nat(), fc.maxSafeNat()),
  window: fc.option(
    fc
      .uniqueArray(fc.oneof(fc.maxSafeNat(), fc.double({ min: 0, max: 2 ** 53, noNaN: true })), {
        minLength: 2,
        maxLength: 2,
        comparator: (a, b) => a === b,
      })
      .map(([a = 0, b = 1]) => ({ start: Math.min(a, b) + 0, end: Math.max(a, b) + 0 })),
  ),
  selection: fc.option(fc.oneof(fc.maxSafeNat(), fc.constant(2 ** 53))),
  gigantic: fc.boolean(),
  table: fc.boolean(),
});
const FORBIDDEN = /"(__proto__|constructor|prototype)":/;
const sizeArb = fc.oneof(fc.maxSafeNat(), fc.constantFrom('128M', '1.5G', '0x100000000', '4096'));
const scenarioArb = fc
  .record(
    {
      version: fc.constant(1),
      title: fc.string({ maxLength: 200, unit: 'grapheme' }),
      arch: fc.constantFrom('x86_64', 'arm64-64k', 's390x'),
      machine: fc.record({
        nodes: fc.array(
          fc.record({
            id: fc.nat(1023),
            ram: fc.array(fc.record({ start: sizeArb, size: sizeArb }), { maxLength: 3 }),
          }),
          { maxLength: 4 },
        ),
      }),
      events: fc.array(
        fc.oneof(
          fc.record({ op: fc.constant('add'), size: sizeArb, node: fc.nat(3) }),
          fc.record({ op: fc.constant('online'), as: fc.constantFrom('online', 'online_movable') }),
          fc.record({ op: fc.constant('hugetlb'), pageSize: fc.constant('2M'), count: fc.nat() }),
        ),
        { maxLength: 25 },
      ),
      x: fc.jsonValue({ maxDepth: 4 }),
    },
    { requiredKeys: ['version'] },
  )
  .filter((scenario) => !FORBIDDEN.test(JSON.stringify(scenario)));

/** What must hold of any answer, whatever the input: null when it does. */
function problemWith(result: DecodeResult): string | null {
  if (result.kind === 'empty') return null;
  if (result.kind === 'error')
    return result.message.length > 0 && result.message.length < 200 ? null : 'bad message';
  if (typeof result.scenario !== 'object' || result.scenario === null) return 'scenario';
  if (!result.warnings.every((warning) => typeof warning === 'string')) return 'warnings';
  const { step, window, selection, gigantic, table } = result.view;
  if (!Number.isSafeInteger(step) || step < -1) return 'step';
  if (window && !(window.start >= 0 && window.start < window.end && window.end <= 2 ** 53))
    return 'window';
  if (selection !== null && !(selection >= 0 && selection <= 2 ** 53)) return 'selection';
  return typeof gigantic === 'boolean' && typeof table === 'boolean' ? null : 'flags';
}

describe('properties', () => {
  it('round-trips any scenario and view', () => {
    fc.assert(
      fc.property(scenarioArb, viewArb, (scenario, view) => {
        const result = expectOk(decodeShareFragment(encodeShareFragment(scenario, view)));
        expect(result.scenario).toStrictEqual(JSON.parse(JSON.stringify(scenario)));
        expect(result.view).toEqual(view);
        expect(result.warnings).toEqual([]);
      }),
      { numRuns: 300 },
    );
  });

  it('never throws and answers within 100 ms, for 10,000 hostile inputs', () => {
    const valid = [...presets.map(([, scenario]) => scenario), { version: 1 }].map((scenario, i) =>
      encodeShareFragment(scenario, i % 2 ? busyView : DEFAULT_VIEW),
    );
    const mutated = fc
      .tuple(
        fc.constantFrom(...valid),
        fc.nat(),
        fc.nat(),
        fc.string({ maxLength: 8, unit: 'binary' }),
      )
      .chain(([fragment, a, b, text]) => {
        const at = a % (fragment.length + 1);
        return fc.constantFrom(
          fragment.slice(0, at), // truncated
          fragment.slice(0, at) + text + fragment.slice(at), // characters inserted
          fragment.slice(0, at) + fragment.slice(at + 1 + (b % 8)), // characters deleted
          fragment.slice(0, at) + '-_AZaz09'.charAt(b % 8) + fragment.slice(at + 1), // flipped
          fragment.slice(0, at) + String.fromCharCode(b % 0x10000) + fragment.slice(at + 1),
        );
      });
    const anyView = fc.dictionary(
      fc.constantFrom('step', 'window', 'selection', 'gigantic', 'table', 'other'),
      fc.oneof(
        fc.jsonValue({ maxDepth: 2 }),
        viewArb.map((view) => view.window),
      ),
    );
    const input = fc.oneof(
      fc.string({ maxLength: 200, unit: 'binary' }),
      fc.string({ maxLength: 200 }).map((text) => `#s=${text}`),
      fc.integer({ min: 15_990, max: 16_010 }).map((length) => `#s=1.${'A'.repeat(length - 5)}`),
      mutated,
      fc
        .tuple(fc.nat(3), fc.uint8Array({ maxLength: 600 }))
        .map(([f, bytes]) => `#s=${f}.${b64(bytes)}`),
      fc.jsonValue({ maxDepth: 3 }).map((value) => fragmentOf(JSON.stringify(value))),
      fc.constantFrom(...valid),
      fc
        .tuple(fc.jsonValue({ maxDepth: 3 }), anyView)
        .map(([s, v]) => fragmentOf(JSON.stringify({ s: { x: s }, v }))),
    );
    const kinds = new Map<string, number>();
    let slowest = 0;
    let runs = 0;
    fc.assert(
      fc.property(input, (fragment) => {
        runs++;
        const [result, took] = timed(() => decodeShareFragment(fragment));
        slowest = Math.max(slowest, took);
        kinds.set(result.kind, (kinds.get(result.kind) ?? 0) + 1);
        // Plain checks, not expect(): this runs 10,000 times and expect() costs more than decoding.
        const problem = problemWith(result);
        if (problem) throw new Error(`bad ${problem}: ${JSON.stringify(result)}`);
        if (result.kind !== 'ok') return; // decodeAndValidate passes these through as they are
        const [validated, tookToValidate] = timed(() => decodeAndValidate(fragment));
        slowest = Math.max(slowest, tookToValidate);
        if (validated.kind !== 'ok' && validated.kind !== 'invalid')
          throw new Error(validated.kind);
        const verdict = validated.kind === 'ok' ? 'valid' : 'invalid';
        kinds.set(verdict, (kinds.get(verdict) ?? 0) + 1);
      }),
      { numRuns: 10_000 },
    );
    expect(runs).toBeGreaterThanOrEqual(10_000);
    // Every kind of answer was reached, so the inputs did exercise the decoder.
    expect([...kinds.keys()].sort()).toEqual(['empty', 'error', 'invalid', 'ok', 'valid']);
    expect(slowest).toBeLessThan(100);
  });
});
