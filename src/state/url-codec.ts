/**
 * Share links: the whole scenario and the view live in the URL fragment, `#s=1.<payload>`.
 *
 * `2` is the link format. The payload is the compact JSON `{"s": scenario, "b": compare mode's
 * second scenario (when comparing), "v": view fields that differ from DEFAULT_VIEW}`, raw-deflated (fflate) and written as base64url without padding.
 * A fragment never reaches a server, so a link carries a whole scenario without any backend.
 *
 * Decoding reads text that anyone can craft, so it never throws: every failure becomes a message
 * for the user, and every limit is checked before the work it bounds.
 */
import { deflateSync, Inflate, inflateSync } from 'fflate';
import type { Scenario, Validation, ValidationError } from '../engine/scenario/types.ts';
import { DEFAULT_VIEW, type ViewState } from './view.ts';

/**
 * The link format written. 2 (engine 0.2.0): the view's `gigantic` (the tiles' badges) defaults to
 * "on when the scenario asks for gigantic pages" (null) where format 1 defaulted to off; `b` and
 * `embed` arrived with it. Format 1 links are still read, with format 1's defaults.
 */
export const LINK_FORMAT = 2;
/** The formats read, oldest first. */
const READ_FORMATS = [1, 2];
/** Longest fragment we read; longer ones are refused before any decoding work. */
export const MAX_FRAGMENT_LENGTH = 16_000;
/** Largest inflated payload; a decompression bomb is stopped as soon as it passes this. */
export const MAX_INFLATED_BYTES = 256 * 1024;

interface Decoded {
  view: ViewState;
  /** Parts of the link that were ignored or replaced by defaults, in words for the user. */
  warnings: string[];
}
export type DecodeResult =
  | { kind: 'empty' }
  | { kind: 'error'; message: string }
  | ({ kind: 'ok'; scenario: unknown; compare?: unknown } & Decoded);
/** `source` is the scenario as the link carried it, before defaults (e.g. for an editor). */
export type ValidatedDecodeResult =
  | { kind: 'empty' }
  | { kind: 'error'; message: string }
  | ({ kind: 'invalid'; errors: ValidationError[]; source: unknown } & Decoded)
  | ({
      kind: 'ok';
      scenario: Scenario;
      source: unknown;
      /** Compare mode's B, as the link carried it (validated). */
      compareSource?: unknown;
    } & Decoded);
export type InflateResult =
  | { ok: true; bytes: Uint8Array }
  | { ok: false; reason: 'damaged' | 'too-large'; inflated: number };

/** Keys that reach an object's prototype if the data is ever merged with Object.assign. */
const FORBIDDEN_KEYS = new Set(['__proto__', 'constructor', 'prototype']);
const MAX_ADDRESS = 2 ** 53;
/** Deepest JSON nesting read: realistic scenarios are about 5 deep, extensions under "x" more. */
const MAX_DEPTH = 64;
const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
const DAMAGED = 'The link is truncated or damaged';
const NOT_SCENARIO = "The link's data is not a scenario";

/** A failure whose message goes to the user as is. */
class LinkError extends Error {}
function fail(message: string): never {
  throw new LinkError(message);
}
const thousands = (n: number) => String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
/** Quotes text from the link, cut short: it is shown as text, never as markup. */
const quote = (text: string) => JSON.stringify(text.length > 40 ? `${text.slice(0, 40)}…` : text);

/** Throws (TypeError, RangeError) on what no link could carry: better than a link that fails. */
export function encodeShareFragment(scenario: unknown, view: ViewState, compare?: unknown): string {
  if (!isRecord(scenario)) throw new TypeError('A share link needs a scenario object');
  if (compare !== undefined && compare !== null && !isRecord(compare))
    throw new TypeError("A share link's compare scenario must be an object");
  const diff: Partial<ViewState> = {};
  if (view.step !== DEFAULT_VIEW.step) diff.step = view.step;
  if (view.window !== null) diff.window = { start: view.window.start, end: view.window.end };
  if (view.selection !== DEFAULT_VIEW.selection) diff.selection = view.selection;
  if (view.gigantic !== DEFAULT_VIEW.gigantic) diff.gigantic = view.gigantic;
  if (view.table !== DEFAULT_VIEW.table) diff.table = view.table;
  if (view.embed !== DEFAULT_VIEW.embed) diff.embed = view.embed;
  // Default fields stay out (most views add nothing); the replacer refuses what decoding refuses.
  const data = {
    s: scenario,
    ...(compare ? { b: compare } : {}),
    ...(Object.keys(diff).length ? { v: diff } : {}),
  };
  const json = JSON.stringify(data, (key, value: unknown) => {
    if (FORBIDDEN_KEYS.has(key)) throw new TypeError(`A share link cannot hold the field "${key}"`);
    return value;
  });
  const bytes = new TextEncoder().encode(json);
  const fragment = `#s=${LINK_FORMAT}.${toBase64Url(deflateSync(bytes, { level: 9 }))}`;
  if (bytes.length > MAX_INFLATED_BYTES || fragment.length > MAX_FRAGMENT_LENGTH)
    throw new RangeError(
      `The scenario is too large for a link (${thousands(bytes.length)} bytes, ${thousands(fragment.length)} characters)`,
    );
  return fragment;
}

