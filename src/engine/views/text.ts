/**
 * Text primitives the kernel views share, each reproducing one printer exactly: util-linux's
 * size_to_human_string() (lib/strutils.c, v2.38.1), libsmartcols' column layout as lsmem uses
 * it, printk's timestamp prefix, and the kernel's zero-padded hex. Addresses are built with
 * BigInt so that ends like 2^56 - 1 stay exact.
 */

const LETTERS = 'BKMGTPE';

/**
 * size_to_human_string(SIZE_SUFFIX_1LETTER): the largest binary unit below the value, one
 * decimal rounded half up (three digits first, then to one), a trailing zero dropped, and
 * "1.0" style results printed as "1".
 */
export function humanSize(bytes: number): string {
  const value = BigInt(bytes);
  let exp = 0;
  for (let shift = 10; shift <= 60; shift += 10) {
    if (value < 1n << BigInt(shift)) break;
    exp = shift;
  }
  const letter = LETTERS[exp / 10]!;
  if (exp === 0) return `${bytes}${letter}`;
  const unit = 1n << BigInt(exp);
  let dec = value / unit;
  let frac = value % unit;
  if (frac > 0n) {
    frac = (frac * 1000n) / unit;
    frac = ((frac + 50n) / 100n) * 10n;
    if (frac === 100n) {
      dec += 1n;
      frac = 0n;
    }
  }
  if (frac === 0n) return `${dec}${letter}`;
  const digits = frac.toString().padStart(2, '0').replace(/0$/, '');
  return `${dec}.${digits}${letter}`;
}

export interface Column {
  header: string;
  /** SCOLS_FL_RIGHT: header and cells right-aligned. */
  right: boolean;
  /** The width hint (whint >= 1) lsmem gives the column, a minimum when the header is shorter. */
  widthHint?: number;
}

/**
 * A libsmartcols table as `scols_print_table()` lays it out for a pipe: each column as wide as
 * its widest cell or header (or the width hint), one space between columns, and a left-aligned
 * last column not padded.
 */
export function renderTable(columns: readonly Column[], rows: readonly string[][]): string[] {
  const widths = columns.map((column, i) => {
    let width = column.header.length;
    for (const row of rows) width = Math.max(width, (row[i] ?? '').length);
    const hint = column.widthHint ?? 0;
    if (hint >= 1 && width < hint && column.header.length < hint) width = hint;
    return width;
  });
  const line = (cells: readonly string[]) =>
    columns
      .map((column, i) => {
        const cell = cells[i] ?? '';
        if (column.right) return cell.padStart(widths[i]!);
        return i === columns.length - 1 ? cell : cell.padEnd(widths[i]!);
      })
      .join(' ');
  return [line(columns.map((column) => column.header)), ...rows.map(line)];
}

/** `%0*llx`: lowercase hex, zero-padded to `width` digits, never truncated. */
export function hexDigits(value: bigint | number, width: number): string {
  return value.toString(16).padStart(width, '0');
}

/** Byte address of a pfn, exact past 2^53. */
export const addrOfPfn = (pfn: number, pageSize: number): bigint => BigInt(pfn) * BigInt(pageSize);

/** printk's "[%5lu.%06lu] " prefix for a time in microseconds. */
export function printkTime(micros: number): string {
  const seconds = Math.floor(micros / 1e6);
  const rest = micros - seconds * 1e6;
  return `[${String(seconds).padStart(5)}.${String(rest).padStart(6, '0')}] `;
}
