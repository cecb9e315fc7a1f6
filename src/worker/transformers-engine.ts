// The transformers.js engine. transformers.js never touches the network here: every file comes
// from a custom cache that holds only bytes already verified against the model's manifest, and
// its own fetch answers 404 without any request, so a file the manifest does not list does not
// exist (transformers.js treats 404 as "optional file missing").
import { env, pipeline } from '@huggingface/transformers';
import { AirlockError } from '../errors.js';
import { urlOf, type FetchLike } from '../policy/guarded-fetch.js';
import { modelUrl, type ModelFiles } from './model-files.js';
import type { Backend } from './protocol.js';
import { WEBGPU_PROVIDER } from './ort-env.js';
import { yieldBeforeRuns } from './yield.js';

/** URL -> verified bytes, filled for the duration of a pipeline load. */
const verified = new Map<string, Uint8Array>();

const verifiedCache = {
  async match(key: string | Request): Promise<Response | undefined> {
    const bytes = verified.get(urlOf(key));
    if (!bytes) return undefined;
    return new Response(bytes as Uint8Array<ArrayBuffer>, {
      status: 200,
      headers: { 'content-length': String(bytes.byteLength), 'content-type': 'application/octet-stream' },
    });
  },
  async put(): Promise<void> {
    // Nothing is written back: the store is filled only by the verifying loader.
  },
};

/** transformers.js's fetch: never the network. */
const offlineFetch: FetchLike = async (input) => (await verifiedCache.match(urlOf(input))) ?? new Response(null, { status: 404 });

export function configureTransformers(modelBase: string): void {
  // "Remote" is our model base, served from the verified cache; the hub is never named.
  env.allowRemoteModels = true;
  env.allowLocalModels = false;
  env.remoteHost = modelBase;
  env.remotePathTemplate = '{model}/';
  env.useBrowserCache = false;
  env.useWasmCache = false;
  env.useCustomCache = true;
  env.customCache = verifiedCache;
  env.fetch = offlineFetch;
}

export type Pipeline = Awaited<ReturnType<typeof pipeline>>;

/** The dtype a model's config.json asks transformers.js for (`transformers.js_config.dtype`), if a single one. */
export function configuredDtype(files: ModelFiles): string | undefined {
  const bytes = files.bytes.get('config.json');
  if (!bytes) return undefined;
  try {
    const dtype = (JSON.parse(new TextDecoder().decode(bytes)) as { 'transformers.js_config'?: { dtype?: unknown } })['transformers.js_config']?.dtype;
    return typeof dtype === 'string' ? dtype : undefined;
  } catch {
    return undefined;
  }
}

export async function loadPipeline(task: string, files: ModelFiles, modelBase: string, backend: Backend, dtype?: string): Promise<Pipeline> {
  const id = files.manifest.id;
  const urls = [...files.bytes].map(([path, bytes]) => {
    const url = modelUrl(modelBase, id, path);
    verified.set(url, bytes);
    return url;
  });
  try {
    // transformers.js takes the task name as a string union; it checks the value itself
    const session_options = backend === 'webgpu' ? { executionProviders: [WEBGPU_PROVIDER] } : {};
    const options = { device: backend, session_options, ...(dtype && { dtype }) } as Parameters<typeof pipeline>[2];
    const pipe = await pipeline(task as Parameters<typeof pipeline>[0], id, options);
    const sessions = (pipe as unknown as { model?: { sessions?: Record<string, Parameters<typeof yieldBeforeRuns>[0] extends Iterable<infer S> ? S : never> } }).model?.sessions;
    if (sessions) yieldBeforeRuns(Object.values(sessions));
    return pipe;
  } catch (e) {
    const message = (e as Error)?.message ?? String(e);
    if (/Unsupported pipeline/i.test(message)) throw new AirlockError('UNSUPPORTED_TASK', message, { task, modelId: id });
    throw e;
  } finally {
    // transformers.js has read what it needs; the bytes need not stay here
    for (const url of urls) verified.delete(url);
  }
}