export function shareUrl(
  base: string,
  scenario: unknown,
  view: ViewState,
  compare?: unknown,
): string {
  const hash = base.indexOf('#');
  return (hash < 0 ? base : base.slice(0, hash)) + encodeShareFragment(scenario, view, compare);
}

export function decodeShareFragment(fragment: string): DecodeResult {
  try {
    return decode(fragment);
  } catch (error) {
    // Expected failures are LinkErrors; anything else (a bug) must still not reach the page.
    if (error instanceof LinkError) return { kind: 'error', message: error.message };
    return { kind: 'error', message: `${DAMAGED}: its data could not be read` };
  }
}

function decode(fragment: string): DecodeResult {
  // First, before any work proportional to the input.
  if (fragment.length > MAX_FRAGMENT_LENGTH)
    fail(
      `The link is too long (${thousands(fragment.length)} characters; at most ${thousands(MAX_FRAGMENT_LENGTH)})`,
    );
  // A whole pasted URL works too: only what follows the first "#" is the fragment.
  const param = fragment
    .slice(fragment.indexOf('#') + 1)
    .split('&')
    .find((part) => part.startsWith('s='));
  if (param === undefined) return { kind: 'empty' };

  const match = /^(\d{1,9})\.(.*)$/s.exec(param.slice(2));
  if (param === 's=') fail(`${DAMAGED}: it has no data after "s="`);
  if (!match) fail(`${DAMAGED}: its data does not start with a link format ("s=${LINK_FORMAT}.")`);
  const format = Number(match[1]);
  if (format > LINK_FORMAT)
    fail(
      `This link was made by a newer Memmap Explorer (link format ${format}); this version reads format ${LINK_FORMAT}`,
    );
  if (!READ_FORMATS.includes(format)) fail(`${DAMAGED}: link format ${format} does not exist`);
  const payload = match[2] ?? '';
  if (!payload) fail(`${DAMAGED}: it has no data after "s=${format}."`);

  const inflated = inflateCapped(fromBase64Url(payload));
  if (!inflated.ok)
    fail(
      inflated.reason === 'damaged'
        ? `${DAMAGED}: its data could not be decompressed`
        : `The link's data is too large: it unpacks to more than ${MAX_INFLATED_BYTES / 1024} KiB`,
    );
  let data: unknown;
  try {
    const json = new TextDecoder('utf-8', { fatal: true }).decode(inflated.bytes);
    if (nestingDepth(json) > MAX_DEPTH) fail(`${NOT_SCENARIO}: it is nested too deeply`);
    // The reviver sees every key at every depth, so nothing hostile survives to a spread/merge.
    data = JSON.parse(json, (key, item: unknown) =>
      FORBIDDEN_KEYS.has(key)
        ? fail(`${NOT_SCENARIO}: it holds the forbidden field "${key}"`)
        : item,
    );
  } catch (error) {
    if (error instanceof LinkError) throw error;
    fail(`${DAMAGED}: its data is not valid JSON`); // bad UTF-8 (TypeError) or JSON (SyntaxError)
  }
  if (!isRecord(data)) fail(`${NOT_SCENARIO}: it holds ${describe(data)}`);
  const scenario = data.s;
  if (scenario === undefined) fail(`${NOT_SCENARIO}: it holds no scenario`);
  if (!isRecord(scenario))
    fail(`${NOT_SCENARIO}: the scenario is ${describe(scenario)}, not an object`);
  const compare = data.b;
  if (compare !== undefined && !isRecord(compare))
    fail(`${NOT_SCENARIO}: the compare scenario (B) is ${describe(compare)}, not an object`);
  const warnings: string[] = [];
  ignored(Object.keys(data), ['s', 'b', 'v'], 'part', warnings);
  return {
    kind: 'ok',
    scenario,
    ...(compare !== undefined ? { compare } : {}),
    view: readView(data.v, warnings, format),
    warnings,
  };
}

