// A model's manifest: fetched from the model origin under a time limit and the manifest caps, or,
// when the origin cannot be reached, the one stored with the model.
import { AirlockError, isAirlockError } from '../errors.js';
import {
  DEFAULT_MANIFEST_LIMITS,
  MANIFEST_FILE,
  readManifestText,
  validateManifest,
  type Manifest,
  type ManifestLimits,
} from '../manifest/index.js';
import { denial } from './audit/events.js';
import { throwIfAborted } from './calls.js';
import { connectionBroke, HttpStatusError } from './http-status.js';
import { manifestJson } from './manifest-body.js';
import type { SourceContext } from './model-source.js';
import { modelUrl } from './model-urls.js';
import type { ModelRecord } from './store/schema.js';
import { checkFetched, checkText, type SignedText } from './trust/signed-documents.js';

/** How long a manifest request may take before the origin counts as unreachable. */
const MANIFEST_TIMEOUT_MS = 15_000;

export interface ManifestContext extends Pick<SourceContext, 'fetch' | 'modelBase' | 'signal' | 'audit' | 'trust'> {
  /** caps on the manifest's files and bytes; the defaults when absent */
  limits?: Partial<ManifestLimits> | undefined;
}

/** A manifest and, with `trust`, the signature it was checked with. */
export interface ResolvedManifest {
  manifest: Manifest;
  signed?: SignedText | undefined;
}

export async function fetchManifest(ctx: ManifestContext, id: string): Promise<Manifest> {
  return (await fetchSignedManifest(ctx, id)).manifest;
}

/** The manifest from the origin; with `trust`, refused (SIGNATURE_INVALID) unless its signature holds. */
export async function fetchSignedManifest(ctx: ManifestContext, id: string): Promise<ResolvedManifest> {
  const url = modelUrl(ctx.modelBase, id, MANIFEST_FILE);
  // an origin that never answers must not hold up a model that is stored: give up after a while
  const timeout = AbortSignal.timeout(MANIFEST_TIMEOUT_MS);
  const signal = ctx.signal ? AbortSignal.any([ctx.signal, timeout]) : timeout;
  const res = await ctx.fetch(url, { cache: 'no-store', signal });
  if (res.status === 404) throw new AirlockError('MODEL_NOT_FOUND', `No model "${id}" at ${url}`, { modelId: id, url });
  if (!res.ok)
    throw new HttpStatusError(`Manifest of "${id}" answered HTTP ${res.status}`, res.status, { modelId: id, url });
  // the byte cap applies before any parsing: a huge manifest is refused, not parsed
  const text = await readManifestText(res, id, url, ctx.limits?.maxBytes ?? DEFAULT_MANIFEST_LIMITS.maxBytes).catch(
    (e: unknown) => {
      if (isAirlockError(e)) throw e;
      throwIfAborted(ctx.signal, `Loading "${id}"`, { modelId: id });
      // cut off or timed out mid-body: the origin failed, so a stored manifest may stand in
      throw new AirlockError('NETWORK', `Manifest of "${id}" broke off: ${(e as Error)?.message ?? String(e)}`, {
        modelId: id,
        url,
      });
    },
  );
  const raw = manifestJson(text, res.headers.get('content-type'), { modelId: id, url, modelBase: ctx.modelBase });
  // before the manifest is checked or anything it lists is fetched
  const signed =
    ctx.trust &&
    (await checkFetched(
      { ...ctx, signal, keys: ctx.trust },
      { url, text, what: `the manifest of "${id}"`, modelId: id },
    ));
  try {
    return { manifest: validateManifest(raw, id, ctx.limits), signed };
  } catch (e) {
    // a manifest that sends the browser elsewhere: refused, and on the record
    if (isAirlockError(e) && e.code === 'EGRESS_BLOCKED') {
      ctx.audit?.(denial(String(e.details?.url), `listed as a file in the manifest at ${url}`, id));
    }
    throw e;
  }
}

/** Unreachable or failing on its side: the stored manifest may stand in. Not a 404 or a bad manifest. */
function originDown(e: unknown): boolean {
  return connectionBroke(e) || (e instanceof HttpStatusError && e.status >= 500);
}

export async function resolveManifest(
  ctx: SourceContext,
  id: string,
  key: string,
  revalidate: boolean,
): Promise<ResolvedManifest & { from: 'network' | 'store' }> {
  const stored = await ctx.store.record(key);
  const limits = ctx.store.options.manifestLimits;
  if (!revalidate && stored) return { ...(await storedManifest(ctx, id, stored, limits)), from: 'store' };
  try {
    return { ...(await fetchSignedManifest({ ...ctx, limits }, id)), from: 'network' };
  } catch (e) {
    if (stored && originDown(e)) return { ...(await storedManifest(ctx, id, stored, limits)), from: 'store' };
    throw e;
  }
}

/**
 * The stored manifest; with `trust`, the signed text stored with it is checked again against
 * today's keys, and the manifest read from that text (not the stored object) is the one used.
 */
async function storedManifest(
  ctx: SourceContext,
  id: string,
  stored: ModelRecord,
  limits: Partial<ManifestLimits>,
): Promise<ResolvedManifest> {
  if (!ctx.trust) return { manifest: stored.manifest };
  const url = modelUrl(ctx.modelBase, id, MANIFEST_FILE);
  const doc = { url, text: stored.signed?.text ?? '', signature: stored.signed?.signature ?? null, modelId: id };
  const signed = await checkText(
    { keys: ctx.trust, audit: ctx.audit },
    { ...doc, what: `the stored manifest of "${id}"` },
  );
  return { manifest: validateManifest(JSON.parse(signed.text), id, limits), signed };
}
