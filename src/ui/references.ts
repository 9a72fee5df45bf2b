/** Where to read more, by era and event: the LKML threads and kernel documents the narration cites. */
import type { Era } from '../engine/arch.ts';

export interface Reference {
  title: string;
  href: string;
}

const RFC1 = {
  title: 'Hocko, [RFC PATCH 0/5] allocate memmap from hotadded memory (26 Jul 2017)',
  href: 'https://lore.kernel.org/linux-mm/20170726083333.17754-1-mhocko@kernel.org/',
};
const RFC2 = {
  title: 'Hocko, RFC v2: opt-in with MHP_MEMMAP_FROM_RANGE (1 Aug 2017)',
  href: 'https://lore.kernel.org/linux-mm/20170801124111.28881-1-mhocko@kernel.org/',
};
const JEROME = {
  title: 'Glisse: HMM device memory needs forbid_altmap (26 Jul 2017)',
  href: 'https://lore.kernel.org/linux-mm/20170726210657.GE21717@redhat.com/',
};
const HOTPLUG_DOC = {
  title: 'Documentation/admin-guide/mm/memory-hotplug.rst',
  href: 'https://docs.kernel.org/admin-guide/mm/memory-hotplug.html',
};
const MMO_COMMIT = {
  title: 'a08a2ae34613 mm,memory_hotplug: allocate memmap from the added memory range (v5.13)',
  href: 'https://git.kernel.org/torvalds/c/a08a2ae3461383c2d50d0997dcc6cd1dd1fefb08',
};
const HVO = {
  title: 'Documentation/mm/vmemmap_dedup.rst (HVO)',
  href: 'https://docs.kernel.org/mm/vmemmap_dedup.html',
};
const PMEM = {
  title: 'ndctl create-namespace --map=dev|mem',
  href: 'https://docs.pmem.io/ndctl-user-guide/ndctl-man-pages/ndctl-create-namespace',
};
const MEMORY_MODEL = {
  title: 'Documentation/mm/memory-model.rst (SPARSEMEM_VMEMMAP, altmap)',
  href: 'https://docs.kernel.org/mm/memory-model.html',
};

const ERA_REFS: Record<Era, Reference[]> = {
  LEGACY: [RFC1, HOTPLUG_DOC],
  RFC1: [RFC1, JEROME],
  RFC2: [RFC2, JEROME],
  U1: [MMO_COMMIT, HOTPLUG_DOC],
  U2: [HOTPLUG_DOC, MMO_COMMIT],
  U3: [HOTPLUG_DOC, MMO_COMMIT],
};

export function referencesFor(era: Era, op: string): Reference[] {
  if (op === 'boot') return [MEMORY_MODEL];
  if (op === 'device-private') return [JEROME, MEMORY_MODEL];
  if (op === 'pmem') return [PMEM, MEMORY_MODEL];
  if (op === 'hugetlb')
    return [
      {
        title: 'Documentation/admin-guide/mm/hugetlbpage.rst',
        href: 'https://docs.kernel.org/admin-guide/mm/hugetlbpage.html',
      },
      HVO,
    ];
  if (op === 'online' || op === 'offline' || op === 'remove') return [HOTPLUG_DOC];
  return ERA_REFS[era];
}
