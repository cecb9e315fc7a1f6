// Sees every request this global makes, whoever makes it: our guarded fetch, onnxruntime-web's
// own `import()` of its `.mjs` and fetch of its `.wasm`, and anything else that runs here. The
// browser reports failed and aborted requests too (status 0), so nothing sent goes unlisted.
import { httpOrigin } from '../policy/origins.js';
import type { AuditSink, RequestEvent } from './events.js';

/** A resource timing entry as an audit event; undefined for what never went out (data:, blob:). */
export function requestEvent(entry: PerformanceResourceTiming, timeOrigin: number, isAllowed: (url: string) => boolean): RequestEvent | undefined {
  const origin = httpOrigin(entry.name);
  if (!origin) return undefined;
  return {
    type: 'request',
    at: Math.round(timeOrigin + entry.startTime),
    url: entry.name,
    origin,
    allowed: isAllowed(entry.name),
    status: entry.responseStatus ?? 0,
    bytes: entry.encodedBodySize,
    durationMs: Math.round(entry.duration),
    initiator: entry.initiatorType,
  };
}

/**
 * Reports every resource request of this global to `sink`, those made before the call included.
 * `flush` hands over what the browser has recorded but not yet delivered.
 */
export function observeRequests(sink: AuditSink, isAllowed: (url: string) => boolean): { flush(): void } {
  if (typeof PerformanceObserver === 'undefined') return { flush: () => {} };
  const report = (entries: PerformanceEntryList) => {
    for (const entry of entries as PerformanceResourceTiming[]) {
      const event = requestEvent(entry, performance.timeOrigin, isAllowed);
      if (event) sink(event);
    }
    // the observer has them: keep the browser's own buffer (250 entries) from filling up
    performance.clearResourceTimings();
  };
  const observer = new PerformanceObserver((list) => report(list.getEntries()));
  observer.observe({ type: 'resource', buffered: true });
  return { flush: () => report(observer.takeRecords()) };
}

/**
 * The request that fetched a worker's script. The worker cannot see it; the page's resource timing
 * can, unless the page's buffer was full, when the request is still listed, with status 0.
 */
export function workerScriptRequest(url: string, isAllowed: (url: string) => boolean): RequestEvent | undefined {
  const entry = (performance.getEntriesByName(url, 'resource') as PerformanceResourceTiming[]).at(-1);
  const event = entry && requestEvent(entry, performance.timeOrigin, isAllowed);
  if (event) return { ...event, initiator: 'worker' };
  const origin = httpOrigin(url);
  if (!origin) return undefined;
  return { type: 'request', at: Date.now(), url, origin, allowed: isAllowed(url), status: 0, bytes: 0, durationMs: 0, initiator: 'worker' };
}
