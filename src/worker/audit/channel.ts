// In the worker: audit events go to the page on the worker's own port (see protocol/messages.ts).
import type { AuditEvent } from '../../protocol/audit-events.js';
import { PORT_KEY, type PortMessage } from '../../protocol/messages.js';

let tee: ((event: AuditEvent) => void) | undefined;

export function postAudit(event: AuditEvent): void {
  const message: PortMessage = { [PORT_KEY]: { type: 'audit', event } };
  self.postMessage(message);
  tee?.(event);
}

/**
 * A sink that keeps its events for the result of the call they belong to (see Result), and
 * hands them to the central log's collector as `postAudit` does.
 */
export function heldAudit(): { sink: (event: AuditEvent) => void; events: AuditEvent[] } {
  const events: AuditEvent[] = [];
  return {
    events,
    sink: (event) => {
      events.push(event);
      tee?.(event);
    },
  };
}

/** Every later event also goes to `sink` (the central log's collector). */
export function teeAudit(sink: (event: AuditEvent) => void): void {
  tee = sink;
}
