// Audit events as an OTLP/HTTP JSON logs request (`ExportLogsServiceRequest`), the OpenTelemetry
// wire format: a collector, and the SIEM behind it, take them unchanged. The body of each record is
// the event's JSON, which holds URLs, hashes, sizes and times, never a prompt, input or output.
import type { AuditEvent } from '../../protocol/audit-events.js';

/** An event waiting for the collector, with the id that tells a receiver it saw it before. */
export interface QueuedEvent {
  id: string;
  event: AuditEvent;
}

type AnyValue = { stringValue: string } | { intValue: string } | { boolValue: boolean };
export interface KeyValue {
  key: string;
  value: AnyValue;
}

export interface OtlpLogRecord {
  timeUnixNano: string;
  observedTimeUnixNano: string;
  severityNumber: 9 | 13;
  severityText: 'INFO' | 'WARN';
  body: { stringValue: string };
  attributes: KeyValue[];
}

export interface ExportLogsServiceRequest {
  resourceLogs: {
    resource: { attributes: KeyValue[] };
    scopeLogs: { scope: { name: string; version: string }; logRecords: OtlpLogRecord[] }[];
  }[];
}

const str = (key: string, value: string): KeyValue => ({ key, value: { stringValue: value } });
const int = (key: string, value: number): KeyValue => ({ key, value: { intValue: String(Math.round(value)) } });

/** Milliseconds since the epoch as OTLP's decimal string of nanoseconds (microsecond precision kept). */
export const unixNano = (ms: number): string => String(BigInt(Math.round(ms * 1000)) * 1000n);

/** Denials and failures are warnings; everything else is information. */
function warns(e: AuditEvent): boolean {
  switch (e.type) {
    case 'denial':
      return true;
    case 'request':
      return !e.allowed || e.status === 0 || e.status >= 400;
    case 'verification':
    case 'run':
      return !e.ok;
    case 'worker':
      return e.state === 'crashed';
    default:
      return false;
  }
}

function attributes(q: QueuedEvent): KeyValue[] {
  const e = q.event;
  const out = [str('airlock.event.type', e.type), str('airlock.event.id', q.id)];
  if ('modelId' in e && e.modelId !== undefined) out.push(str('airlock.model.id', e.modelId));
  if ('url' in e) out.push(str('url.full', e.url));
  if (e.type === 'request') {
    out.push(int('http.response.status_code', e.status), {
      key: 'airlock.request.allowed',
      value: { boolValue: e.allowed },
    });
  }
  return out;
}

function record(at: number, observed: number, warn: boolean, body: unknown, attrs: KeyValue[]): OtlpLogRecord {
  return {
    timeUnixNano: unixNano(at),
    observedTimeUnixNano: unixNano(observed),
    severityNumber: warn ? 13 : 9,
    severityText: warn ? 'WARN' : 'INFO',
    body: { stringValue: JSON.stringify(body) },
    attributes: attrs,
  };
}

/**
 * One request for `events`; `dropped` (events the bounded queue could not keep since the last
 * batch that reported them) adds a warning record of its own.
 */
export function otlpRequest(
  library: { name: string; version: string },
  events: readonly QueuedEvent[],
  now: number,
  dropped = 0,
): ExportLogsServiceRequest {
  const logRecords = events.map((q) => record(q.event.at, now, warns(q.event), q.event, attributes(q)));
  if (dropped > 0) {
    const body = { type: 'dropped', at: now, count: dropped };
    logRecords.push(
      record(now, now, true, body, [str('airlock.event.type', 'dropped'), int('airlock.dropped.count', dropped)]),
    );
  }
  const { name, version } = library;
  return {
    resourceLogs: [
      {
        resource: { attributes: [str('service.name', name), str('service.version', version)] },
        scopeLogs: [{ scope: { name, version }, logRecords }],
      },
    ],
  };
}
