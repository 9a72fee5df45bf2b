/**
 * The one message protocol between the UI (through the store) and the simulation worker.
 *
 * Every message is a member of a discriminated union on `type`. Requests carry a sequence
 * number `seq`; each response echoes it, so the store can drop answers to requests it no longer
 * wants (a newer toggle arrived). The handshake carries PROTOCOL_VERSION: a mismatched worker
 * (a stale cached bundle, say) is reported instead of being talked to in the wrong language.
 * Bulk data (the map's runs) travels as typed arrays in the transfer list, never copied.
 */
import type { Catalog } from '../engine/catalog.ts';
import type { MapColumns, LiteResult } from '../engine/columns.ts';
import type { TileDiff } from '../engine/compare-tiles.ts';
import type { Scenario, ValidationError } from '../engine/scenario/types.ts';
import type { ImportInput, ImportResult } from '../import/index.ts';
import type { Reproduction } from '../qemu/reproduce.ts';

/**
 * The protocol's version. Rules:
 *
 * - Bump it (by one) whenever a message's shape changes: a message added or removed, a field
 *   added, removed, renamed or retyped, in the messages or in anything they carry (LiteResult and
 *   the result types under it, MapColumns, ValidationError), or when a code of the column tables
 *   in `engine/columns.ts` changes meaning (HOSTS reordered, a WINDOW_STATUSES entry added).
 *   A page and a worker of different versions refuse each other at the handshake.
 * - Not for engine changes that leave the shapes alone: those are ENGINE_VERSION's
 *   (`engine/version.ts`).
 * - `protocol.fingerprint.test.ts` hashes the shapes (resolved by the TypeScript checker, so a
 *   renamed type or a moved comment changes nothing) and the code tables, and compares them with
 *   `protocol.fingerprint.json`: it fails on a change without a bump. After bumping, run
 *   `npm run fingerprint` to record the new version and its fingerprint.
 *
 * 3: the tile columns carry `pinned` (rows of blocks pinned by hosting memmap).
 */
export const PROTOCOL_VERSION = 3;

/** What a simulation answers besides the map. */
export interface SimulateOptions {
  /** The kernel views (lsmem, /proc/meminfo, …) at the step shown, in result.views. */
  views?: boolean;
}

/** One side of a simulation: its map, and the scenario as the engine normalised it. */
export interface SimSide {
  result: LiteResult;
  columns: MapColumns;
  scenario: Scenario;
}

export type ToWorker =
  | { type: 'hello'; protocol: number }
  /**
   * Simulate the scenario; `at`: the map shows the machine after that many events. With
   * `compare`, simulate that scenario too (compare mode's B) and mark where its map differs.
   */
  | {
      type: 'simulate';
      seq: number;
      scenario: unknown;
      at?: number;
      compare?: unknown;
      options?: SimulateOptions;
    }
  /** The whole result (docs/formats/result.md) as JSON text, for a download. */
  | { type: 'export'; seq: number; scenario: unknown; at?: number }
  /** The QEMU reproducer of a scenario (src/qemu), or why QEMU cannot run it. */
  | { type: 'reproduce'; seq: number; scenario: unknown }
  /** "Import a machine": pasted outputs of a real machine to a scenario (src/import). */
  | { type: 'import'; seq: number; inputs: ImportInput[] };

/** `side` "b": the compare scenario was refused (the first is fine). */
export type Side = 'a' | 'b';

export type FromWorker =
  | { type: 'ready'; protocol: number; engineVersion: string; catalog: Catalog }
  | {
      type: 'result';
      seq: number;
      a: SimSide;
      /** Compare mode: B, and which of its cells differ from A (null: not tiled alike). */
      b?: SimSide & { diff: TileDiff | null };
      ms: number;
    }
  | { type: 'invalid'; seq: number; side: Side; errors: ValidationError[] }
  | { type: 'failed'; seq: number; side: Side; message: string }
  | { type: 'exported'; seq: number; json: string }
  | { type: 'reproduced'; seq: number; reproduction: Reproduction }
  | { type: 'imported'; seq: number; result: ImportResult }
  | { type: 'fatal'; message: string };

/** Every type the worker may send: a record, so that the compiler checks it against the union. */
const TYPES: Record<FromWorker['type'], true> = {
  ready: true,
  result: true,
  exported: true,
  reproduced: true,
  imported: true,
  invalid: true,
  failed: true,
  fatal: true,
};

/** Narrow an unknown message from the worker; anything else is a protocol error, not a crash. */
export function isFromWorker(value: unknown): value is FromWorker {
  if (typeof value !== 'object' || value === null) return false;
  const type = (value as { type?: unknown }).type;
  return typeof type === 'string' && Object.hasOwn(TYPES, type);
}
