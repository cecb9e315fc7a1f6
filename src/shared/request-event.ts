// A request as the browser's resource timing recorded it, as an audit event: the one shape the
// worker's observer and the page's record of the worker script share.
import { httpOrigin } from './origins.js';
import type { RequestEvent } from '../protocol/audit-events.js';

/** A resource timing entry as an audit event; undefined for what never went out (data:, blob:). */
export function requestEvent(
  entry: PerformanceResourceTiming,
  timeOrigin: number,
  isAllowed: (url: string) => boolean,
): RequestEvent | undefined {
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
