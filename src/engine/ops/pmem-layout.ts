/**
 * The layout of an fsdax/devdax namespace (drivers/nvdimm/pfn_devs.c nd_pfn_init(), v5.7+ form):
 * an info block at 4 KiB, then with --map=dev the memmap, then the data from `offset`, which is
 * aligned to the namespace's alignment; the end is cut down to that alignment too. A 1 GiB
 * alignment therefore costs up to a gigabyte at each end.
 */
import { KiB, MiB, alignDown, alignUp } from '../units.ts';

export const INFO_BLOCK_BYTES = 8 * KiB;
/** nd_pfn reserves this many bytes per page for --map=dev, whatever sizeof(struct page) is. */
export const MAX_STRUCT_PAGE_SIZE = 64;
/** memremap_compat_align(): sub-section size on x86 (arch values elsewhere are unverified). */
const COMPAT_ALIGN = 2 * MiB;

export interface PmemLayout {
  /** Data offset from the namespace start (info block and, with --map=dev, the memmap). */
  offsetBytes: number;
  /** Bytes at the end lost to the alignment (end_trunc). */
  endTruncBytes: number;
  dataBytes: number;
  /** --map=dev: the altmap's free pages after the info block (memmap budget). */
  altmapFreePages: number;
}

export function pmemLayout(
  startBytes: number,
  sizeBytes: number,
  alignBytes: number,
  map: 'dev' | 'mem',
  pageSize: number,
): PmemLayout {
  const npfnsInitial = Math.floor((sizeBytes - INFO_BLOCK_BYTES) / pageSize);
  const offsetBytes =
    map === 'dev'
      ? alignUp(
          startBytes + INFO_BLOCK_BYTES + MAX_STRUCT_PAGE_SIZE * npfnsInitial,
          Math.max(alignBytes, COMPAT_ALIGN),
        ) - startBytes
      : alignUp(startBytes + INFO_BLOCK_BYTES, alignBytes) - startBytes;
  const end = startBytes + sizeBytes;
  const endTruncBytes = end - alignDown(end, alignBytes);
  return {
    offsetBytes,
    endTruncBytes,
    dataBytes: Math.max(0, sizeBytes - offsetBytes - endTruncBytes),
    // nd_pfn: free = PHYS_PFN(offset) - reserve, the reserve being the info block's pages.
    altmapFreePages: Math.floor(offsetBytes / pageSize) - Math.ceil(INFO_BLOCK_BYTES / pageSize),
  };
}
