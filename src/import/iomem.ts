/**
 * /proc/iomem (kernel/resource.c r_show: "%*s%0*llx-%0*llx : %s", two spaces of indent per level
 * of nesting, addresses inclusive). Each line becomes a resource with its depth and parent; the
 * names that matter for memory hotplug are classified: "System RAM", the driver-managed
 * "System RAM (kmem)" / "System RAM (virtio_mem)" that add_memory_driver_managed() registers,
 * "Persistent Memory" (NVDIMM regions, e820 type 12 as "(legacy)"), "Soft Reserved" (EFI
 * specific-purpose memory), and "Reserved".
 *
 * Readers without CAP_SYS_ADMIN see every address as zero (kernel/resource.c iomem_is_exclusive
 * and the kptr-style hiding in r_show); that is detected and said, not imported as RAM at 0.
 * The capture digests' "iomem " prefix is accepted.
 */
import { type ImportProblem, type SourceLine, quote } from './types.ts';

export type IomemKind =
  'ram' | 'kmem' | 'virtio-mem' | 'driver-ram' | 'pmem' | 'soft-reserved' | 'reserved' | 'other';

export interface IomemResource {
  start: number;
  /** Exclusive: the printed end + 1. */
  end: number;
  name: string;
  kind: IomemKind;
  depth: number;
  /** Index of the enclosing resource in `resources`, null at the top level. */
  parent: number | null;
  line: number;
}

export interface IomemParse {
  format: 'iomem';
  resources: IomemResource[];
  /** Every address printed as 0: read without root. */
  zeroed: boolean;
  problems: ImportProblem[];
}

const LINE = /^(?:iomem(?:all)? )?( *)([0-9a-f]+)-([0-9a-f]+)\s+:\s*(.*)$/i;

export const isIomemLine = (text: string) => LINE.test(text);

function classifyResource(name: string): IomemKind {
  if (name === 'System RAM') return 'ram';
  const driver = /^System RAM \((.+)\)$/.exec(name);
  if (driver)
    return driver[1] === 'kmem' ? 'kmem' : driver[1] === 'virtio_mem' ? 'virtio-mem' : 'driver-ram';
  if (/^Persistent Memory( \(legacy\))?$/.test(name)) return 'pmem';
  if (name === 'Soft Reserved') return 'soft-reserved';
  if (/^reserved$/i.test(name)) return 'reserved';
  return 'other';
}

export function parseIomem(lines: SourceLine[]): IomemParse {
  const parse: IomemParse = { format: 'iomem', resources: [], zeroed: false, problems: [] };
  // stack[d] is the index of the last resource seen at depth d.
  const stack: number[] = [];
  for (const line of lines) {
    if (!line.text.trim()) continue;
    const match = LINE.exec(line.text.replace(/\t/g, '  '));
    if (!match) {
      parse.problems.push({
        line: line.no,
        message: `expected "<start>-<end> : <name>", got ${quote(line.text)}`,
      });
      continue;
    }
    const [, indent = '', startHex = '', endHex = '', rawName = ''] = match;
    const start = Number.parseInt(startHex, 16);
    const last = Number.parseInt(endHex, 16);
    const name = rawName.trim();
    const kind = classifyResource(name);
    if (!Number.isSafeInteger(last + 1)) {
      // Bus windows can reach 2^64; only memory needs exact addresses.
      if (kind !== 'other' && kind !== 'reserved')
        parse.problems.push({
          line: line.no,
          message: `${endHex} is past the addresses this tool can hold`,
        });
      continue;
    }
    if (last < start) {
      parse.problems.push({
        line: line.no,
        message: `the range ${startHex}-${endHex} ends before it starts`,
      });
      continue;
    }
    const depth = Math.min(Math.floor(indent.length / 2), stack.length);
    stack.length = depth;
    const parent = depth > 0 ? (stack[depth - 1] ?? null) : null;
    stack.push(parse.resources.length);
    parse.resources.push({ start, end: last + 1, name, kind, depth, parent, line: line.no });
  }
  parse.zeroed =
    parse.resources.length > 0 && parse.resources.every((r) => r.start === 0 && r.end === 1);
  if (parse.zeroed)
    parse.problems.push({
      message:
        '/proc/iomem shows every address as 0: it was read without root (the kernel hides addresses from readers without CAP_SYS_ADMIN). Run `sudo cat /proc/iomem` and paste that',
    });
  return parse;
}

/** The resource, or an ancestor, of one of the given kinds (a kmem range inside a dax region). */
export function ancestorOfKind(parse: IomemParse, index: number, kinds: IomemKind[]) {
  let current: number | null = parse.resources[index]?.parent ?? null;
  while (current !== null) {
    const resource = parse.resources[current]!;
    if (kinds.includes(resource.kind)) return resource;
    current = resource.parent;
  }
  return null;
}
