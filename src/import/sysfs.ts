/**
 * A listing of /sys/devices/system/memory (drivers/base/memory.c): what
 * `grep . /sys/devices/system/memory/memoryN/{state,valid_zones,phys_index} .../block_size_bytes`
 * prints for every block N ("path:value" lines; block_size_bytes and phys_index are hex without
 * 0x), node links ("memory32/node1", as `ls -d` lists them), auto_online_blocks, and the
 * /sys/module/memory_hotplug/parameters files. The captures' digest is read too:
 * `block <id> <phys_index hex> <state> node<N> <valid_zones comma-separated>`,
 * `block_size_bytes <decimal>`, `auto_online_blocks <policy>`, `param <name> <value>`.
 *
 * Facts are gathered per block (any order, any subset of attributes), then merged into runs.
 */
import { isPowerOfTwo } from '../engine/units.ts';
import {
  type BlockRun,
  type BlockState,
  type ImportProblem,
  type SourceLine,
  appendBlock,
  parseBlockState,
  parseZoneList,
  quote,
} from './types.ts';
import type { ZoneName } from '../engine/arch.ts';

export type AutoOnline = 'offline' | 'online' | 'online_kernel' | 'online_movable';

export interface SysfsParse {
  format: 'sysfs';
  blocks: BlockRun[];
  blockSize: number | null;
  autoOnline: AutoOnline | null;
  /** memory_hotplug module parameters by name (memmap_on_memory, online_policy, ...). */
  params: Record<string, string>;
  problems: ImportProblem[];
}

interface BlockFacts {
  state: BlockState | null;
  zones: ZoneName[] | null;
  spansZones: boolean;
  node: number | null;
  physIndex: number | null;
  line: number;
}

const PREFIX = String.raw`(?:\S*/)?`;
const BLOCK_ATTR = new RegExp(`^${PREFIX}memory(\\d+)/([a-z_]+\\d*)(?::(.*))?$`);
const BLOCK_SIZE = new RegExp(`^${PREFIX}block_size_bytes:\\s*([0-9a-fA-F]+)$`);
const AUTO_ONLINE = new RegExp(`^${PREFIX}auto_online_blocks:\\s*(\\S+)$`);
const PARAM = new RegExp(`^${PREFIX}parameters/(\\w+):\\s*(\\S+)$`);
const OTHER_SYSFS = /^\/sys\/devices\/system\/memory\//;
const DIGEST_BLOCK = /^block (\d+) ([0-9a-f]+) (\S+) node(\d+|-|\?) (\S+)$/i;
const DIGEST_BLOCK_SIZE = /^block_size_bytes (\d+)$/;
const DIGEST_AUTO = /^auto_online_blocks (\S+)$/;
const DIGEST_PARAM = /^param (\w+) (\S+)$/;
const AUTO_VALUES: AutoOnline[] = ['offline', 'online', 'online_kernel', 'online_movable'];

export const isSysfsLine = (text: string) =>
  [BLOCK_ATTR, BLOCK_SIZE, AUTO_ONLINE, PARAM, DIGEST_BLOCK, DIGEST_BLOCK_SIZE, DIGEST_AUTO].some(
    (pattern) => pattern.test(text),
  ) || OTHER_SYSFS.test(text);

export const isSysfsDigestSetting = (text: string) => DIGEST_PARAM.test(text);

export function parseSysfs(lines: SourceLine[]): SysfsParse {
  const parse: SysfsParse = {
    format: 'sysfs',
    blocks: [],
    blockSize: null,
    autoOnline: null,
    params: {},
    problems: [],
  };
  const facts = new Map<number, BlockFacts>();
  const factsOf = (id: number, line: number) => {
    let entry = facts.get(id);
    if (!entry) {
      entry = { state: null, zones: null, spansZones: false, node: null, physIndex: null, line };
      facts.set(id, entry);
    }
    return entry;
  };
  const setZones = (entry: BlockFacts, text: string, line: SourceLine) => {
    const list = parseZoneList(text);
    if (list.unknown.length)
      parse.problems.push({ line: line.no, message: `unknown zone ${list.unknown.join(', ')}` });
    entry.zones = list.zones;
    entry.spansZones = list.spansZones;
  };
  const setState = (entry: BlockFacts, text: string, line: SourceLine) => {
    entry.state = parseBlockState(text);
    if (!entry.state)
      parse.problems.push({
        line: line.no,
        message: `expected online, offline or going-offline, got ${quote(text)}`,
      });
  };
  const setBlockSize = (bytes: number, line: SourceLine) => {
    if (isPowerOfTwo(bytes)) parse.blockSize = bytes;
    else
      parse.problems.push({ line: line.no, message: `block size ${bytes} is not a power of two` });
  };
  const setAuto = (value: string, line: SourceLine) => {
    const policy = AUTO_VALUES.find((candidate) => candidate === value);
    if (policy) parse.autoOnline = policy;
    else
      parse.problems.push({
        line: line.no,
        message: `expected ${AUTO_VALUES.join(', ')}, got ${quote(value)}`,
      });
  };

  for (const line of lines) {
    const text = line.text.trim();
    if (!text) continue;
    let match: RegExpExecArray | null;
    if ((match = DIGEST_BLOCK.exec(text))) {
      const entry = factsOf(Number(match[1]), line.no);
      entry.physIndex = Number.parseInt(match[2]!, 16);
      setState(entry, match[3]!, line);
      entry.node = /^\d+$/.test(match[4]!) ? Number(match[4]) : null;
      setZones(entry, match[5]!, line);
    } else if ((match = BLOCK_ATTR.exec(text))) {
      const entry = factsOf(Number(match[1]), line.no);
      const [, , attr = '', value = ''] = match;
      const node = /^node(\d+)$/.exec(attr);
      if (node) entry.node = Number(node[1]);
      else if (attr === 'state') setState(entry, value, line);
      else if (attr === 'valid_zones') setZones(entry, value, line);
      else if (attr === 'phys_index') entry.physIndex = Number.parseInt(value, 16);
      else if (attr === 'online' && entry.state === null)
        entry.state = value.trim() === '1' ? 'online' : 'offline';
    } else if ((match = BLOCK_SIZE.exec(text))) {
      setBlockSize(Number.parseInt(match[1]!, 16), line);
    } else if ((match = DIGEST_BLOCK_SIZE.exec(text))) {
      setBlockSize(Number(match[1]), line);
    } else if ((match = AUTO_ONLINE.exec(text) ?? DIGEST_AUTO.exec(text))) {
      setAuto(match[1]!, line);
    } else if ((match = PARAM.exec(text) ?? DIGEST_PARAM.exec(text))) {
      parse.params[match[1]!] = match[2]!;
    } else if (!OTHER_SYSFS.test(text)) {
      parse.problems.push({
        line: line.no,
        message: `expected "/sys/devices/system/memory/memory<N>/<attribute>:<value>" or "block <id> <phys_index> <state> node<N> <zones>", got ${quote(text)}`,
      });
    }
  }

  for (const [id, entry] of [...facts].sort((a, b) => a[0] - b[0])) {
    if (entry.physIndex !== null && entry.physIndex !== id)
      parse.problems.push({
        line: entry.line,
        message: `memory${id} has phys_index ${entry.physIndex.toString(16)}, not its own number`,
      });
    appendBlock(parse.blocks, {
      firstBlock: id,
      state: entry.state,
      node: entry.node,
      zones: entry.zones ?? [],
      spansZones: entry.spansZones,
      line: entry.line,
    });
  }
  return parse;
}