/** A newer version may add parts or view fields: we skip them, and say so once. */
function ignored(keys: string[], known: string[], what: string, warnings: string[]): void {
  const unknown = keys.filter((key) => !known.includes(key));
  if (!unknown.length) return;
  const names = unknown.slice(0, 3).map(quote).join(', ') + (unknown.length > 3 ? ', …' : '');
  warnings.push(`The link has ${unknown.length} unknown ${what}(s), ignored: ${names}`);
}

/** Each view field stands alone: a bad one falls back to its default and the rest are kept. */
function readView(input: unknown, warnings: string[], format: number): ViewState {
  // Format 1 had the badges (then an overlay) off unless the link said otherwise.
  const view: ViewState = { ...DEFAULT_VIEW, ...(format === 1 ? { gigantic: false } : {}) };
  if (input === undefined) return view;
  if (!isRecord(input)) {
    warnings.push(`The link's view is ${describe(input)}, not an object; using the default view`);
    return view;
  }
  ignored(Object.keys(input), Object.keys(DEFAULT_VIEW), 'view field', warnings);
  const drop = (field: string, rule: string, fallback: string) =>
    warnings.push(`view.${field}: ${describe(input[field])} is not ${rule}; using ${fallback}`);
  const { step, window, selection } = input;
  if (Number.isSafeInteger(step) && (step as number) >= 0) view.step = step as number;
  else if (step !== undefined) drop('step', 'a whole number from 0', 'the last step');
  const { start, end } = isRecord(window) ? window : {};
  if (isAddress(start) && isAddress(end) && start < end) view.window = { start, end };
  else if (window !== undefined && window !== null)
    drop('window', '{start, end} with 0 ≤ start < end ≤ 2^53', 'the full view');
  if (isAddress(selection)) view.selection = selection;
  else if (selection !== undefined && selection !== null)
    drop('selection', 'an address from 0 to 2^53', 'no selection');
  for (const flag of ['table', 'embed'] as const) {
    if (typeof input[flag] === 'boolean') view[flag] = input[flag];
    else if (input[flag] !== undefined) drop(flag, 'true or false', String(DEFAULT_VIEW[flag]));
  }
  if (typeof input.gigantic === 'boolean' || input.gigantic === null)
    view.gigantic = input.gigantic;
  else if (input.gigantic !== undefined)
    drop(
      'gigantic',
      'true, false or null',
      format === 1 ? 'false' : 'badges when the scenario asks for gigantic pages',
    );
  return view;
}

/**
 * A decoded link checked by the scenario validator (passed in, so that this module, which the
 * page loads first, does not carry zod: `url-validate.ts` binds it, `validation.ts` loads it).
 */
export function checkDecoded(
  decoded: DecodeResult,
  validate: (input: unknown) => Validation,
): ValidatedDecodeResult {
  if (decoded.kind !== 'ok') return decoded;
  const { scenario: source, compare, view, warnings } = decoded;
  const validation = validate(source);
  if (!validation.ok) return { kind: 'invalid', errors: validation.errors, source, view, warnings };
  let events = validation.scenario.events.length;
  if (compare !== undefined) {
    const other = validate(compare);
    if (!other.ok)
      return {
        kind: 'invalid',
        errors: other.errors.map((error) => ({ ...error, path: `B: ${error.path}` })),
        source,
        view,
        warnings,
      };
    // Compare mode steps both scenarios, as far as the longer goes.
    events = Math.max(events, other.scenario.events.length);
  }
  // The step is the one view field that depends on the scenario: it cannot pass the last event.
  if (view.step > events)
    warnings.push(
      `view.step: ${view.step} is past the last event (${events}); using the last step`,
    );
  if (view.step < 0 || view.step > events) view.step = events;
  return {
    kind: 'ok',
    scenario: validation.scenario,
    source,
    ...(compare !== undefined ? { compareSource: compare } : {}),
    view,
    warnings,
  };
}

/** Deflate expands at most 1032 times: a 258-byte match in 2 bits. */
const MAX_EXPANSION = 1032;
let scratch: Uint8Array | null = null;

