/**
 * Scenario validation: shape (zod), then whole-scenario rules. Every problem is reported at
 * once, each naming its field path; nothing throws past this function.
 */
import type { z } from 'zod';
import { ARCHES, blockSizeProblem } from '../arch.ts';
import { formatBytes, isPowerOfTwo } from '../units.ts';
import { scenarioSchema } from './schema.ts';
import { checkStrategy } from './strategy.ts';
import { eraOf, NEWEST, OLDEST, parseVersion, versionText } from '../kernel/versions.ts';
import type { Scenario, Validation, ValidationError } from './types.ts';

export const LIMITS = { events: 10_000, nodes: 1_024, bootRanges: 4_096 } as const;

const KNOWN_FIELDS = [
  'version',
  'title',
  'arch',
  'era',
  'kernelVersion',
  'machine',
  'kernel',
  'events',
  'virtual',
  'blockSize',
  'structPageSize',
  'nodes',
  'id',
  'ram',
  'distance',
  'hotpluggable',
  'start',
  'size',
  'node',
  'memmapOnMemory',
  'deviceBlockSize',
  'movableNode',
  'onlinePolicy',
  'autoOnline',
  'hvo',
  'bootUsed',
  'strategy',
  'kind',
  'groupBlocks',
  'op',
  'label',
  'via',
  'as',
  'pageSize',
  'count',
  'map',
  'align',
  'mode',
  'device',
  'x',
];

export function formatPath(path: readonly PropertyKey[]): string {
  let text = '';
  for (const part of path) {
    if (typeof part === 'number') text += `[${part}]`;
    else text += text ? `.${String(part)}` : String(part);
  }
  return text || '(scenario)';
}

function valueAt(input: unknown, path: readonly PropertyKey[]): unknown {
  let value = input;
  for (const part of path) {
    if (value === null || typeof value !== 'object') return undefined;
    value = (value as Record<PropertyKey, unknown>)[part];
  }
  return value;
}

function typeName(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'an object';
  if (typeof value === 'string')
    return `text ${JSON.stringify(value.length > 30 ? `${value.slice(0, 30)}…` : value)}`;
  return `${typeof value} ${String(value)}`;
}

function editDistance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let previous = row[0]!;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const current = row[j]!;
      row[j] = Math.min(row[j]! + 1, row[j - 1]! + 1, previous + (a[i - 1] === b[j - 1] ? 0 : 1));
      previous = current;
    }
  }
  return row[b.length]!;
}

function suggest(key: string): string {
  let best: string | null = null;
  let bestDistance = 3;
  for (const field of KNOWN_FIELDS) {
    const distance = editDistance(key.toLowerCase(), field.toLowerCase());
    if (distance < bestDistance) {
      best = field;
      bestDistance = distance;
    }
  }
  return best ? ` (did you mean "${best}"?)` : '';
}

function describeIssue(issue: z.core.$ZodIssue, input: unknown): ValidationError[] {
  const path = formatPath(issue.path);
  const value = valueAt(input, issue.path);
  switch (issue.code) {
    case 'unrecognized_keys':
      return issue.keys.map((key) => ({
        path: formatPath([...issue.path, key]),
        message: `unknown field${suggest(key)}; extensions go under "x"`,
      }));
    case 'invalid_type':
      if (value === undefined) return [{ path, message: 'required' }];
      return [
        {
          path,
          message: `expected ${issue.expected === 'int' ? 'a whole number' : issue.expected}, got ${typeName(value)}`,
        },
      ];
    case 'invalid_value':
      if (value === undefined)
        return [{ path, message: `required (${issue.values.map(String).join(', ')})` }];
      return [
        {
          path,
          message: `${typeName(value)} is not one of ${issue.values.map((v) => JSON.stringify(v)).join(', ')}`,
        },
      ];
    case 'invalid_union': {
      const discriminator = (issue as { discriminator?: string }).discriminator;
      if (discriminator === 'op') {
        const options = ((issue as { options?: unknown[] }).options ?? []).map(String).join(', ');
        return [
          {
            path,
            message:
              value === undefined
                ? `required: one of ${options}`
                : `${typeName(value)} is not an event type (${options})`,
          },
        ];
      }
      return [{ path, message: `${typeName(value)} is not allowed here` }];
    }
    case 'too_big':
    case 'too_small': {
      const bound = issue.code === 'too_big' ? issue.maximum : issue.minimum;
      const word = issue.code === 'too_big' ? 'at most' : 'at least';
      const what =
        issue.origin === 'string' ? ' characters' : issue.origin === 'array' ? ' entries' : '';
      return [
        {
          path,
          message: `must be ${word} ${String(bound)}${what} (got ${Array.isArray(value) ? `${value.length} entries` : typeName(value)})`,
        },
      ];
    }
    case 'not_multiple_of':
      return [{ path, message: `must be a multiple of ${String(issue.divisor)}` }];
    case 'invalid_format':
      return [{ path, message: issue.message }];
    default:
      return [{ path, message: issue.message }];
  }
}

