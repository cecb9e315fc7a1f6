// The transformers.js engine. transformers.js never touches the network here: every file comes
// from a custom cache backed by the model store, which hands out only bytes verified against the
// model's manifest, and its own fetch answers 404 without any request, so a file the manifest
// does not list does not exist (transformers.js treats 404 as "optional file missing").
import { env, pipeline } from '@huggingface/transformers';
import { AirlockError, isAirlockError } from '../errors.js';
import type { ManifestFile } from '../manifest/types.js';
import { urlOf, type FetchLike } from '../policy/guarded-fetch.js';
import { modelUrl, type OpenedModel } from './model-source.js';
import type { Backend } from './protocol.js';
import { WEBGPU_PROVIDER } from './ort-env.js';
import { yieldBeforeRuns } from './yield.js';

interface Readable {
  file: ManifestFile;
  stream(): ReadableStream<Uint8Array>;
  /** the first store failure while reading, kept because transformers.js may swallow it */
  failed?: unknown;
}

/** URL -> how to read its verified bytes, for the duration of a pipeline load. */
const readable = new Map<string, Readable>();

const storeCache = {
  /**
   * The body is read from the store only when transformers.js consumes it: it also calls `match`
   * just to learn whether a file exists and how large it is.
   */
  async match(key: string | Request): Promise<Response | undefined> {
    const entry = readable.get(urlOf(key));
    if (!entry) return undefined;
    let source: ReadableStreamDefaultReader<Uint8Array> | undefined;
    const body = new ReadableStream<Uint8Array>({
      async pull(controller) {
        try {
          source ??= entry.stream().getReader();
          const { value, done } = await source.read();
          if (done) controller.close();
          else controller.enqueue(value);
        } catch (e) {
          entry.failed ??= e;
          controller.error(e);
        }
      },
      cancel: (reason) => source?.cancel(reason),
    });
    return new Response(body, {
      status: 200,
      headers: { 'content-length': String(entry.file.size), 'content-type': 'application/octet-stream' },
    });
  },
  async put(): Promise<void> {
    // Nothing is written back: the store is filled only by the verifying loader.
  },
};

/** transformers.js's fetch: never the network. */
const offlineFetch: FetchLike = async (input) => (await storeCache.match(urlOf(input))) ?? new Response(null, { status: 404 });

export function configureTransformers(modelBase: string): void {
  // "Remote" is our model base, served from the verified cache; the hub is never named.
  env.allowRemoteModels = true;
  env.allowLocalModels = false;
  env.remoteHost = modelBase;
  env.remotePathTemplate = '{model}/';
  env.useBrowserCache = false;
  env.useWasmCache = false;
  env.useCustomCache = true;
  env.customCache = storeCache;
  env.fetch = offlineFetch;
}

export type Pipeline = Awaited<ReturnType<typeof pipeline>>;

/** The dtype a model's config.json asks transformers.js for (`transformers.js_config.dtype`), if a single one. */
export async function configuredDtype(model: OpenedModel): Promise<string | undefined> {
  const file = model.files.find((f) => f.path === 'config.json');
  if (!file) return undefined;
  try {
    const config = JSON.parse(new TextDecoder().decode(await model.read(file))) as { 'transformers.js_config'?: { dtype?: unknown } };
    const dtype = config['transformers.js_config']?.dtype;
    return typeof dtype === 'string' ? dtype : undefined;
  } catch (e) {
    if (isAirlockError(e)) throw e;
    return undefined;
  }
}

export async function loadPipeline(task: string, model: OpenedModel, modelBase: string, backend: Backend, dtype?: string): Promise<Pipeline> {
  const id = model.manifest.id;
  const entries = model.files.map((file) => {
    const entry: Readable = { file, stream: () => model.stream(file) };
    readable.set(modelUrl(modelBase, id, file.path), entry);
    return entry;
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
    // a store failure is the real cause, whatever transformers.js made of it
    const failed = entries.find((entry) => entry.failed)?.failed;
    if (failed) throw failed;
    const message = (e as Error)?.message ?? String(e);
    if (/Unsupported pipeline/i.test(message)) throw new AirlockError('UNSUPPORTED_TASK', message, { task, modelId: id });
    throw e;
  } finally {
    for (const file of model.files) readable.delete(modelUrl(modelBase, id, file.path));
  }
}
