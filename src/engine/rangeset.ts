/**
 * A set of integers kept as sorted, disjoint, non-adjacent half-open ranges [start, end).
 *
 * This is how the engine stays independent of memory size: free memory, a zone's pfns or a
 * node's boot RAM cost one entry per contiguous range, whatever its length. Operations are
 * O(log n) to find and O(n) to splice, with n the number of ranges (which grows with events).
 */
export interface Range {
  start: number;
  end: number;
}

export class RangeSet {
  private starts: number[] = [];
  private ends: number[] = [];
  private sum = 0;

  static of(ranges: Iterable<Range>): RangeSet {
    const set = new RangeSet();
    for (const range of ranges) set.add(range.start, range.end);
    return set;
  }

  clone(): RangeSet {
    const copy = new RangeSet();
    copy.starts = this.starts.slice();
    copy.ends = this.ends.slice();
    copy.sum = this.sum;
    return copy;
  }

  get size(): number {
    return this.starts.length;
  }

  /** Number of integers in the set. */
  total(): number {
    return this.sum;
  }

  isEmpty(): boolean {
    return this.starts.length === 0;
  }

  first(): number | undefined {
    return this.starts[0];
  }

  /** One past the last member. */
  last(): number | undefined {
    return this.ends[this.ends.length - 1];
  }

  /** Calls fn(start, end) for each range without allocating (hot loops over many ranges). */
  forEachRange(fn: (start: number, end: number) => void): void {
    for (let i = 0; i < this.starts.length; i++) fn(this.starts[i]!, this.ends[i]!);
  }

  *ranges(): IterableIterator<Range> {
    for (let i = 0; i < this.starts.length; i++) {
      yield { start: this.starts[i]!, end: this.ends[i]! };
    }
  }

  *rangesDescending(): IterableIterator<Range> {
    for (let i = this.starts.length - 1; i >= 0; i--) {
      yield { start: this.starts[i]!, end: this.ends[i]! };
    }
  }

  toArray(): Range[] {
    return [...this.ranges()];
  }

  /** Index of the first range whose end is > value. */
  private firstEndingAfter(value: number): number {
    let lo = 0;
    let hi = this.ends.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.ends[mid]! > value) hi = mid;
      else lo = mid + 1;
    }
    return lo;
  }

  add(start: number, end: number): void {
    if (end <= start) return;
    // Ranges touching [start, end) (including adjacent ones) merge into one.
    const i = this.firstEndingAfter(start - 1);
    let newStart = start;
    let newEnd = end;
    let j = i;
    let removed = 0;
    while (j < this.starts.length && this.starts[j]! <= end) {
      newStart = Math.min(newStart, this.starts[j]!);
      newEnd = Math.max(newEnd, this.ends[j]!);
      removed += this.ends[j]! - this.starts[j]!;
      j++;
    }
    this.starts.splice(i, j - i, newStart);
    this.ends.splice(i, j - i, newEnd);
    this.sum += newEnd - newStart - removed;
  }

  remove(start: number, end: number): void {
    if (end <= start) return;
    const i = this.firstEndingAfter(start);
    const newStarts: number[] = [];
    const newEnds: number[] = [];
    let j = i;
    while (j < this.starts.length && this.starts[j]! < end) {
      const s = this.starts[j]!;
      const e = this.ends[j]!;
      if (s < start) {
        newStarts.push(s);
        newEnds.push(start);
      }
      if (e > end) {
        newStarts.push(end);
        newEnds.push(e);
      }
      this.sum -= Math.min(e, end) - Math.max(s, start);
      j++;
    }
    this.starts.splice(i, j - i, ...newStarts);
    this.ends.splice(i, j - i, ...newEnds);
  }

  /**
   * Adds many ranges in one merge pass: O(n + m) instead of m splices. Used where an operation
   * touches one range per memory block (memmap_on_memory leaves a hole at every block start).
   */
  addMany(ranges: readonly Range[]): void {
    if (ranges.length < 8) {
      for (const range of ranges) this.add(range.start, range.end);
      return;
    }
    const incoming = [...ranges].filter((r) => r.end > r.start).sort((a, b) => a.start - b.start);
    const starts: number[] = [];
    const ends: number[] = [];
    let i = 0;
    let j = 0;
    const push = (start: number, end: number) => {
      const last = ends.length - 1;
      if (last >= 0 && start <= ends[last]!) {
        if (end > ends[last]!) ends[last] = end;
      } else {
        starts.push(start);
        ends.push(end);
      }
    };
    while (i < this.starts.length || j < incoming.length) {
      if (
        j >= incoming.length ||
        (i < this.starts.length && this.starts[i]! <= incoming[j]!.start)
      ) {
        push(this.starts[i]!, this.ends[i]!);
        i++;
      } else {
        push(incoming[j]!.start, incoming[j]!.end);
        j++;
      }
    }
    this.starts = starts;
    this.ends = ends;
    this.sum = 0;
    for (let k = 0; k < starts.length; k++) this.sum += ends[k]! - starts[k]!;
  }

  /** Removes many ranges in one pass (see addMany). */
  removeMany(ranges: readonly Range[]): void {
    if (ranges.length < 8) {
      for (const range of ranges) this.remove(range.start, range.end);
      return;
    }
    const cuts = [...ranges].filter((r) => r.end > r.start).sort((a, b) => a.start - b.start);
    const starts: number[] = [];
    const ends: number[] = [];
    let j = 0;
    for (let i = 0; i < this.starts.length; i++) {
      let s = this.starts[i]!;
      const e = this.ends[i]!;
      while (j < cuts.length && cuts[j]!.end <= s) j++;
      let k = j;
      while (s < e) {
        const cut = cuts[k];
        if (!cut || cut.start >= e) {
          starts.push(s);
          ends.push(e);
          break;
        }
        if (cut.start > s) {
          starts.push(s);
          ends.push(cut.start);
        }
        s = Math.max(s, cut.end);
        if (cut.end <= e) k++;
        else break;
      }
    }
    this.starts = starts;
    this.ends = ends;
    this.sum = 0;
    for (let k = 0; k < starts.length; k++) this.sum += ends[k]! - starts[k]!;
  }

  has(value: number): boolean {
    const i = this.firstEndingAfter(value);
    return i < this.starts.length && this.starts[i]! <= value;
  }

  /** True when every integer of [start, end) is in the set. */
  covers(start: number, end: number): boolean {
    if (end <= start) return true;
    const i = this.firstEndingAfter(start);
    return i < this.starts.length && this.starts[i]! <= start && this.ends[i]! >= end;
  }

  intersects(start: number, end: number): boolean {
    if (end <= start) return false;
    const i = this.firstEndingAfter(start);
    return i < this.starts.length && this.starts[i]! < end;
  }

  /** The parts of the set inside [start, end). */
  *rangesIn(start: number, end: number): IterableIterator<Range> {
    for (let i = this.firstEndingAfter(start); i < this.starts.length; i++) {
      const s = this.starts[i]!;
      if (s >= end) break;
      yield { start: Math.max(s, start), end: Math.min(this.ends[i]!, end) };
    }
  }

  /** Number of aligned chunks [k*chunk, (k+1)*chunk) that lie wholly inside the set. */
  countAlignedChunks(chunk: number): number {
    let count = 0;
    for (let i = 0; i < this.starts.length; i++) {
      const first = Math.ceil(this.starts[i]! / chunk);
      const last = Math.floor(this.ends[i]! / chunk);
      if (last > first) count += last - first;
    }
    return count;
  }
}