/** Whole-scenario rules that a shape cannot express. */
function checkScenario(scenario: Scenario): ValidationError[] {
  const errors: ValidationError[] = [];
  const spec = ARCHES[scenario.arch];
  const limit = 2 ** spec.maxPhysBits;
  const limitText = `${spec.id} addresses end at ${formatBytes(limit)} (${spec.maxPhysBits} bits)`;
  const { machine, kernel, events } = scenario;

  if (events.length > LIMITS.events)
    errors.push({
      path: 'events',
      message: `at most ${LIMITS.events} events (got ${events.length})`,
    });
  if (machine.nodes.length > LIMITS.nodes)
    errors.push({ path: 'machine.nodes', message: `at most ${LIMITS.nodes} nodes` });
  const rangeCount = machine.nodes.reduce((sum, node) => sum + node.ram.length, 0);
  if (rangeCount > LIMITS.bootRanges)
    errors.push({
      path: 'machine.nodes',
      message: `at most ${LIMITS.bootRanges} boot RAM ranges (got ${rangeCount})`,
    });

  const nodeIds = new Set<number>();
  machine.nodes.forEach((node, i) => {
    if (nodeIds.has(node.id))
      errors.push({ path: `machine.nodes[${i}].id`, message: `node ${node.id} is listed twice` });
    nodeIds.add(node.id);
  });
  const pageSize = spec.pageSize;
  const ranges: { start: number; end: number; path: string }[] = [];
  machine.nodes.forEach((node, i) => {
    node.ram.forEach((range, j) => {
      const path = `machine.nodes[${i}].ram[${j}]`;
      if (range.size === 0) errors.push({ path: `${path}.size`, message: 'must be more than 0' });
      if (range.start % pageSize !== 0 || range.size % pageSize !== 0) {
        errors.push({
          path,
          message: `must be aligned to the page size (${formatBytes(pageSize)})`,
        });
      }
      if (range.start + range.size > limit)
        errors.push({ path, message: `ends past the physical address width: ${limitText}` });
      ranges.push({ start: range.start, end: range.start + range.size, path });
    });
    for (const key of Object.keys(node.distance ?? {})) {
      if (!machine.nodes.some((other) => other.id === Number(key))) {
        errors.push({
          path: `machine.nodes[${i}].distance.${key}`,
          message: `node ${key} is not in machine.nodes`,
        });
      }
    }
  });
  ranges.sort((a, b) => a.start - b.start);
  for (let i = 1; i < ranges.length; i++) {
    if (ranges[i]!.start < ranges[i - 1]!.end) {
      errors.push({ path: ranges[i]!.path, message: `overlaps ${ranges[i - 1]!.path}` });
    }
  }
  if (rangeCount === 0)
    errors.push({
      path: 'machine.nodes',
      message: 'no node has RAM at boot: the kernel has nowhere to run',
    });

  if (machine.blockSize !== 'auto') {
    const problem = blockSizeProblem(spec, machine.blockSize);
    if (problem)
      errors.push({
        path: 'machine.blockSize',
        message: `${formatBytes(machine.blockSize)} ${problem}`,
      });
  }
  errors.push(...checkStrategy(scenario, spec));
  machine.hotpluggable.forEach((range, i) => {
    const path = `machine.hotpluggable[${i}]`;
    if (!nodeIds.has(range.node))
      errors.push({ path: `${path}.node`, message: `node ${range.node} is not in machine.nodes` });
    if (range.start + range.size > limit)
      errors.push({ path, message: `ends past the physical address width: ${limitText}` });
  });
  for (const [key, bytes] of Object.entries(kernel.bootUsed)) {
    const node = machine.nodes.find((candidate) => candidate.id === Number(key));
    if (!node) {
      errors.push({
        path: `kernel.bootUsed.${key}`,
        message: `node ${key} is not in machine.nodes`,
      });
      continue;
    }
    const ram = node.ram.reduce((sum, range) => sum + range.size, 0);
    if (bytes > ram)
      errors.push({
        path: `kernel.bootUsed.${key}`,
        message: `${formatBytes(bytes)} is more than node ${key}'s boot RAM (${formatBytes(ram)})`,
      });
  }

  events.forEach((event, i) => {
    const path = `events[${i}]`;
    if ('node' in event && event.node !== undefined && !nodeIds.has(event.node)) {
      errors.push({ path: `${path}.node`, message: `node ${event.node} is not in machine.nodes` });
    }
    if (event.op === 'hugetlb' && !spec.hugePageSizes.includes(event.pageSize)) {
      errors.push({
        path: `${path}.pageSize`,
        message: `${formatBytes(event.pageSize)} is not a huge page size of ${spec.id} (${spec.hugePageSizes.map(formatBytes).join(', ')})`,
      });
    }
    if (
      (event.op === 'add' || event.op === 'device-private' || event.op === 'consume') &&
      event.size === 0
    ) {
      errors.push({ path: `${path}.size`, message: 'must be more than 0' });
    }
    if (event.op === 'add' && event.deviceBlockSize !== undefined) {
      if (event.via !== 'virtio-mem')
        errors.push({
          path: `${path}.deviceBlockSize`,
          message: 'is the virtio-mem device block size: only with "via": "virtio-mem"',
        });
      else if (!isPowerOfTwo(event.deviceBlockSize) || event.deviceBlockSize < spec.pageSize)
        errors.push({
          path: `${path}.deviceBlockSize`,
          message: `${formatBytes(event.deviceBlockSize)} must be a power of two of at least one page`,
        });
    }
    if (event.op === 'add' && event.memmapOnMemory !== undefined && event.via !== 'kmem') {
      errors.push({
        path: `${path}.memmapOnMemory`,
        message: 'is the dax/kmem per-device switch: only with "via": "kmem"',
      });
    }
  });
  return errors;
}

