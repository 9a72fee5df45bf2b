/**
 * What a cell of the map (one pageblock of a gigantic-page window) holds, as named codes. Each
 * cell carries two kinds: `a` covering the fraction `fraction`/255 of it (the most telling
 * occupant, memmap first, so a 2 MiB memmap in a 128 MiB block is one whole cell and a 256 KiB
 * one is an eighth of a cell), and `b` for the rest.
 */
export const CELL = {
  hole: 0,
  offline: 1,
  freeDMA: 2,
  freeDMA32: 3,
  freeNormal: 4,
  freeMovable: 5,
  /** Struct pages inside the memory they describe (memmap_on_memory, the RFC). */
  memmapSelf: 6,
  /** force padding: reserved with the memmap, holding nothing. */
  memmapPad: 7,
  /** Struct pages of other memory, taken from RAM here (param: the node they describe). */
  memmapRam: 8,
  /** The boot memmap. */
  memmapBoot: 9,
  /** Unmovable kernel allocations (boot, slab, page tables, consume). */
  kernel: 10,
  huge: 11,
  gigantic: 12,
  /** ZONE_DEVICE data (pmem). */
  device: 13,
  /** Struct pages on the device (pmem --map=dev altmap). */
  deviceMemmap: 14,
  /** The namespace's info block and padding. */
  deviceMeta: 15,
  /** A virtio-mem block's unplugged part: present, never managed. */
  unplugged: 16,
  devicePrivate: 17,
} as const;

export type CellKind = (typeof CELL)[keyof typeof CELL];

export const CELL_NAMES = Object.fromEntries(
  Object.entries(CELL).map(([name, code]) => [code, name]),
) as Record<CellKind, keyof typeof CELL>;

/** Bytes per cell in a pattern: kind a, kind b, fraction of a (0-255), param of a. */
export const CELL_BYTES = 4;
