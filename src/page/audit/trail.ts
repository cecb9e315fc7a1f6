// The page's view of the audit trail, `runtime.audit`: the events, a live feed, and the evidence.
import type { AuditEvent } from '../../protocol/audit-events.js';
import { buildEvidence, type Evidence, type EvidencePolicy } from './evidence.js';
import type { AuditLog } from './log.js';
import { LIBRARY } from '../../version.js';
import { badOption } from '../checks.js';
import type { WorkerHost } from '../worker-host.js';
import type { CollectorStatus } from '../../protocol/collector.js';

export interface AuditTrail {
  /** The events the runtime still holds (the latest `audit.maxEvents`), oldest first. */
  events(): AuditEvent[];
  /** Calls `listener` with every later event; returns the function that stops it. */
  subscribe(listener: (event: AuditEvent) => void): () => void;
  /**
   * The evidence document (JSON; schema `airlock-evidence/1`): versions, the policy, the models
   * with their manifests and hashes, every request by origin, and whether any left the allowed
   * origins. It waits for the worker's pending events first.
   */
  export(): Promise<Evidence>;
  /** Sends what waits for `audit.collector` now; its status, or null without a collector. */
  flush(): Promise<CollectorStatus | null>;
}

export function createAuditTrail(
  log: AuditLog,
  host: WorkerHost,
  policy: EvidencePolicy,
  collecting = false,
): AuditTrail {
  // the collector runs in the worker: a flush starts one (an earlier page may have left events),
  // the evidence asks only a running one
  const collector = (flush: boolean) =>
    !collecting || (!flush && !host.isRunning())
      ? Promise.resolve(null)
      : host.call((api) => (flush ? api.flushCollector() : api.collectorStatus()));
  return {
    events: () => log.events(),
    subscribe: (listener) => {
      if (typeof listener !== 'function') throw badOption('listener', listener, 'a function');
      return log.on(listener);
    },
    async export() {
      await host.flushAudit();
      const status = await collector(false).catch(() => null);
      return buildEvidence(log, {
        library: LIBRARY,
        engines: host.facts()?.engines ?? null,
        policy,
        hostingPolicy: host.facts()?.hostingPolicy ?? null,
        page: {
          origin: location.origin,
          crossOriginIsolated: globalThis.crossOriginIsolated === true,
          userAgent: navigator.userAgent,
        },
        collector: status,
      });
    },
    flush: () => collector(true),
  };
}
