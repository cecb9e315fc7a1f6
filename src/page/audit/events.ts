// The audit event the page records itself: its worker started, or stopped without being asked.
import type { WorkerLifecycleEvent } from '../../protocol/audit-events.js';

export function workerEvent(state: WorkerLifecycleEvent['state'], reason?: string): WorkerLifecycleEvent {
  return { type: 'worker', at: Date.now(), state, ...(reason !== undefined && { reason }) };
}
