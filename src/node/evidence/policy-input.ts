// The hosting policy (`airlock-policy/1`, see the formats in docs/evidence-report.md) as the
// report states it. Only what the report needs is checked here: the runtime enforces it.
import { invalidInput, isObject, readJson } from './read-input.js';
import type { HostingPolicy } from './types.js';

const OPTION = '--policy';

const strings = (v: unknown): v is string[] => Array.isArray(v) && v.every((s) => typeof s === 'string');

function modelsOf(file: string, v: unknown): HostingPolicy['models'] {
  if (v === 'any-signed') return v;
  const ok =
    Array.isArray(v) &&
    v.every((m) => isObject(m) && typeof m.id === 'string' && (m.revisions === undefined || strings(m.revisions)));
  if (!ok) throw invalidInput(file, 1, '"models" must be "any-signed" or a list of { id, revisions? }', OPTION);
  return (v as { id: string; revisions?: string[] }[]).map((m) => ({
    id: m.id,
    ...(m.revisions && { revisions: m.revisions }),
  }));
}

export async function readPolicy(file: string): Promise<HostingPolicy> {
  const doc = await readJson(file, OPTION);
  if (!isObject(doc) || doc.kind !== 'airlock-policy/1')
    throw invalidInput(file, 1, 'not a hosting policy (no "kind": "airlock-policy/1")', OPTION);
  if (!strings(doc.allowedOrigins) || doc.allowedOrigins.length === 0)
    throw invalidInput(file, 1, '"allowedOrigins" must be a non-empty list of origins', OPTION);
  if (!strings(doc.backends)) throw invalidInput(file, 1, '"backends" must be a list of backends', OPTION);
  if (typeof doc.maxModelBytes !== 'number' || !(doc.maxModelBytes > 0))
    throw invalidInput(file, 1, '"maxModelBytes" must be a positive number', OPTION);
  if (doc.collector !== undefined && typeof doc.collector !== 'string')
    throw invalidInput(file, 1, '"collector" must be a path or URL', OPTION);
  return {
    allowedOrigins: doc.allowedOrigins,
    models: modelsOf(file, doc.models),
    backends: doc.backends,
    maxModelBytes: doc.maxModelBytes,
    ...(doc.collector !== undefined && { collector: doc.collector }),
    evidenceRetentionDays: typeof doc.evidenceRetentionDays === 'number' ? doc.evidenceRetentionDays : 0,
    issuedAt: typeof doc.issuedAt === 'string' ? doc.issuedAt : '',
  };
}

/** The policy's collector as a URL: a path is on the first allowed origin (the model origin). */
export function collectorUrl(policy: HostingPolicy): string | null {
  if (!policy.collector) return null;
  try {
    return new URL(policy.collector, policy.allowedOrigins[0]).href;
  } catch {
    return policy.collector;
  }
}

/** The policy in words, one rule a line. */
export function policyInWords(p: HostingPolicy): string[] {
  const models =
    p.models === 'any-signed'
      ? 'Any model whose manifest is signed by a trusted key may be loaded.'
      : `Only these models may be loaded: ${p.models.map((m) => (m.revisions ? `${m.id} (revision ${m.revisions.map((r) => r.slice(0, 12)).join(' or ')})` : `${m.id} (any revision)`)).join(', ')}.`;
  return [
    `Requests may go only to ${p.allowedOrigins.join(', ')}.`,
    models,
    `Models may run on ${p.backends.join(' and ')} only.`,
    `No model may be larger than ${p.maxModelBytes} bytes.`,
    p.collector ? `Audit events are sent to ${collectorUrl(p)}.` : 'No audit collector is named.',
    `Evidence is kept for ${p.evidenceRetentionDays} days.`,
    `Issued at ${p.issuedAt || 'an unstated time'}.`,
  ];
}