/**
 * kernelVersion decides the era: an era given beside it must agree (the RFC eras are 4.13 with
 * the patches applied). Fills in the derived era.
 */
function checkVersion(scenario: Scenario, input: unknown): ValidationError[] {
  if (scenario.kernelVersion === undefined) return [];
  const version = parseVersion(scenario.kernelVersion);
  if (!version)
    return [
      {
        path: 'kernelVersion',
        message: `${JSON.stringify(scenario.kernelVersion)} is not a kernel version the model knows ("major.minor", ${OLDEST} to ${NEWEST})`,
      },
    ];
  const given = (input as { era?: unknown }).era;
  const derived = eraOf(version);
  if (given === 'RFC1' || given === 'RFC2') {
    if (versionText(version) !== OLDEST)
      return [
        {
          path: 'era',
          message: `${given} is the 2017 RFC on top of ${OLDEST}, but kernelVersion is "${scenario.kernelVersion}"`,
        },
      ];
    return [];
  }
  if (given !== undefined && given !== derived)
    return [
      {
        path: 'era',
        message: `"${String(given)}" disagrees with kernelVersion "${scenario.kernelVersion}", which is era ${derived}`,
      },
    ];
  scenario.era = derived;
  return [];
}

export function validateScenario(input: unknown): Validation {
  try {
    const parsed = scenarioSchema.safeParse(input);
    if (!parsed.success) {
      const errors = parsed.error.issues.flatMap((issue) => describeIssue(issue, input));
      return { ok: false, errors };
    }
    const versionErrors = checkVersion(parsed.data, input);
    if (versionErrors.length) return { ok: false, errors: versionErrors };
    const errors = checkScenario(parsed.data);
    return errors.length ? { ok: false, errors } : { ok: true, scenario: parsed.data };
  } catch (error) {
    return {
      ok: false,
      errors: [
        {
          path: '(scenario)',
          message: `could not be read: ${error instanceof Error ? error.message : String(error)}`,
        },
      ],
    };
  }
}
