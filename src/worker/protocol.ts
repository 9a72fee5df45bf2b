/**
 * The one message protocol between the UI (through the store) and the simulation worker.
 *
 * Every message is a member of a discriminated union on `type`. Requests carry a sequence
 * number `seq`; each response echoes it, so the store can drop answers to requests it no longer
 * wants (a newer toggle arrived). The handshake carries PROTOCOL_VERSION: a mismatched worker
 * (a stale cached bundle, say) is reported instead of being talked to in the wrong language.
 * Bulk data (the map's runs) travels as typed arrays in the transfer list, never copied.
 */
import type { MapColumns, LiteResult } from '../engine/columns.ts';
import type { ValidationError } from '../engine/scenario/types.ts';

export const PROTOCOL_VERSION = 1;

export type ToWorker =
  | { type: 'hello'; protocol: number }
  | { type: 'ping'; seq: number }
  /** Simulate the scenario; `at`: the map shows the machine after that many events. */
  | { type: 'simulate'; seq: number; scenario: unknown; at?: number };

export type FromWorker =
  | { type: 'ready'; protocol: number; engineVersion: string }
  | { type: 'pong'; seq: number }
  | { type: 'result'; seq: number; result: LiteResult; columns: MapColumns; ms: number }
  | { type: 'invalid'; seq: number; errors: ValidationError[] }
  | { type: 'failed'; seq: number; message: string }
  | { type: 'fatal'; message: string };

const TYPES = new Set(['ready', 'pong', 'result', 'invalid', 'failed', 'fatal']);

/** Narrow an unknown message from the worker; anything else is a protocol error, not a crash. */
export function isFromWorker(value: unknown): value is FromWorker {
  if (typeof value !== 'object' || value === null) return false;
  const type = (value as { type?: unknown }).type;
  return typeof type === 'string' && TYPES.has(type);
}
