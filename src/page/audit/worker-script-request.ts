// On the page: the record of the request that fetched the worker's own script, which the worker
// cannot see in its resource timing.
import type { RequestEvent } from '../../protocol/audit-events.js';
import { requestEvent } from '../../shared/request-event.js';
import { httpOrigin } from '../../shared/origins.js';

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
  return {
    type: 'request',
    at: Date.now(),
    url,
    origin,
    allowed: isAllowed(url),
    status: 0,
    bytes: 0,
    durationMs: 0,
    initiator: 'worker',
  };
}
