/**
 * What is at a physical address: its pfn, section, block, node, zone and state, what occupies the
 * page, and where its struct page lives (physical address and node) with its vmemmap virtual
 * address. Reads the transferred columns, so the page can answer a hover without the worker.
 */
import type { ZoneName } from './arch.ts';
import {
  DEVICE_KINDS,
  HOSTS,
  REGION_KINDS,
  WINDOW_STATUSES,
  ZONE_CODES,
  type MapColumns,
} from './columns.ts';
import type { MemmapHost, RegionKind, Resolved, WindowStatus } from './result.ts';
import { memberRun, rowsOf } from './tile-columns.ts';
import {
  addrOf,
  asAddr,
  blockOf,
  pfnOf,
  sectionOf,
  type BlockId,
  type Pfn,
  type PhysAddr,
  type SectionNr,
} from './units.ts';

export interface Inspection {
  addr: PhysAddr;
  pfn: Pfn;
  section: SectionNr;
  block: BlockId;
  kind: 'memory' | 'device' | 'hole';
  node: number | null;
  zone: ZoneName | null;
  state: 'online' | 'offline' | null;
  /** The event that added this memory (-1 boot), when it is memory. */
  event: number | null;
  /** This page itself holds struct pages of the block it starts (memmap_on_memory). */
  selfHostedMemmap: boolean;
  structPage: { addr: PhysAddr; node: number; host: MemmapHost; offNode: boolean } | null;
  vmemmapAddr: string | null;
  occupant: { kind: RegionKind; start: PhysAddr; sizeBytes: number } | null;
  device: { kind: (typeof DEVICE_KINDS)[number]; start: PhysAddr; sizeBytes: number } | null;
  window: { status: WindowStatus; start: PhysAddr } | null;
  /** The memory block holds struct pages of other blocks that still exist (the map's hatch). */
  pinnedByMemmap: boolean;
}

type Geometry = Pick<
  Resolved,
  'pageSize' | 'sectionSize' | 'blockSize' | 'structPageSize' | 'vmemmapBase'
> & {
  hugePageSizes: readonly number[];
};

/** Which repetition of [start, start + size) every period (repeat times) holds addr, or -1. */
export function repetitionHolding(
  addr: number,
  start: number,
  size: number,
  period: number,
  repeat: number,
): number {
  if (addr < start) return -1;
  const rep =
    repeat > 1 && period > 0 ? Math.min(repeat - 1, Math.floor((addr - start) / period)) : 0;
  return addr < start + rep * period + size ? rep : -1;
}

/** Index of the last row whose start is <= addr in a column sorted by start, or -1. */
function floorIndex(starts: Float64Array, count: number, addr: number): number {
  let lo = 0;
  let hi = count - 1;
  let found = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (starts[mid]! <= addr) {
      found = mid;
      lo = mid + 1;
    } else hi = mid - 1;
  }
  return found;
}

/**
 * Does addr lie in the pages a self-hosted memmap row occupies? The block columns say how much
 * memmap a block of a run starts with; where only some blocks of a run hold it (groups sharing
 * one altmap, kernel.strategy "group"), the memmap rows say which.
 */
function hostsSelfMemmap(memmap: MapColumns['memmap'], addr: number): boolean {
  for (let m = 0; m < memmap.count; m++) {
    if (HOSTS[memmap.host[m]!] !== 'self') continue;
    const rep = repetitionHolding(
      addr,
      memmap.hostStart[m]!,
      memmap.hostSize[m]!,
      memmap.hostPeriod[m]!,
      memmap.repeat[m]!,
    );
    if (rep >= 0) return true;
  }
  return false;
}

