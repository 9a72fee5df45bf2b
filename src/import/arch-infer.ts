/**
 * Which architecture preset a pasted machine is, from what the text shows, conservatively: the
 * zones present (x86_64 has DMA and DMA32; arm64 DMA below 4 GiB; s390x DMA below 2 GiB; pseries
 * only Normal), the page size (bytes of RAM per present page when zoneinfo comes with addresses),
 * x86-only iomem names (System ROM, IOAPIC, HPET, ACPI Tables), the 256 MiB LMB and device-tree
 * names ("/pci@...", "memory@0") of pseries (two of its signs are needed), and the 2 GiB RAM
 * base of riscv64 virt machines. Without evidence it is x86_64, and every choice is
 * returned as a note saying why.
 */
import type { ArchId, ZoneName } from '../engine/arch.ts';
import { GiB, KiB, MiB, formatBytes } from '../engine/units.ts';

export interface ArchEvidence {
  /** Zones that hold memory, from zoneinfo (present pages) or block listings. */
  zones: Set<ZoneName>;
  /** End of the highest ZONE_DMA block, and start of the lowest ZONE_NORMAL one (bytes). */
  dmaEnd: number | null;
  normalStart: number | null;
  /** Bytes of RAM per present page, when both are known. */
  bytesPerPage: number | null;
  iomemNames: string[];
  blockSize: number | null;
  lowestRam: number | null;
  highestAddress: number;
}

export interface ArchChoice {
  arch: ArchId;
  pageSize: number;
  notes: string[];
}

const X86_NAMES =
  /^(System ROM|Video ROM|Adapter ROM|ACPI Tables|ACPI Non-volatile Storage|IOAPIC \d+|HPET \d+|Local APIC|PCI MMCONFIG|MMCONFIG)/;

function pageSizeOf(bytesPerPage: number | null): number | null {
  if (bytesPerPage === null) return null;
  return (
    [4 * KiB, 16 * KiB, 64 * KiB].find((size) => Math.abs(bytesPerPage / size - 1) < 0.1) ?? null
  );
}

export function inferArch(evidence: ArchEvidence): ArchChoice {
  const pageSize = pageSizeOf(evidence.bytesPerPage);
  const has = (zone: ZoneName) => evidence.zones.has(zone);
  const x86Name = evidence.iomemNames.find((name) => X86_NAMES.test(name));
  // pseries names PCI host bridges by device-tree path ("/pci@800000020000000") and has
  // "ibm," nodes; DT memory nodes read "memory@0".
  const dtName = evidence.iomemNames.find((name) => /^\/|^ibm,|memory@[0-9a-f]/.test(name));
  const pageNote = pageSize
    ? `the zones count ${formatBytes(pageSize)} pages (RAM bytes / present pages)`
    : null;
  const choose = (arch: ArchId, size: number, why: string): ArchChoice => ({
    arch,
    pageSize: size,
    notes: [`architecture ${arch}: ${why}`],
  });

  if (has('DMA32') || x86Name) {
    const why = has('DMA32')
      ? `a DMA32 zone${has('DMA') ? ' and a DMA zone' : ''}`
      : `x86 firmware resources in /proc/iomem (${x86Name})`;
    if (!has('DMA') && has('DMA32') && evidence.lowestRam === 0x8000_0000)
      return choose(
        'riscv64',
        4 * KiB,
        'a DMA32 zone without DMA and RAM from 2 GiB (a riscv64 virt machine)',
      );
    if (pageSize && pageSize !== 4 * KiB)
      return {
        ...choose('x86_64', 4 * KiB, why),
        notes: [
          `architecture x86_64: ${why}; but ${pageNote}, which x86_64 cannot have: check the pastes come from one machine`,
        ],
      };
    if (evidence.highestAddress > 2 ** 46)
      return choose(
        'x86_64-5level',
        4 * KiB,
        `${why}, and addresses past 64 TiB (46 bits) need 5-level paging`,
      );
    return choose('x86_64', 4 * KiB, why);
  }
  if (pageSize === 16 * KiB) return choose('arm64-16k', pageSize, pageNote!);
  if (has('DMA')) {
    const s390 =
      evidence.dmaEnd !== null &&
      evidence.dmaEnd <= 2 * GiB &&
      evidence.normalStart !== null &&
      evidence.normalStart <= 2 * GiB;
    if (s390 && pageSize !== 64 * KiB)
      return choose(
        's390x',
        4 * KiB,
        'ZONE_DMA ends at 2 GiB with ZONE_NORMAL above it and no DMA32 (s390x)',
      );
    if (pageSize === 64 * KiB)
      return choose('arm64-64k', pageSize, `a DMA zone without DMA32, and ${pageNote}`);
    return choose(
      'arm64-4k',
      4 * KiB,
      `a DMA zone without DMA32 (arm64); ${pageSize ? pageNote : 'the page size is not shown, 4 KiB assumed (16K and 64K kernels look the same here)'}`,
    );
  }
  const onlyHigh = evidence.zones.size > 0 && !has('DMA') && !has('DMA32');
  const lmb = evidence.blockSize === 256 * MiB;
  const pseriesSigns = [onlyHigh, lmb, pageSize === 64 * KiB, dtName !== undefined].filter(Boolean);
  if (pseriesSigns.length >= 2) {
    const radix4k = pageSize === 4 * KiB;
    const why = [
      onlyHigh ? 'no DMA or DMA32 zone' : null,
      lmb ? '256 MiB memory blocks (pseries LMBs)' : null,
      dtName ? `device-tree names in /proc/iomem (${dtName})` : null,
      pageNote ??
        'the page size is not shown, 64 KiB assumed (the Debian and RHEL ppc64le kernels)',
    ].filter(Boolean);
    return choose(
      radix4k ? 'ppc64-radix-4k' : 'ppc64-radix-64k',
      radix4k ? 4 * KiB : 64 * KiB,
      `${why.join(', ')}; Radix assumed (a Hash MMU guest looks the same in these files)`,
    );
  }
  if (pageSize === 64 * KiB)
    return choose('arm64-64k', pageSize, `${pageNote}, and no zone pointing to pseries`);
  return choose(
    'x86_64',
    4 * KiB,
    'nothing in the text shows another architecture, so x86_64 (the default) is assumed',
  );
}
