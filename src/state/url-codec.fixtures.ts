/** Shared fixtures of the share-link tests: helpers to build fragments, and realistic scenarios. */
import { readdirSync, readFileSync, existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { DecodeResult } from './url-codec.ts';
import { decodeShareFragment } from './url-codec.ts';
import type { ViewState } from './view.ts';
import { deflateSync, inflateSync, strToU8 } from 'fflate';
export const GiB = 1024 ** 3;

/** An independent encoder (Node's base64url, fflate's one-shot deflate) for hand-made payloads. */
export const b64 = (bytes: Uint8Array) => Buffer.from(bytes).toString('base64url');
export const fragmentOf = (json: string | Uint8Array, format = 2) =>
  `#s=${format}.${b64(deflateSync(typeof json === 'string' ? strToU8(json) : json))}`;
/** What a fragment carries, read without the codec under test. */
export const payloadOf = (fragment: string): unknown =>
  JSON.parse(Buffer.from(inflateSync(Buffer.from(fragment.slice(5), 'base64url'))).toString());

/**
 * A call's time in ms, retried (best of 3) once it passes 20 ms: an input that is slow is slow
 * every time, while a test process that the OS set aside for a moment is not.
 */
export function timed<T>(run: () => T): [T, number] {
  let started = performance.now();
  const result = run();
  let best = performance.now() - started;
  for (let retry = 0; retry < 2 && best > 20; retry++) {
    started = performance.now();
    run();
    best = Math.min(best, performance.now() - started);
  }
  return [result, best];
}

export function expectOk(result: DecodeResult) {
  if (result.kind !== 'ok') throw new Error(`expected ok, got ${JSON.stringify(result)}`);
  return result;
}
export const messageOf = (fragment: string) => {
  const result = decodeShareFragment(fragment);
  return result.kind === 'error' ? result.message : `(${result.kind})`;
};

// The presets a user shares: the recorded real-kernel cases (the repo's copy) and hand-made ones.
export const oracleDir = resolve(import.meta.dirname, '../../test/oracle');
export const oracleScenarios = readdirSync(oracleDir)
  .filter((name) => existsSync(join(oracleDir, name, 'case.json')))
  .map((name) => {
    const file = readFileSync(join(oracleDir, name, 'case.json'), 'utf8');
    return [name, (JSON.parse(file) as { scenario: object }).scenario] as const;
  });
export const twoNodes = {
  nodes: [
    { id: 0, ram: [{ start: 0, size: '4G' }] },
    { id: 1, ram: [] },
  ],
  hotpluggable: [{ start: '4G', size: '64G', node: 1 }],
};
export const smallAdds = {
  version: 1,
  title: '128 virtio-mem plugs of 128 MiB, then onlined movable',
  machine: twoNodes,
  kernel: { memmapOnMemory: 'on', autoOnline: 'offline', bootUsed: { '0': '300M' } },
  events: [
    ...Array.from({ length: 128 }, (_, i) => ({
      op: 'add',
      label: `plug ${i}`,
      start: `0x${(4 * GiB + i * 2 ** 27).toString(16)}`,
      size: '128M',
      node: 1,
      via: 'virtio-mem',
    })),
    { op: 'online', as: 'online_movable' },
    { op: 'hugetlb', pageSize: '2M', count: 4096, node: 1 },
  ],
};
export const mixed = {
  version: 1,
  title: 'pmem, device-private and a balloon on arm64',
  arch: 'arm64-4k',
  era: 'U2',
  machine: { ...twoNodes, blockSize: '1G', structPageSize: 64, virtual: false },
  kernel: { memmapOnMemory: 'force', movableNode: true, onlinePolicy: 'auto-movable', hvo: true },
  events: [
    { op: 'add', size: '8G', via: 'acpi', label: 'DIMM 1' },
    { op: 'online', as: 'online_movable' },
    { op: 'pmem', start: '0x1000000000', size: '16G', node: 1, map: 'mem', align: '1G' },
    { op: 'device-private', size: '2G', node: 1 },
    { op: 'consume', size: '1G', node: 0 },
    { op: 'hugetlb', pageSize: '1G', count: 4 },
    { op: 'offline', start: '4G', size: '8G' },
    { op: 'remove', start: '4G', size: '8G' },
  ],
};
export const presets: (readonly [string, object])[] = [
  ...oracleScenarios,
  ['128 small adds (130 events)', smallAdds],
  ['mixed arm64', mixed],
];
export const busyView: ViewState = {
  step: 3,
  window: { start: 4 * GiB, end: 12 * GiB },
  selection: 5 * GiB + 4096,
  gigantic: true,
  table: true,
  embed: true,
};
