/**
 * Half-open byte ranges [start, end) and the few operations the importer needs on them: page
 * alignment, subtraction, merging, and cutting a list of ranges by owners (which node, which
 * device). Lists are kept sorted by start and non-overlapping.
 */
import { GiB, KiB, MiB, TiB, alignDown, alignUp, hex } from '../engine/units.ts';

export interface Range {
  start: number;
  end: number;
}

export interface Owned<T> extends Range {
  owner: T;
}

export const sizeOf = (ranges: readonly Range[]) =>
  ranges.reduce((sum, range) => sum + (range.end - range.start), 0);

/** The whole pages inside a range (firmware ranges such as 0x1000-0x9fbff end mid-page). */
export function pageAlign(range: Range, pageSize: number): Range | null {
  const start = alignUp(range.start, pageSize);
  const end = alignDown(range.end, pageSize);
  return end > start ? { start, end } : null;
}

/** Sorts and joins ranges that touch or overlap. */
export function mergeRanges(ranges: readonly Range[]): Range[] {
  const sorted = [...ranges].sort((a, b) => a.start - b.start);
  const merged: Range[] = [];
  for (const range of sorted) {
    const last = merged[merged.length - 1];
    if (last && range.start <= last.end) last.end = Math.max(last.end, range.end);
    else merged.push({ start: range.start, end: range.end });
  }
  return merged;
}

/** `ranges` without anything in `cuts`. */
export function subtractRanges(ranges: readonly Range[], cuts: readonly Range[]): Range[] {
  const sortedCuts = mergeRanges(cuts);
  const out: Range[] = [];
  for (const range of ranges) {
    let start = range.start;
    for (const cut of sortedCuts) {
      if (cut.end <= start || cut.start >= range.end) continue;
      if (cut.start > start) out.push({ start, end: cut.start });
      start = Math.max(start, cut.end);
    }
    if (start < range.end) out.push({ start, end: range.end });
  }
  return out;
}

export function intersectRanges(ranges: readonly Range[], window: Range): Range[] {
  return ranges
    .map((range) => ({
      start: Math.max(range.start, window.start),
      end: Math.min(range.end, window.end),
    }))
    .filter((range) => range.end > range.start);
}

/**
 * Cuts `ranges` where the owner changes. A piece no owner covers goes to the owner of the
 * nearest owned piece before it (else after it): firmware RAM below the first memory block or in
 * a block the listing left out still belongs to some node. `null` only without any owner.
 */
export function assignOwners<T>(ranges: readonly Range[], owners: readonly Owned<T>[]) {
  const sorted = [...owners].sort((a, b) => a.start - b.start);
  const pieces: { start: number; end: number; owner: T | null; guessed: boolean }[] = [];
  for (const range of ranges) {
    let start = range.start;
    for (const owned of sorted) {
      if (owned.end <= start || owned.start >= range.end) continue;
      if (owned.start > start) pieces.push({ start, end: owned.start, owner: null, guessed: true });
      const end = Math.min(owned.end, range.end);
      pieces.push({ start: Math.max(start, owned.start), end, owner: owned.owner, guessed: false });
      start = end;
    }
    if (start < range.end) pieces.push({ start, end: range.end, owner: null, guessed: true });
  }
  pieces.forEach((piece, i) => {
    if (piece.owner !== null) return;
    const before = pieces
      .slice(0, i)
      .reverse()
      .find((p) => !p.guessed);
    const after = pieces.slice(i + 1).find((p) => !p.guessed);
    piece.owner = before?.owner ?? after?.owner ?? null;
  });
  return pieces;
}

/**
 * A size or address for the scenario file, exact and readable: "4G", "4352M", "1T" when whole
 * MiB, else hex ("0x9f000"); 0 stays a number.
 */
export function sizeText(bytes: number): string | number {
  if (bytes === 0) return 0;
  if (bytes % MiB !== 0) return hex(bytes);
  for (const [unit, letter] of [
    [TiB, 'T'],
    [GiB, 'G'],
    [MiB, 'M'],
  ] as const)
    if (bytes % unit === 0) return `${bytes / unit}${letter}`;
  return hex(bytes);
}

/** An address for a message, never rounded: "4 GiB", "4224 MiB", "636 KiB", else hex. */
export function addressText(bytes: number): string {
  if (bytes === 0) return '0';
  for (const [unit, name] of [
    [TiB, 'TiB'],
    [GiB, 'GiB'],
    [MiB, 'MiB'],
    [KiB, 'KiB'],
  ] as const)
    if (bytes % unit === 0 && bytes / unit < 10_000) return `${bytes / unit} ${name}`;
  return hex(bytes);
}
