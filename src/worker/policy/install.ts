// The policy, put in place when the worker starts: every fetch of this worker goes through the
// guarded fetch (onnxruntime-web's own, for its `.wasm`, included), every request the browser
// makes is reported, and a runtime base outside the policy is refused before any engine loads.
import { AirlockError } from '../../errors.js';
import type { AuditSink } from '../../protocol/audit-events.js';
import type { WorkerConfig } from '../../protocol/config.js';
import { isAllowedUrl } from '../../shared/origins.js';
import { denial } from '../audit/events.js';
import { observeRequests } from '../audit/request-observer.js';
import { createGuardedFetch, type FetchLike } from './guarded-fetch.js';

export interface InstalledPolicy {
  fetch: FetchLike;
  /** hands over the requests the browser recorded but has not yet reported */
  flushRequests(): void;
  /** throws EGRESS_BLOCKED (and records the denial) when the runtime files lie outside the policy */
  checkRuntime(): void;
}

export function installPolicy(config: WorkerConfig, emit: AuditSink): InstalledPolicy {
  const allowed = (url: string) => isAllowedUrl(config.policy, url);
  const requests = observeRequests(emit, allowed);
  const guarded = createGuardedFetch(config.policy, self.location.href, fetch, (url, reason) =>
    emit(denial(url, reason)),
  );
  // anything else in this worker that fetches (onnxruntime-web, for its `.wasm`) meets the policy too
  self.fetch = guarded;
  const runtimeAllowed = allowed(config.runtimeBase);
  return {
    fetch: guarded,
    flushRequests: () => requests.flush(),
    checkRuntime() {
      if (runtimeAllowed) return;
      const url = config.runtimeBase;
      emit(denial(url, 'the runtime files (runtimeBase) are on an origin outside the policy'));
      throw new AirlockError(
        'EGRESS_BLOCKED',
        `Refused to load onnxruntime-web from ${url}: its origin is not in the policy`,
        { url, allowedOrigins: [...config.policy.allowedOrigins] },
      );
    },
  };
}
