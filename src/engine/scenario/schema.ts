/**
 * The scenario format (shared/spec/scenario.md, version 1) as a zod schema.
 *
 * zod checks shapes and fills defaults; `validate.ts` adds the checks that need the whole
 * scenario (unique nodes, overlaps, the arch's huge page sizes) and turns every issue into
 * a message that names the field.
 */
import { z } from 'zod';
import { ARCH_IDS, ERAS } from '../arch.ts';
import { parseSize } from '../units.ts';

/** A size or address: JSON integer or string with an optional binary unit. */
export const sizeSchema = z.unknown().transform((value, ctx) => {
  const bytes = parseSize(value);
  if (bytes === null) {
    ctx.issues.push({ code: 'custom', message: `${describe(value)} is not a size`, input: value });
    return z.NEVER;
  }
  return bytes;
});

function describe(value: unknown): string {
  if (typeof value === 'string')
    return JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value);
  if (value === undefined) return 'nothing';
  if (typeof value === 'number') return String(value);
  return typeof value === 'object' ? (Array.isArray(value) ? 'a list' : 'an object') : typeof value;
}

const label = z.string().max(80).optional();
const extension = z.unknown().optional();
const nodeId = z.number().int().min(0).max(1023);
const rangeSchema = z.strictObject({ start: sizeSchema, size: sizeSchema, x: extension });

const nodeSchema = z.strictObject({
  id: nodeId,
  ram: z.array(rangeSchema).default([]),
  distance: z
    .record(z.string().regex(/^\d+$/, 'must be a node id'), z.number().int().min(10).max(254))
    .optional(),
  x: extension,
});

const machineSchema = z.strictObject({
  virtual: z.boolean().default(true),
  blockSize: z.union([z.literal('auto'), sizeSchema]).default('auto'),
  structPageSize: z.number().int().min(32).max(256).multipleOf(8).default(64),
  nodes: z
    .array(nodeSchema)
    .min(1)
    .default([{ id: 0, ram: [{ start: 0, size: 4 * 1024 ** 3 }] }]),
  hotpluggable: z
    .array(z.strictObject({ start: sizeSchema, size: sizeSchema, node: nodeId, x: extension }))
    .default([]),
  x: extension,
});

/** Where a hot-add's memmap goes: what the kernel does, or one the 2017 RFC offered (issue 13). */
export const STRATEGY_KINDS = ['kernel', 'bigger-blocks', 'node-hosts', 'group', 'ram'] as const;

const strategySchema = z.strictObject({
  kind: z.enum(STRATEGY_KINDS).default('kernel'),
  /** bigger-blocks: the memory block size of the machine. */
  blockSize: sizeSchema.optional(),
  /** group: blocks sharing one altmap on the first of them. */
  groupBlocks: z.number().int().optional(),
  x: extension,
});

const kernelSchema = z.strictObject({
  memmapOnMemory: z.enum(['off', 'on', 'force']).default('off'),
  movableNode: z.boolean().default(false),
  onlinePolicy: z.enum(['contig-zones', 'auto-movable']).default('contig-zones'),
  autoOnline: z.enum(['offline', 'online', 'online_kernel', 'online_movable']).default('offline'),
  hvo: z.boolean().default(false),
  bootUsed: z.record(z.string().regex(/^\d+$/, 'must be a node id'), sizeSchema).default({}),
  /** Absent: { kind: "kernel" } (strategy/kinds.ts normalises it). */
  strategy: strategySchema.optional(),
  x: extension,
});

export const ADD_VIA = [
  'acpi',
  'dlpar',
  'kmem',
  'virtio-mem',
  'hv-balloon',
  'xen-balloon',
  'probe',
] as const;

const eventSchema = z.discriminatedUnion('op', [
  z.strictObject({
    op: z.literal('add'),
    label,
    size: sizeSchema,
    start: sizeSchema.optional(),
    node: nodeId.optional(),
    via: z.enum(ADD_VIA).default('acpi'),
    memmapOnMemory: z.boolean().optional(),
    /** virtio-mem: the device's block size (QEMU: the larger of 2 MiB and a pageblock). */
    deviceBlockSize: sizeSchema.optional(),
    x: extension,
  }),
  z.strictObject({
    op: z.literal('online'),
    label,
    start: sizeSchema.optional(),
    size: sizeSchema.optional(),
    as: z.enum(['online', 'online_kernel', 'online_movable']).default('online'),
    x: extension,
  }),
  z.strictObject({
    op: z.literal('offline'),
    label,
    start: sizeSchema.optional(),
    size: sizeSchema.optional(),
    x: extension,
  }),
  z.strictObject({
    op: z.literal('remove'),
    label,
    start: sizeSchema,
    size: sizeSchema,
    x: extension,
  }),
  z.strictObject({
    op: z.literal('hugetlb'),
    label,
    pageSize: sizeSchema,
    count: z
      .number()
      .int()
      .min(0)
      .max(2 ** 40),
    node: nodeId.optional(),
    x: extension,
  }),
  z.strictObject({
    op: z.literal('consume'),
    label,
    size: sizeSchema,
    node: nodeId.optional(),
    x: extension,
  }),
  z.strictObject({
    op: z.literal('pmem'),
    label,
    start: sizeSchema,
    size: sizeSchema,
    node: nodeId,
    map: z.enum(['dev', 'mem']),
    align: sizeSchema.default(2 * 1024 * 1024),
    /** fsdax (a filesystem on it) or devdax (a character device; kmem can take it as RAM). */
    mode: z.enum(['fsdax', 'devdax']).default('fsdax'),
    x: extension,
  }),
  z.strictObject({
    op: z.literal('dax-kmem'),
    label,
    /** Index of the devdax pmem event whose device becomes System RAM (default: the last one). */
    device: z.number().int().min(0).optional(),
    /** daxX.Y/memmap_on_memory written before binding kmem. */
    memmapOnMemory: z.boolean().optional(),
    x: extension,
  }),
  z.strictObject({
    op: z.literal('device-private'),
    label,
    size: sizeSchema,
    start: sizeSchema.optional(),
    node: nodeId.optional(),
    x: extension,
  }),
]);

export const scenarioSchema = z.strictObject({
  version: z.literal(1),
  title: z.string().max(200).optional(),
  arch: z.enum(ARCH_IDS).default('x86_64'),
  era: z.enum(ERAS).default('U3'),
  /** "major.minor"; when present it decides every version-dependent rule (and the era). */
  kernelVersion: z.string().max(10).optional(),
  machine: machineSchema.default(() => machineSchema.parse({})),
  kernel: kernelSchema.default(() => kernelSchema.parse({})),
  events: z.array(eventSchema).default([]),
  x: extension,
});

export type ParsedScenario = z.output<typeof scenarioSchema>;
export type ScenarioInput = z.input<typeof scenarioSchema>;
