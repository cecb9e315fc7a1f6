// `models()`: the model origin's index.json (src/manifest/models-index.ts), fetched through the
// guarded fetch like a manifest, under the manifest byte cap, and checked before the page gets it.
import { AirlockError, isAirlockError } from '../errors.js';
import { DEFAULT_MANIFEST_LIMITS, readManifestText } from '../manifest/index.js';
import { INDEX_FILE, validateIndex, type IndexEntry } from '../manifest/models-index.js';
import { postAudit } from './audit/channel.js';
import type { Ready } from './boot.js';
import { mediaType } from './manifest-body.js';
import { requestHeaders } from './store/timeouts.js';
import { checkFetched } from './trust/signed-documents.js';

/** How long the whole request may take, as for a manifest. */
const INDEX_TIMEOUT_MS = 15_000;

function parsed(text: string, contentType: string | null, url: string, modelBase: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    // not JSON: a page where the index should be means there is none (a wrong modelBase)
  }
  const type = mediaType(contentType);
  if (type === 'text/html' || text.trimStart().startsWith('<')) {
    throw new AirlockError(
      'MODEL_NOT_FOUND',
      `No model index at ${url}: the server sent a page (${type || 'no content type'}) instead of JSON. Check modelBase (${modelBase}) and run airlock index there`,
      { url, contentType: type, modelBase },
    );
  }
  throw new AirlockError('MANIFEST_INVALID', `The model index at ${url} is not JSON`, { url });
}

/** The models `<modelBase>index.json` lists; MODEL_NOT_FOUND when the origin has none. */
export async function fetchModelsIndex(
  ready: Pick<Ready, 'config' | 'policy' | 'store'>,
  signal: AbortSignal | undefined,
): Promise<IndexEntry[]> {
  const { modelBase } = ready.config;
  const url = new URL(INDEX_FILE, modelBase).href;
  // as a manifest: an origin that answers nothing fails the call, first for want of headers
  const timeout = AbortSignal.timeout(INDEX_TIMEOUT_MS);
  const within = signal ? AbortSignal.any([signal, timeout]) : timeout;
  const { headerTimeoutMs } = ready.store.options;
  const label = `The model index at ${url}`;
  const res = await requestHeaders({ fetch: ready.policy.fetch, url, signal: within, headerTimeoutMs, label }, {});
  if (res.status === 404)
    throw new AirlockError('MODEL_NOT_FOUND', `No model index at ${url} (404): run airlock index on the model tree`, {
      url,
      status: 404,
    });
  if (!res.ok)
    throw new AirlockError('NETWORK', `The model index at ${url} answered HTTP ${res.status}`, {
      url,
      status: res.status,
    });
  const maxBytes = ready.store.options.manifestLimits?.maxBytes ?? DEFAULT_MANIFEST_LIMITS.maxBytes;
  const text = await readManifestText(res, INDEX_FILE, url, maxBytes).catch((e: unknown) => {
    if (isAirlockError(e)) throw e;
    throw new AirlockError('NETWORK', `The model index at ${url} broke off: ${(e as Error)?.message ?? String(e)}`, {
      url,
    });
  });
  const raw = parsed(text, res.headers.get('content-type'), url, modelBase);
  const keys = ready.config.trust?.publicKeys;
  if (keys)
    await checkFetched(
      { fetch: ready.policy.fetch, keys, signal: within, audit: postAudit },
      { url, text, what: 'the model index' },
    );
  return validateIndex(raw, url).models;
}
