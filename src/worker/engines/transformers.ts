// The transformers.js engine. transformers.js never touches the network here: every file comes
// from a custom cache backed by the model store, which hands out only bytes verified against the
// model's manifest, and its own fetch answers 404 without any request, so a file the manifest
// does not list does not exist (transformers.js treats 404 as "optional file missing").
import { env, pipeline } from '@huggingface/transformers';
import { AirlockError, isAirlockError } from '../../errors.js';
import { guardTransformersChains } from './chain-guard.js';
import type { ManifestFile } from '../../manifest/types.js';
import { urlOf, type FetchLike } from '../policy/guarded-fetch.js';
import { modelUrl, type OpenedModel } from '../model-source.js';
import type { Backend } from '../../protocol/types.js';
import { WEBGPU_PROVIDER } from './ort-env.js';
import { yieldBeforeRuns } from './yield.js';

interface Readable {
  file: ManifestFile;
  stream(): ReadableStream<Uint8Array>;
  /** called with the first store failure while reading: transformers.js may swallow it, or hang on it */
  fail(e: unknown): void;
}

/** URL -> how to read its verified bytes, for the duration of a pipeline load. */
const readable = new Map<string, Readable>();

const storeCache = {
  /**
   * The body is read from the store only when transformers.js consumes it: it also calls `match`
   * just to learn whether a file exists and how large it is.
   */
  // eslint-disable-next-line @typescript-eslint/require-await -- transformers.js awaits a cache's match; the body stays lazy
  async match(key: string | Request): Promise<Response | undefined> {
    const entry = readable.get(urlOf(key));
    if (!entry) return undefined;
    let source: ReadableStreamDefaultReader<Uint8Array> | undefined;
    let cancelled = false;
    const body = new ReadableStream<Uint8Array>(
      {
        async pull(controller) {
          try {
            source ??= entry.stream().getReader();
            const { value, done } = await source.read();
            if (cancelled) return;
            if (done) controller.close();
            else controller.enqueue(value);
          } catch (e) {
            if (cancelled) return;
            entry.fail(e);
            controller.error(e);
          }
        },
        cancel(reason) {
          cancelled = true;
          return source?.cancel(reason);
        },
      },
      { highWaterMark: 0 },
    );
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
const offlineFetch: FetchLike = async (input) =>
  (await storeCache.match(urlOf(input))) ?? new Response(null, { status: 404 });

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
  // one failed creation or run must not fail every later one (see chain-guard.ts)
  guardTransformersChains();
}

export type Pipeline = Awaited<ReturnType<typeof pipeline>>;

export async function loadPipeline(
  task: string,
  model: OpenedModel,
  modelBase: string,
  backend: Backend,
  dtype?: string,
): Promise<Pipeline> {
  const id = model.manifest.id;
  // a store failure ends the load at once: transformers.js loses some read errors (its external
  // data loader never settles on one), and the failure is the real cause in any case
  let failure: unknown;
  let reject!: (e: unknown) => void;
  const failed = new Promise<never>((_, r) => (reject = r));
  failed.catch(() => undefined);
  const fail = (e: unknown) => {
    failure ??= e;
    reject(e);
  };
  for (const file of model.files)
    readable.set(modelUrl(modelBase, id, file.path), { file, stream: () => model.stream(file), fail });
  try {
    // transformers.js takes the task name as a string union; it checks the value itself
    const session_options = backend === 'webgpu' ? { executionProviders: [WEBGPU_PROVIDER] } : {};
    const options = { device: backend, session_options, ...(dtype && { dtype }) } as Parameters<typeof pipeline>[2];
    const pipe = await Promise.race([pipeline(task as Parameters<typeof pipeline>[0], id, options), failed]);
    const sessions = (
      pipe as unknown as {
        model?: {
          sessions?: Record<string, Parameters<typeof yieldBeforeRuns>[0] extends Iterable<infer S> ? S : never>;
        };
      }
    ).model?.sessions;
    if (sessions) yieldBeforeRuns(Object.values(sessions));
    return pipe;
  } catch (e) {
    const message = (e as Error)?.message ?? String(e);
    if (!isAirlockError(e) && /Unsupported pipeline/i.test(message))
      throw new AirlockError('UNSUPPORTED_TASK', message, { task, modelId: id });
    // whatever transformers.js made of a store failure, the failure itself is what the page hears
    throw failure ?? e;
  } finally {
    for (const file of model.files) readable.delete(modelUrl(modelBase, id, file.path));
  }
}
