// A signed document (a manifest, the model index) checked against the runtime's trusted keys
// before anything it lists is fetched: its detached signature `X.sig` is fetched beside it
// through the guarded fetch. A refusal is SIGNATURE_INVALID and a denial in the audit trail.
import type { AuditSink } from '../../protocol/audit-events.js';
import { AirlockError, isAirlockError } from '../../errors.js';
import { readManifestText } from '../../manifest/read-text.js';
import { SIGNATURE_SUFFIX } from '../../shared/trust/format.js';
import { denial } from '../audit/events.js';
import { HttpStatusError } from '../http-status.js';
import type { FetchLike } from '../policy/guarded-fetch.js';
import { verifySigned } from './verify.js';

/** A signature file is a few hundred bytes: anything much longer is not one. */
const MAX_SIGNATURE_BYTES = 4096;

/** What the store keeps beside a manifest so that a later load can check it again. */
export interface SignedText {
  /** the document's text, as verified */
  text: string;
  /** the `X.sig` file's text */
  signature: string;
  keyId: string;
}

export interface TrustContext {
  fetch: FetchLike;
  /** the trusted public keys (`ed25519:…`) */
  keys: readonly string[];
  signal?: AbortSignal | undefined;
  audit?: AuditSink | undefined;
}

/** The `X.sig` beside `url`: its text, or null when the origin has none (404). */
async function fetchSignature(ctx: TrustContext, url: string, what: string): Promise<string | null> {
  const sigUrl = url + SIGNATURE_SUFFIX;
  const res = await ctx.fetch(sigUrl, { cache: 'no-store', ...(ctx.signal && { signal: ctx.signal }) });
  if (res.status === 404) {
    await res.body?.cancel().catch(() => undefined);
    return null;
  }
  if (!res.ok)
    throw new HttpStatusError(`The signature of ${what} answered HTTP ${res.status}`, res.status, { url: sigUrl });
  return readManifestText(res, what, sigUrl, MAX_SIGNATURE_BYTES).catch((e: unknown) => {
    // too long to be a signature: malformed, not a network failure
    if (isAirlockError(e) && e.code === 'MANIFEST_INVALID') return '{}';
    throw e;
  });
}

/** Checks `text` against `signature`; a refusal names the document and goes on the record. */
export async function checkText(
  ctx: Pick<TrustContext, 'keys' | 'audit'>,
  doc: { url: string; text: string; signature: string | null; what: string; modelId?: string | undefined },
): Promise<SignedText> {
  const { url, text, signature, what, modelId } = doc;
  try {
    if (signature === null) throw new AirlockError('SIGNATURE_INVALID', 'unsigned', { reason: 'unsigned' });
    const { keyId } = await verifySigned(new TextEncoder().encode(text), signature, ctx.keys);
    return { text, signature, keyId };
  } catch (e) {
    if (!isAirlockError(e) || e.code !== 'SIGNATURE_INVALID') throw e;
    const details: Record<string, unknown> = { ...e.details, url, ...(modelId !== undefined && { modelId }) };
    const reason = String(details.reason);
    const keyId = typeof details.keyId === 'string' ? details.keyId : undefined;
    ctx.audit?.(signatureDenial(url, reason, modelId, keyId));
    const why = signature === null ? `there is no ${url}${SIGNATURE_SUFFIX}` : e.message;
    throw new AirlockError('SIGNATURE_INVALID', `Refused ${what} at ${url}: ${reason} (${why})`, details);
  }
}

function signatureDenial(url: string, reason: string, modelId: string | undefined, keyId: string | undefined) {
  const event = denial(url, `signature: ${reason}`, modelId);
  return { ...event, check: 'signature' as const, ...(keyId !== undefined && { keyId }) };
}

/** Fetches the signature beside `url` and checks `text` (the document as fetched) with it. */
export async function checkFetched(
  ctx: TrustContext,
  doc: { url: string; text: string; what: string; modelId?: string | undefined },
): Promise<SignedText> {
  const signature = await fetchSignature(ctx, doc.url, doc.what);
  return checkText(ctx, { ...doc, signature });
}
