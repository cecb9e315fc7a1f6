// The hosting policy (`airlock-policy/1`, see the formats in docs/evidence-report.md) as the
// report states it.
import { isAirlockError } from '../../errors.js';
import { parsePolicy } from '../../shared/trust/policy.js';
import { invalidInput, readJson } from './read-input.js';
import type { HostingPolicy } from './types.js';

const OPTION = '--policy';

/** The policy, checked by the same rules the runtime applies (src/shared/trust/policy.ts). */
export async function readPolicy(file: string): Promise<HostingPolicy> {
  const doc = await readJson(file, OPTION);
  try {
    const { kind: _kind, ...policy } = parsePolicy(doc);
    return policy;
  } catch (e) {
    if (isAirlockError(e)) throw invalidInput(file, 1, `"${String(e.details?.field)}": ${e.message}`, OPTION);
    throw e;
  }
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
