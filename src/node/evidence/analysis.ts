// What the inputs show: requests grouped by origin and client, egress per audit input computed
// against the allowed origins, and each model's last verification.
import { DEFAULT_MODEL_BASE, DEFAULT_RUNTIME_BASE } from '../../shared/defaults.js';
import type { AccessEntry, AccessGroup, AuditSource, EgressPerSource, HostingPolicy, ModelEntry } from './types.js';

/** The origins requests may go to: the policy's, else those the runtimes themselves allowed. */
export function allowedOrigins(policy: HostingPolicy | null, sources: readonly AuditSource[]): string[] {
  if (policy) return [...policy.allowedOrigins];
  return [...new Set(sources.flatMap((s) => s.allowedOrigins))].sort();
}

export function endpointOf(path: string, collectorPath: string | null): AccessGroup['endpoint'] {
  if (path.startsWith(DEFAULT_MODEL_BASE)) return 'models';
  if (path.startsWith(DEFAULT_RUNTIME_BASE)) return 'runtime';
  if (collectorPath && path === collectorPath) return 'collector';
  if (path.endsWith('/policy.json') || path.endsWith('/policy.json.sig')) return 'policy';
  return 'other';
}

export function accessGroups(entries: readonly AccessEntry[], collectorPath: string | null): AccessGroup[] {
  const groups = new Map<string, AccessGroup>();
  for (const e of entries) {
    const endpoint = endpointOf(e.path, collectorPath);
    const origin = e.origin ?? '(none sent)';
    const client = e.client ?? '(unknown)';
    const key = JSON.stringify([origin, client, endpoint]);
    const g = groups.get(key) ?? { origin, client, endpoint, count: 0, bytes: 0, statuses: {} };
    g.count++;
    g.bytes += e.bytes;
    g.statuses[String(e.status)] = (g.statuses[String(e.status)] ?? 0) + 1;
    groups.set(key, g);
  }
  return [...groups.values()].sort(
    (a, b) =>
      a.endpoint.localeCompare(b.endpoint) || a.origin.localeCompare(b.origin) || a.client.localeCompare(b.client),
  );
}

export function egressOf(sources: readonly AuditSource[], allowed: readonly string[]): EgressPerSource[] {
  const ok = new Set(allowed);
  return sources.map((s) => {
    const outside = new Map<string, number>();
    for (const r of s.requests) if (!ok.has(r.origin)) outside.set(r.origin, (outside.get(r.origin) ?? 0) + 1);
    return {
      file: s.file,
      requests: s.requests.length,
      outside: [...outside]
        .map(([origin, count]) => ({ origin, count }))
        .sort((a, b) => a.origin.localeCompare(b.origin)),
      complete: s.complete && s.requestTotal <= s.requests.length,
    };
  });
}

/** The models with their latest successful verification and their failed ones, from every input. */
export function withVerifications(models: readonly ModelEntry[], sources: readonly AuditSource[]): ModelEntry[] {
  const events = sources.flatMap((s) => s.verifications);
  return models.map((m) => {
    const mine = events.filter((v) => v.modelId === m.id && m.files.some((f) => f.sha256 === v.sha256));
    const ok = mine.filter((v) => v.ok).map((v) => v.at);
    return {
      ...m,
      lastVerified: ok.length ? ok.sort().at(-1)! : null,
      failedVerifications: mine.filter((v) => !v.ok).length,
    };
  });
}

/** Origins the runtimes sent requests to outside the allowed ones. */
export function foreignOrigins(egress: readonly EgressPerSource[]): string[] {
  return [...new Set(egress.flatMap((e) => e.outside.map((o) => o.origin)))].sort();
}
