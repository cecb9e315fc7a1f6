// Sees every request this global makes, whoever makes it: our guarded fetch, onnxruntime-web's
// own `import()` of its `.mjs` and fetch of its `.wasm`, and anything else that runs here. The
// browser reports failed and aborted requests too (status 0), so nothing sent goes unlisted.
import type { AuditSink } from '../../protocol/audit-events.js';
import { requestEvent } from '../../shared/request-event.js';

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
