// How audit events travel from the worker to the page: posted on the worker's own port, the one
// that carries the calls' results too. Messages on one port arrive in order, so a call's events
// reach the page before its result does, with no round trip per event.
import type { AuditEvent } from '../../protocol/audit-events.js';

const AUDIT_MESSAGE = 'airlock:audit';

/** In the worker: sends `event` to the page. */
export function postAudit(event: AuditEvent): void {
  self.postMessage({ [AUDIT_MESSAGE]: event });
}

/** On the page: the audit event a worker message carries, if it carries one (comlink's do not). */
export function auditEventOf(data: unknown): AuditEvent | undefined {
  return typeof data === 'object' && data !== null && AUDIT_MESSAGE in data ? ((data as Record<string, unknown>)[AUDIT_MESSAGE] as AuditEvent) : undefined;
}
