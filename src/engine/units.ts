/**
 * Units and branded number types.
 *
 * Internally the engine counts in pages of the arch's base page size (pfns); bytes appear only at
 * the scenario and result boundaries. Brands keep a pfn from being passed where a physical address
 * is expected (and vice versa) at compile time; they cost nothing at run time.
 *
 * Every value stays an exact integer in a double: 4 PiB is 2^52 bytes, 2^40 pfns of 4 KiB.
 * Bitwise operators truncate to 32 bits, so this file (and the engine) uses arithmetic instead.
 */
declare const brand: unique symbol;
type Brand<T, B extends string> = T & { readonly [brand]: B };

/** Page frame number: physical address / page size. */
export type Pfn = Brand<number, 'Pfn'>;
/** Physical address in bytes. */
export type PhysAddr = Brand<number, 'PhysAddr'>;
/** SPARSEMEM section number: pfn / pages per section. */
export type SectionNr = Brand<number, 'SectionNr'>;
/** Memory block id, as in /sys/devices/system/memory/memoryN. */
export type BlockId = Brand<number, 'BlockId'>;

export const asAddr = (value: number) => value as PhysAddr;

/** The conversions between the address spaces, in one place. */
export const pfnOf = (addr: PhysAddr, pageSize: number) => Math.floor(addr / pageSize) as Pfn;
export const addrOf = (pfn: Pfn, pageSize: number) => (pfn * pageSize) as PhysAddr;
export const sectionOf = (addr: PhysAddr, sectionSize: number) =>
  Math.floor(addr / sectionSize) as SectionNr;
export const blockOf = (addr: PhysAddr, blockSize: number) =>
  Math.floor(addr / blockSize) as BlockId;

export const KiB = 1024;
export const MiB = 1024 * KiB;
export const GiB = 1024 * MiB;
export const TiB = 1024 * GiB;
export const PiB = 1024 * TiB;

const unitBytes: Record<string, number> = { K: KiB, M: MiB, G: GiB, T: TiB, P: PiB };

/**
 * Parses a size or address as the scenario format defines it: a JSON integer, or a string of
 * decimal bytes, hex bytes, or a number with a binary unit (K M G T P, optional "i"/"B").
 * Returns null for anything else; callers turn that into a message naming the field.
 */
export function parseSize(value: unknown): number | null {
  if (typeof value === 'number') {
    return Number.isSafeInteger(value) && value >= 0 ? value : null;
  }
  if (typeof value !== 'string') return null;
  const text = value.trim();
  if (text.length === 0 || text.length > 40) return null;
  if (/^0x[0-9a-f]+$/i.test(text)) {
    const parsed = Number.parseInt(text.slice(2), 16);
    return Number.isSafeInteger(parsed) ? parsed : null;
  }
  if (/^\d+$/.test(text)) {
    const parsed = Number(text);
    return Number.isSafeInteger(parsed) ? parsed : null;
  }
  const match = /^(\d+(?:\.\d+)?)\s*([KMGTP])(?:i?B)?$/i.exec(text);
  if (!match) return null;
  const [, digits = '', unit = ''] = match;
  const bytes = Number(digits) * (unitBytes[unit.toUpperCase()] ?? Number.NaN);
  return Number.isSafeInteger(bytes) ? bytes : null;
}

const binaryUnits = ['B', 'KiB', 'MiB', 'GiB', 'TiB', 'PiB', 'EiB'];

/** Human size, exact where it can be: 134217728 -> "128 MiB", 1.5 GiB -> "1.5 GiB". */
export function formatBytes(bytes: number): string {
  if (!Number.isFinite(bytes)) return String(bytes);
  const sign = bytes < 0 ? '-' : '';
  let value = Math.abs(bytes);
  let unit = 0;
  while (value >= 1024 && unit < binaryUnits.length - 1) {
    value /= 1024;
    unit++;
  }
  const rounded = Number.isInteger(value)
    ? String(value)
    : value >= 100
      ? value.toFixed(0)
      : value >= 10
        ? value.toFixed(1)
        : value.toFixed(2);
  const trimmed = rounded.includes('.') ? rounded.replace(/0+$/, '').replace(/\.$/, '') : rounded;
  return `${sign}${trimmed} ${binaryUnits[unit]}`;
}

/** Kernel-style short size as lsmem prints it: 128M, 2G, 16T. */
export function formatShortSize(bytes: number): string {
  const units = ['', 'K', 'M', 'G', 'T', 'P', 'E'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  const text = Number.isInteger(value) ? String(value) : value.toFixed(1).replace(/\.0$/, '');
  return `${text}${units[unit]}${unit === 0 ? 'B' : ''}`;
}

/** 0x-prefixed lowercase hex of an exact integer (safe up to 2^53). */
export function hex(value: number, padTo = 0): string {
  return `0x${value.toString(16).padStart(padTo, '0')}`;
}

/** Greatest power of two dividing `value` (value > 0), by arithmetic so it works past 2^32. */
export function lowestPowerOfTwo(value: number): number {
  let power = 1;
  while (value % (power * 2) === 0 && power < 2 ** 52) power *= 2;
  return power;
}

export function isPowerOfTwo(value: number): boolean {
  return value > 0 && Number.isSafeInteger(value) && lowestPowerOfTwo(value) === value;
}

export function alignUp(value: number, alignment: number): number {
  return Math.ceil(value / alignment) * alignment;
}

export function alignDown(value: number, alignment: number): number {
  return Math.floor(value / alignment) * alignment;
}
