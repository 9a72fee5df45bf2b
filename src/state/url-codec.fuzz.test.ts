/** Share links under hostile input: caps, bombs, slow deflate, and fast-check properties with a 10,000-input fuzz. */
import fc from 'fast-check';
import { deflateSync, inflateSync, strToU8 } from 'fflate';
import { describe, expect, it } from 'vitest';
import {
  decodeShareFragment,
  encodeShareFragment,
  inflateCapped,
  MAX_FRAGMENT_LENGTH,
  MAX_INFLATED_BYTES,
  type DecodeResult,
} from './url-codec.ts';
import { decodeAndValidate } from './url-validate.ts';
import {
  b64,
  busyView,
  expectOk,
  fragmentOf,
  messageOf,
  presets,
  timed,
} from './url-codec.fixtures.ts';
import { DEFAULT_VIEW, type ViewState } from './view.ts';

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
    const fragment = `#s=2.${b64(bomb)}`;
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
    const fragment = `#s=2.${b64(bytes)}`;
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
  gigantic: fc.option(fc.boolean()),
  table: fc.boolean(),
  embed: fc.boolean(),
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
  const { step, window, selection, gigantic, table, embed } = result.view;
  if (!Number.isSafeInteger(step) || step < -1) return 'step';
  if (window && !(window.start >= 0 && window.start < window.end && window.end <= 2 ** 53))
    return 'window';
  if (selection !== null && !(selection >= 0 && selection <= 2 ** 53)) return 'selection';
  if (result.compare !== undefined && (typeof result.compare !== 'object' || !result.compare))
    return 'compare';
  return (gigantic === null || typeof gigantic === 'boolean') &&
    typeof table === 'boolean' &&
    typeof embed === 'boolean'
    ? null
    : 'flags';
}

describe('properties', () => {
  it('round-trips any scenario, compare scenario and view', () => {
    fc.assert(
      fc.property(scenarioArb, fc.option(scenarioArb), viewArb, (scenario, compare, view) => {
        const result = expectOk(
          decodeShareFragment(encodeShareFragment(scenario, view, compare ?? undefined)),
        );
        expect(result.scenario).toStrictEqual(JSON.parse(JSON.stringify(scenario)));
        expect(result.compare).toStrictEqual(
          compare ? JSON.parse(JSON.stringify(compare)) : undefined,
        );
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
      fc.integer({ min: 15_990, max: 16_010 }).map((length) => `#s=2.${'A'.repeat(length - 5)}`),
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
