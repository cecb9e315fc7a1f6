// The hosting policy's start: policy.json and its `.sig` fetched from the model origin before any
// other request, verified against the trusted keys, parsed, and stored. Only a policy URL that
// gives no answer at all (a broken connection, a timeout) lets the stored policy stand: any
// answer from the origin (a 404, a 5xx, a bad signature) is final, since an attacker who can
// remove or spoil the current policy must not bring back an older, looser one that way.
import { AirlockError, isAirlockError } from '../../errors.js';
import type { AuditSink } from '../../protocol/audit-events.js';
import type { HostingFacts, HostingPolicyConfig } from '../../protocol/config.js';
import { parsePolicyText } from '../../shared/trust/policy.js';
import { denial } from '../audit/events.js';
import { connectionBroke } from '../http-status.js';
import { verifySigned } from '../trust/verify.js';
import type { FetchLike } from './guarded-fetch.js';
import { readStoredPolicy, writeStoredPolicy, type StoredPolicy } from './hosting-store.js';

const POLICY_TIMEOUT_MS = 15_000;

/** The body of `url`, or null for a 404; NETWORK when no answer came; POLICY_INVALID for another status. */
async function fetchText(fetch: FetchLike, url: string): Promise<string | null> {
  const res = await fetch(url, { cache: 'no-store', signal: AbortSignal.timeout(POLICY_TIMEOUT_MS) });
  if (res.status === 404) return null;
  if (!res.ok) {
    throw new AirlockError('POLICY_INVALID', `The hosting policy at ${url} answered HTTP ${res.status}`, {
      field: 'policy',
      url,
      status: res.status,
    });
  }
  return res.text().catch((e: unknown) => {
    throw new AirlockError('NETWORK', `The hosting policy at ${url} broke off: ${(e as Error)?.message}`, { url });
  });
}

async function fetchSigned(fetch: FetchLike, url: string): Promise<StoredPolicy> {
  const text = await fetchText(fetch, url);
  if (text === null)
    throw new AirlockError('POLICY_INVALID', `No hosting policy at ${url} (HTTP 404)`, {
      field: 'policy',
      url,
      status: 404,
    });
  const signature = await fetchText(fetch, `${url}.sig`);
  if (signature === null) {
    throw new AirlockError('SIGNATURE_INVALID', `The hosting policy at ${url} has no signature (${url}.sig)`, {
      reason: 'unsigned',
      url,
    });
  }
  return { url, text, signature, storedAt: Date.now() };
}

async function verified(record: StoredPolicy, ctx: Checks, from: HostingFacts['from']): Promise<HostingFacts> {
  const { keyId } = await verifySigned(new TextEncoder().encode(record.text), record.signature, ctx.publicKeys);
  const rules = parsePolicyText(record.text);
  const collectorUrl = rules.collector === undefined ? undefined : new URL(rules.collector, `${ctx.modelOrigin}/`).href;
  // the collector receives the audit trail: the model origin's, like everything else the runtime contacts
  if (collectorUrl !== undefined && new URL(collectorUrl).origin !== ctx.modelOrigin) {
    throw new AirlockError(
      'POLICY_INVALID',
      `The hosting policy's collector ${collectorUrl} is not on the model origin`,
      {
        field: 'collector',
        url: collectorUrl,
      },
    );
  }
  return { url: record.url, keyId, from, issuedAt: rules.issuedAt, rules, ...(collectorUrl && { collectorUrl }) };
}

interface Checks {
  publicKeys: readonly string[];
  modelOrigin: string;
}

/**
 * A policy fetched and verified; refused when it was issued before the one stored, so that an old
 * signed policy served again (a rollback to looser rules) does not replace a newer one.
 */
async function online(record: StoredPolicy, ctx: Checks, dbName: string): Promise<HostingFacts> {
  const facts = await verified(record, ctx, 'network');
  const stored = await readStoredPolicy(dbName, record.url);
  const previous = stored && (await verified(stored, ctx, 'store').catch(() => undefined));
  if (previous && Date.parse(previous.issuedAt) > Date.parse(facts.issuedAt)) {
    throw new AirlockError(
      'POLICY_DENIED',
      `The hosting policy at ${record.url} was issued at ${facts.issuedAt}, before the one verified earlier (${previous.issuedAt})`,
      { rule: 'issuedAt', value: facts.issuedAt, stored: previous.issuedAt },
    );
  }
  await writeStoredPolicy(dbName, record);
  return facts;
}

/** Fetches, verifies and stores the policy, or, offline, verifies the stored one; every refusal is a denial on the record. */
export async function startHostingPolicy(
  config: HostingPolicyConfig & { modelOrigin: string },
  dbName: string,
  fetch: FetchLike,
  emit: AuditSink,
): Promise<HostingFacts> {
  const { url } = config;
  try {
    let record: StoredPolicy;
    try {
      record = await fetchSigned(fetch, url);
    } catch (e) {
      if (!connectionBroke(e)) throw e;
      const stored = await readStoredPolicy(dbName, url);
      if (!stored) throw e;
      return await verified(stored, config, 'store').catch(markStored);
    }
    return await online(record, config, dbName);
  } catch (e) {
    if (isAirlockError(e)) emit({ ...denial(url, `hosting policy refused: ${e.message}`), rule: ruleOf(e) });
    throw e;
  }
}

function ruleOf(e: AirlockError): string {
  if (e.code === 'POLICY_DENIED') return String(e.details?.rule);
  return e.code === 'SIGNATURE_INVALID' ? 'signature' : e.code === 'NETWORK' ? 'unreachable' : 'policy';
}

/** A stored policy that fails its check was changed where it is kept: say so. */
function markStored(e: unknown): never {
  if (isAirlockError(e))
    throw new AirlockError(e.code, `The stored hosting policy: ${e.message}`, { ...e.details, stored: true });
  throw e;
}
