// A collector log (`airlock serve --collect`: one OTLP/HTTP JSON ExportLogsServiceRequest per
// line) as an audit source: each log record's body is one audit event.
import { invalidInput, isObject, isoTime, parseJson } from './read-input.js';
import type { AuditSource } from './types.js';

const OPTION = '--audit';

type Event = Record<string, unknown>;

function attribute(attributes: unknown, key: string): string | null {
  if (!Array.isArray(attributes)) return null;
  const found = attributes.filter(isObject).find((a) => a.key === key);
  const value = isObject(found?.value) ? found.value.stringValue : undefined;
  return typeof value === 'string' ? value : null;
}

/** The audit events of one line, with the library version its resource names. */
function eventsOfLine(file: string, line: number, text: string): { version: string | null; events: Event[] } {
  const body = parseJson(file, text, OPTION, line);
  if (!isObject(body) || !Array.isArray(body.resourceLogs))
    throw invalidInput(file, line, 'not an OTLP logs request (no resourceLogs)', OPTION);
  let version: string | null = null;
  const events: Event[] = [];
  for (const resourceLog of body.resourceLogs.filter(isObject)) {
    const resource = isObject(resourceLog.resource) ? resourceLog.resource : {};
    version ??= attribute(resource.attributes, 'service.version');
    const scopes = Array.isArray(resourceLog.scopeLogs) ? resourceLog.scopeLogs.filter(isObject) : [];
    for (const record of scopes.flatMap((s) => (Array.isArray(s.logRecords) ? s.logRecords.filter(isObject) : []))) {
      const value = isObject(record.body) ? record.body.stringValue : undefined;
      if (typeof value !== 'string') throw invalidInput(file, line, 'a log record has no body.stringValue', OPTION);
      const event = parseJson(file, value, OPTION, line);
      if (!isObject(event) || typeof event.type !== 'string')
        throw invalidInput(file, line, 'a log record body is not an audit event (no "type")', OPTION);
      events.push(event);
    }
  }
  return { version, events };
}

const at = (e: Event) => isoTime(e.at) ?? '';
const str = (v: unknown) => (typeof v === 'string' ? v : typeof v === 'number' ? String(v) : '');

function sourceOf(file: string, version: string | null, events: Event[]): AuditSource {
  const of = (type: string) => events.filter((e) => e.type === type);
  return {
    file,
    kind: 'collector',
    pageOrigin: null,
    allowedOrigins: [],
    software: { airlock: version, transformersJs: null, onnxruntimeWeb: null, userAgent: null },
    requestTotal: of('request').length,
    complete: of('worker').every((e) => e.state !== 'crashed'),
    requests: of('request').map((e) => ({
      url: str(e.url),
      origin: str(e.origin),
      status: Number(e.status) || 0,
      bytes: Number(e.bytes) || 0,
      initiator: str(e.initiator),
      at: at(e),
    })),
    denials: of('denial').map((e) => ({
      url: str(e.url),
      reason: str(e.reason),
      ...(typeof e.modelId === 'string' && { modelId: e.modelId }),
      at: at(e),
    })),
    verifications: of('verification').map((e) => ({
      modelId: str(e.modelId),
      path: str(e.path),
      sha256: str(e.sha256),
      ok: e.ok === true,
      stage: str(e.stage),
      at: at(e),
    })),
    loads: of('load').map((e) => ({
      modelId: str(e.modelId),
      revision: isObject(e.manifest) ? str(e.manifest.revision) : '',
      backend: str(e.backend),
      at: at(e),
    })),
  };
}

export function collectorSource(file: string, text: string): AuditSource {
  let version: string | null = null;
  const events: Event[] = [];
  text.split('\n').forEach((raw, i) => {
    if (raw.trim() === '') return;
    const line = eventsOfLine(file, i + 1, raw);
    version ??= line.version;
    events.push(...line.events);
  });
  return sourceOf(file, version, events);
}
