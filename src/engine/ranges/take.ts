/**
 * Aligned chunks in entries: counting them, listing them as runs, and choosing which to take
 * from the bottom or the top of a set. Every repetition of a periodic entry holds its chunks at
 * the same offsets when the stride is a multiple of the alignment (the RangeSet re-cuts entries
 * whose stride is not), so a periodic entry gives periodic runs of chunks: taking a million
 * 1 GiB pages out of a million alike blocks is one run.
 */
import { isPlain, memberBase, type Entry } from './entry.ts';
import { alignDown, alignUp } from '../units.ts';
import type { Run } from '../rangeset.ts';

interface Slot {
  /** Offset of the first chunk from the repetition's base. */
  offset: number;
  chunks: number;
}

/** Where chunks fit in one repetition (offsets from its base), as the direction packs them. */
function slots(entry: Entry, base: number, chunk: number, align: number, fromTop: boolean): Slot[] {
  const out: Slot[] = [];
  for (let j = 0; j < entry.pat.length; j += 2) {
    const bottom = alignUp(base + entry.pat[j]!, align);
    const top = alignDown(base + entry.pat[j + 1]!, align);
    const fit = top > bottom ? Math.floor((top - bottom) / chunk) : 0;
    if (fit > 0) out.push({ offset: (fromTop ? top - fit * chunk : bottom) - base, chunks: fit });
  }
  return out;
}

const slotTotal = (list: readonly Slot[]) => list.reduce((sum, slot) => sum + slot.chunks, 0);

export function countAligned(entry: Entry, chunk: number, align: number): number {
  if (isPlain(entry) || entry.stride % align === 0)
    return entry.reps * slotTotal(slots(entry, entry.start, chunk, align, false));
  // Repetitions fall in `period` different phases against the alignment.
  let period = 1;
  while ((entry.stride * period) % align !== 0 && period < align) period *= 2;
  let count = 0;
  for (let r = 0; r < Math.min(period, entry.reps); r++) {
    const members = Math.floor((entry.reps - 1 - r) / period) + 1;
    count += members * slotTotal(slots(entry, memberBase(entry, r), chunk, align, false));
  }
  return count;
}

/** Every chunk an entry could give, as runs (the entry's stride must be a multiple of align). */
export function alignedRuns(entry: Entry, chunk: number, align: number): Run[] {
  return slots(entry, entry.start, chunk, align, false).map((slot) => ({
    start: entry.start + slot.offset,
    len: slot.chunks * chunk,
    stride: isPlain(entry) ? slot.chunks * chunk : entry.stride,
    reps: entry.reps,
  }));
}

/**
 * The chunks to take: whole repetitions first (one periodic run per slot), then part of the
 * next repetition, from the bottom of the lowest entry or the top of the highest.
 */
export function takeRuns(
  entries: readonly Entry[],
  maxChunks: number,
  chunk: number,
  align: number,
  fromTop: boolean,
): Run[] {
  const taken: Run[] = [];
  let remaining = maxChunks;
  for (let n = 0; n < entries.length && remaining > 0; n++) {
    const entry = entries[fromTop ? entries.length - 1 - n : n]!;
    const list = slots(entry, entry.start, chunk, align, fromTop);
    const perRep = slotTotal(list);
    if (perRep === 0) continue;
    const whole = Math.min(entry.reps, Math.floor(remaining / perRep));
    if (whole > 0) {
      const firstRep = fromTop ? entry.reps - whole : 0;
      for (const slot of list) {
        taken.push({
          start: memberBase(entry, firstRep) + slot.offset,
          len: slot.chunks * chunk,
          stride: whole > 1 ? entry.stride : slot.chunks * chunk,
          reps: whole,
        });
      }
      remaining -= whole * perRep;
    }
    if (remaining > 0 && whole < entry.reps) {
      const rep = fromTop ? entry.reps - whole - 1 : whole;
      const base = memberBase(entry, rep);
      const ordered = fromTop ? [...list].reverse() : list;
      for (const slot of ordered) {
        if (remaining <= 0) break;
        const take = Math.min(slot.chunks, remaining);
        const start = fromTop
          ? base + slot.offset + (slot.chunks - take) * chunk
          : base + slot.offset;
        taken.push({ start, len: take * chunk, stride: take * chunk, reps: 1 });
        remaining -= take;
      }
    }
  }
  return taken;
}
