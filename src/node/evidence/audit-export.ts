// An `airlock-evidence/1` document (what `runtime.audit.export()` returns) as an audit source.
import { invalidInput, isObject, isoTime } from './read-input.js';
import type { AuditSource, ObservedRequest } from './types.js';

const OPTION = '--audit';

const text = (v: unknown): string | null => (typeof v === 'string' ? v : null);
const num = (v: unknown): number => (typeof v === 'number' && Number.isFinite(v) ? v : 0);
const list = (v: unknown): Record<string, unknown>[] => (Array.isArray(v) ? v.filter(isObject) : []);

function requestsOf(doc: Record<string, unknown>): ObservedRequest[] {
  const requests = isObject(doc.requests) ? doc.requests : {};
  return list(requests.byOrigin).flatMap((o) =>
    list(o.requests).map((r) => ({
      url: String(r.url),
      origin: String(o.origin),
      status: num(r.status),
      bytes: num(r.bytes),
      initiator: text(r.initiator) ?? '',
      at: isoTime(r.at) ?? '',
    })),
  );
}

export function exportSource(file: string, doc: unknown): AuditSource {
  if (!isObject(doc) || doc.schema !== 'airlock-evidence/1')
    throw invalidInput(file, 1, 'not an airlock-evidence/1 export (no "schema": "airlock-evidence/1")', OPTION);
  if (!isObject(doc.requests) || !Array.isArray(doc.requests.byOrigin))
    throw invalidInput(file, 1, 'the export has no requests.byOrigin list', OPTION);
  const software = isObject(doc.software) ? doc.software : {};
  const library = isObject(software.library) ? software.library : {};
  const policy = isObject(doc.policy) ? doc.policy : {};
  const page = isObject(doc.page) ? doc.page : {};
  const verifications = isObject(doc.verifications) ? doc.verifications : {};
  return {
    file,
    kind: 'export',
    pageOrigin: text(page.origin),
    allowedOrigins: Array.isArray(policy.allowedOrigins) ? policy.allowedOrigins.map(String) : [],
    software: {
      airlock: text(library.version),
      transformersJs: text(software.transformersJs),
      onnxruntimeWeb: text(software.onnxruntimeWeb),
      userAgent: text(software.userAgent),
    },
    requestTotal: num(doc.requests.total),
    complete: doc.requests.complete !== false,
    requests: requestsOf(doc),
    denials: list(doc.denials).map((d) => ({
      url: String(d.url),
      reason: String(d.reason),
      ...(typeof d.modelId === 'string' && { modelId: d.modelId }),
      at: isoTime(d.at) ?? '',
    })),
    verifications: list(verifications.events).map((v) => ({
      modelId: String(v.modelId),
      path: String(v.path),
      sha256: String(v.sha256),
      ok: v.ok === true,
      stage: String(v.stage),
      at: isoTime(v.at) ?? '',
    })),
    loads: list(doc.models).map((m) => ({
      modelId: String(m.modelId),
      revision: isObject(m.manifest) ? String(m.manifest.revision) : '',
      backend: String(m.backend),
      at: isoTime(m.loadedAt) ?? '',
    })),
  };
}
