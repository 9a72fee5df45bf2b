/**
 * /proc/iomem as root reads it (kernel/resource.c r_show: two spaces of indent per level, then
 * "%0*llx-%0*llx : %s" with a minimum width of 8 hex digits for the memory tree), built from the
 * memory the engine knows about:
 *
 * - boot RAM: one "System RAM" per contiguous range (e820 entries do not stop at node edges);
 * - each hot-add request one "System RAM" (add_memory_resource); the self-hosted memmap is
 *   inside it and invisible, exactly as on a real kernel;
 * - dax/kmem: the device's resource ("daxN.0", requested by kmem) with "System RAM (kmem)" in it;
 * - virtio-mem: the device ("virtioN") with "System RAM (virtio_mem)" in it, adjacent plugs merged
 *   (add_memory_driver_managed with MHP_MERGE_RESOURCE);
 * - pmem: "Persistent Memory" (the NFIT region) with its "namespaceN.0";
 * - device-private memory: the free range its driver requested.
 */
import type { Machine } from '../model/machine.ts';
import { addrOfPfn, hexDigits } from './text.ts';

interface Res {
  startPfn: number;
  endPfn: number;
  name: string;
  children: Res[];
}

const res = (startPfn: number, endPfn: number, name: string, children: Res[] = []): Res => ({
  startPfn,
  endPfn,
  name,
  children,
});

/** Adjacent [start, end) ranges joined. */
function joinRanges(ranges: { start: number; end: number }[]): { start: number; end: number }[] {
  const sorted = [...ranges].sort((a, b) => a.start - b.start);
  const joined: { start: number; end: number }[] = [];
  for (const range of sorted) {
    const last = joined[joined.length - 1];
    if (last && last.end >= range.start) last.end = Math.max(last.end, range.end);
    else joined.push({ ...range });
  }
  return joined;
}

function iomemResources(machine: Machine): Res[] {
  const top: Res[] = [];
  const bootRanges = [...machine.bootRam.values()].flatMap((ram) => [...ram.ranges()]);
  for (const range of joinRanges(bootRanges)) top.push(res(range.start, range.end, 'System RAM'));

  const virtioByNode = new Map<number, { start: number; end: number }[]>();
  let daxIndex = 0;
  for (const resource of machine.resources) {
    if (resource.kind !== 'ram' || resource.nrPages <= 0) continue;
    const start = resource.startPfn;
    const end = start + resource.nrPages;
    if (resource.via === 'kmem') {
      top.push(res(start, end, `dax${daxIndex++}.0`, [res(start, end, 'System RAM (kmem)')]));
    } else if (resource.via === 'virtio-mem') {
      const list = virtioByNode.get(resource.node) ?? [];
      list.push({ start, end });
      virtioByNode.set(resource.node, list);
    } else {
      top.push(res(start, end, 'System RAM'));
    }
  }
  [...virtioByNode.keys()]
    .sort((a, b) => a - b)
    .forEach((node, index) => {
      const plugged = joinRanges(virtioByNode.get(node)!);
      const children = plugged.map((range) =>
        res(range.start, range.end, 'System RAM (virtio_mem)'),
      );
      top.push(
        res(plugged[0]!.start, plugged[plugged.length - 1]!.end, `virtio${index}`, children),
      );
    });

  let region = 0;
  for (const device of machine.devices) {
    const end = device.startPfn + device.nrPages;
    if (device.kind === 'pmem') {
      const namespace = res(device.startPfn, end, `namespace${region}.0`);
      top.push(res(device.startPfn, end, 'Persistent Memory', [namespace]));
      region++;
    } else {
      top.push(res(device.startPfn, end, 'Device Private'));
    }
  }
  return top.sort((a, b) => a.startPfn - b.startPfn);
}

export function iomemText(machine: Machine): string {
  const lines: string[] = [];
  const show = (node: Res, depth: number) => {
    const start = addrOfPfn(node.startPfn, machine.pageSize);
    const end = addrOfPfn(node.endPfn, machine.pageSize) - 1n;
    lines.push(
      `${' '.repeat(depth * 2)}${hexDigits(start, 8)}-${hexDigits(end, 8)} : ${node.name}`,
    );
    for (const child of node.children) show(child, depth + 1);
  };
  for (const node of iomemResources(machine)) show(node, 0);
  return `${lines.join('\n')}\n`;
}

export const IOMEM_NOTES = [
  'Only memory the model knows is listed: firmware-reserved ranges (e820 Reserved, ACPI tables, the PCI hole), ROMs and the kernel code/data children are not modelled.',
  'A virtio-mem device is shown spanning what it has plugged; the real device resource spans its whole region.',
  'dax/kmem: the region above the dax device (e.g. "Persistent Memory" for an NVDIMM) is not modelled, so "System RAM (kmem)" sits one level higher than on the recorded kernel.',
  'Device-private memory is named after its driver on a real kernel; shown here as "Device Private".',
];
