/**
 * The one message protocol between the UI (through the store) and the simulation worker.
 *
 * Every message is a member of a discriminated union on `type`. Requests carry a sequence
 * number `seq`; each response echoes it, so the store can drop answers to requests it no longer
 * wants (a newer toggle arrived). The handshake carries PROTOCOL_VERSION: a mismatched worker
 * (a stale cached bundle, say) is reported instead of being talked to in the wrong language.
 */
export const PROTOCOL_VERSION = 1;

export type ToWorker = { type: 'hello'; protocol: number } | { type: 'ping'; seq: number };

export type FromWorker =
  | { type: 'ready'; protocol: number; engineVersion: string }
  | { type: 'pong'; seq: number }
  | { type: 'fatal'; message: string };

/** Narrow an unknown message from the worker; anything else is a protocol error, not a crash. */
export function isFromWorker(value: unknown): value is FromWorker {
  if (typeof value !== 'object' || value === null) return false;
  const type = (value as { type?: unknown }).type;
  return type === 'ready' || type === 'pong' || type === 'fatal';
}