/**
 * Raw inflate that stops past MAX_INFLATED_BYTES. Input short enough that it cannot pass the cap
 * inflates in one call into a buffer we keep: fflate's streaming state allocates ~200 KB per call,
 * the whole cost of reading a short link. Longer input streams in pieces small enough that one
 * cannot inflate far past the cap, and we stop at the first that crosses it: a bomb costs about
 * the cap, whatever it would expand to.
 */
export function inflateCapped(data: Uint8Array): InflateResult {
  const cap = MAX_INFLATED_BYTES;
  // (fflate answers no input with the whole out buffer: no deflate stream is empty anyway.)
  if (!data.length) return { ok: false, reason: 'damaged', inflated: 0 };
  if (data.length * MAX_EXPANSION <= cap) {
    scratch ??= new Uint8Array(cap);
    try {
      return { ok: true, bytes: inflateSync(data, { out: scratch }).slice() };
    } catch {
      return { ok: false, reason: 'damaged', inflated: 0 };
    }
  }
  const pieces: Uint8Array[] = [];
  let inflated = 0;
  const inflate = new Inflate((piece) => {
    inflated += piece.length;
    if (inflated <= cap) pieces.push(piece);
  });
  try {
    for (let at = 0; at < data.length && inflated <= cap;) {
      // A piece can at most fill the budget left plus 16 KiB (and what a symbol held over from
      // the last piece completes): the overshoot stays under 24 KiB, in a few pieces.
      const piece = Math.floor((cap - inflated + 16 * 1024) / MAX_EXPANSION);
      const end = Math.min(data.length, at + piece);
      inflate.push(data.subarray(at, end), end === data.length);
      at = end;
    }
  } catch {
    return { ok: false, reason: 'damaged', inflated };
  }
  if (inflated > cap) return { ok: false, reason: 'too-large', inflated };
  const bytes = new Uint8Array(inflated);
  pieces.reduce((offset, piece) => (bytes.set(piece, offset), offset + piece.length), 0);
  return { ok: true, bytes };
}

function toBase64Url(bytes: Uint8Array): string {
  let text = '';
  for (let i = 0; i < bytes.length; i += 3) {
    const group = (bytes[i]! << 16) | ((bytes[i + 1] ?? 0) << 8) | (bytes[i + 2] ?? 0);
    // 1, 2 or 3 bytes need 2, 3 or 4 characters: no padding.
    const chars = Math.min(4, Math.ceil(((bytes.length - i) * 8) / 6));
    for (let j = 0; j < chars; j++) text += ALPHABET[(group >> (18 - 6 * j)) & 63];
  }
  return text;
}

function fromBase64Url(text: string): Uint8Array {
  const bad = /[^\w-]/u.exec(text)?.[0];
  if (bad)
    fail(`${DAMAGED}: its data holds the character ${JSON.stringify(bad)}, which a link never has`);
  // 4 characters carry 3 bytes; a lone last character cannot carry a whole byte.
  if (text.length % 4 === 1) fail(`${DAMAGED}: its data has an impossible length`);
  const bytes = new Uint8Array(Math.floor((text.length * 6) / 8));
  for (let i = 0, buffer = 0, bits = 0, at = 0; i < text.length; i++) {
    buffer = ((buffer << 6) | ALPHABET.indexOf(text[i]!)) & 0xffffff;
    if ((bits += 6) >= 8) bytes[at++] = (buffer >> (bits -= 8)) & 0xff;
  }
  return bytes;
}

/**
 * How deep brackets nest, outside strings. Checked before parsing: a pile of 100,000 brackets
 * takes JSON.parse ~50 ms and overflows the reviver's recursion; a scenario is about 5 deep.
 */
function nestingDepth(json: string): number {
  let depth = 0;
  let deepest = 0;
  let inString = false;
  for (let i = 0; i < json.length; i++) {
    const char = json[i];
    if (inString) {
      if (char === '\\') i++;
      else if (char === '"') inString = false;
    } else if (char === '"') inString = true;
    else if (char === '[' || char === '{') deepest = Math.max(deepest, ++depth);
    else if (char === ']' || char === '}') depth--;
  }
  return deepest;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function isAddress(value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value) && value >= 0 && value <= MAX_ADDRESS;
}

function describe(value: unknown): string {
  if (value === null || typeof value !== 'object')
    return typeof value === 'string' ? `the text ${quote(value)}` : String(value);
  return Array.isArray(value) ? 'a list' : 'an object';
}