export function inspectAddress(
  columns: MapColumns,
  geometry: Geometry,
  rawAddr: number,
): Inspection {
  const { pageSize, sectionSize, blockSize, structPageSize } = geometry;
  const pfn = pfnOf(asAddr(Math.max(0, rawAddr)), pageSize);
  const addr = addrOf(pfn, pageSize);
  const result: Inspection = {
    addr,
    pfn,
    section: sectionOf(addr, sectionSize),
    block: blockOf(addr, blockSize),
    kind: 'hole',
    node: null,
    zone: null,
    state: null,
    event: null,
    selfHostedMemmap: false,
    structPage: null,
    vmemmapAddr: null,
    occupant: null,
    device: null,
    window: null,
    pinnedByMemmap: false,
  };
  const { blocks, memmap, regions, windows, devices } = columns;
  const b = floorIndex(blocks.start, blocks.count, addr);
  if (b >= 0 && addr < blocks.start[b]! + blocks.blocks[b]! * blockSize) {
    const offsetInBlock = (addr - blocks.start[b]!) % blockSize;
    result.kind = 'memory';
    result.node = blocks.node[b]!;
    result.state = blocks.online[b] ? 'online' : 'offline';
    result.zone = ZONE_CODES[blocks.zone[b]!] ?? null;
    result.event = blocks.event[b]!;
    result.selfHostedMemmap =
      offsetInBlock < blocks.memmapBytes[b]! && hostsSelfMemmap(memmap, addr);
  }
  for (let d = 0; d < devices.count; d++) {
    if (addr >= devices.start[d]! && addr < devices.start[d]! + devices.size[d]!) {
      result.kind = 'device';
      result.node = devices.node[d]!;
      result.zone = 'Device';
      result.device = {
        kind: DEVICE_KINDS[devices.kind[d]!]!,
        start: asAddr(devices.start[d]!),
        sizeBytes: devices.size[d]!,
      };
    }
  }
  for (let m = 0; m < memmap.count; m++) {
    const rep = repetitionHolding(
      addr,
      memmap.describesStart[m]!,
      memmap.describesSize[m]!,
      memmap.describesPeriod[m]!,
      memmap.repeat[m]!,
    );
    if (rep < 0) continue;
    const repStart = memmap.describesStart[m]! + rep * memmap.describesPeriod[m]!;
    const hostStart = memmap.hostStart[m]! + rep * memmap.hostPeriod[m]!;
    const offsetBytes = ((addr - repStart) / pageSize) * structPageSize;
    // A repetition whose host is shorter than its struct pages (devdax compound pages keep two
    // vmemmap pages): the struct pages past it live on its last page, shared.
    const hostSize = memmap.hostSize[m]!;
    const hostAddr =
      offsetBytes < hostSize
        ? hostStart + offsetBytes
        : hostStart + hostSize - pageSize + (offsetBytes % pageSize);
    const node = memmap.hostNode[m]!;
    result.structPage = {
      addr: asAddr(hostAddr),
      node,
      host: HOSTS[memmap.host[m]!]!,
      offNode: node !== memmap.describesNode[m]!,
    };
    if (result.node === null) result.node = memmap.describesNode[m]!;
    break;
  }
  if (result.structPage && geometry.vmemmapBase) {
    result.vmemmapAddr = `0x${(BigInt(geometry.vmemmapBase) + BigInt(pfn) * BigInt(structPageSize)).toString(16)}`;
  }
  for (let r = 0; r < regions.count; r++) {
    const rep = repetitionHolding(
      addr,
      regions.start[r]!,
      regions.size[r]!,
      regions.period[r]!,
      regions.repeat[r]!,
    );
    if (rep >= 0) {
      result.occupant = {
        kind: REGION_KINDS[regions.kind[r]!]!,
        start: asAddr(regions.start[r]! + rep * regions.period[r]!),
        sizeBytes: regions.size[r]!,
      };
      break;
    }
  }
  const windowSize = Math.max(...geometry.hugePageSizes);
  for (let w = 0; w < windows.count; w++) {
    const span = windows.windows[w]! * windowSize;
    const rep = repetitionHolding(
      addr,
      windows.start[w]!,
      span,
      windows.period[w]!,
      windows.repeat[w]!,
    );
    if (rep < 0) continue;
    const repStart = windows.start[w]! + rep * windows.period[w]!;
    const start = repStart + Math.floor((addr - repStart) / windowSize) * windowSize;
    result.window = { status: WINDOW_STATUSES[windows.status[w]!]!, start: asAddr(start) };
    break;
  }
  result.pinnedByMemmap = pinnedRowAt(columns.tiles, addr);
  return result;
}

/** Is addr in a tile row the tiles mark as a block pinned by hosting memmap? */
function pinnedRowAt(tiles: MapColumns['tiles'], addr: number): boolean {
  for (let i = 0; i < tiles.count; i++) {
    const run = memberRun(tiles, i);
    if (repetitionHolding(addr, run.start, run.len, run.stride, run.reps) < 0) continue;
    const row = Math.floor((addr % tiles.tileSize) / tiles.rowSize);
    return tiles.pinned[i * rowsOf(tiles) + row] === 1;
  }
  return false;
}

/**
 * Which pfns the struct pages stored at a host address describe (a page of memmap holds
 * pageSize / sizeof(struct page) of them), or null when no memmap lives there.
 */
export function describedBy(
  columns: MapColumns,
  geometry: Pick<Resolved, 'pageSize' | 'structPageSize'>,
  rawHostAddr: number,
): { firstPfn: Pfn; pfns: number; describesNode: number } | null {
  const { memmap } = columns;
  const { pageSize, structPageSize } = geometry;
  const hostAddr = Math.floor(rawHostAddr / pageSize) * pageSize;
  for (let m = 0; m < memmap.count; m++) {
    const rep = repetitionHolding(
      hostAddr,
      memmap.hostStart[m]!,
      memmap.hostSize[m]!,
      memmap.hostPeriod[m]!,
      memmap.repeat[m]!,
    );
    if (rep < 0) continue;
    const offset = hostAddr - (memmap.hostStart[m]! + rep * memmap.hostPeriod[m]!);
    const start = memmap.describesStart[m]! + rep * memmap.describesPeriod[m]!;
    const described = (offset / structPageSize) * pageSize;
    if (described >= memmap.describesSize[m]!) continue;
    const pfns = Math.min(
      pageSize / structPageSize,
      (memmap.describesSize[m]! - described) / pageSize,
    );
    return {
      firstPfn: ((start + described) / pageSize) as Pfn,
      pfns,
      describesNode: memmap.describesNode[m]!,
    };
  }
  return null;
}
