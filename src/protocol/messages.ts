// Every message the worker sends the page besides comlink's call results, as one union (as
// onnxruntime-web's proxy-messages.ts does for its proxy worker). Progress and text belong to one
// call and go to that call's event sink; audit events go on the worker's own port, which carries
// the results too, so a call's events reach the page before its result does.
import type { SerializedError } from '../errors.js';
import type { AuditEvent } from './audit-events.js';
import type { LoadProgress } from './types.js';

export interface ProgressMessage {
  type: 'progress';
  progress: LoadProgress;
}

/** A piece of generated text, for `handle.stream()`. */
export interface TextMessage {
  type: 'text';
  text: string;
}

export interface AuditMessage {
  type: 'audit';
  event: AuditEvent;
}

export type WorkerMessage = ProgressMessage | TextMessage | AuditMessage;

/** What a call's event sink receives. */
export type WorkerEvent = Exclude<WorkerMessage, AuditMessage>;
export type EventSink = (event: WorkerEvent) => void;

/**
 * How every worker method answers: a value, or an error that keeps its code. A run's own audit
 * record rides on its result (one message instead of two per call); the page records it first.
 */
export type Result<T> = ({ ok: true; value: T } | { ok: false; error: SerializedError }) & { audit?: AuditEvent[] };

/** The key an audit message travels under on the worker's port: comlink ignores messages without its `id`. */
export const PORT_KEY = 'airlock:message';

export type PortMessage = { [PORT_KEY]: AuditMessage };

/** The audit message a worker port message carries, if it carries one (comlink's do not). */
export function auditMessageOf(data: unknown): AuditMessage | undefined {
  if (typeof data !== 'object' || data === null || !(PORT_KEY in data)) return undefined;
  const message = (data as PortMessage)[PORT_KEY];
  return message?.type === 'audit' ? message : undefined;
}
