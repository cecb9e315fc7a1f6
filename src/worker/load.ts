// The one load path, for pipelines and raw sessions alike: the model's in-use lock, its files
// through the store, a repair when a stored file turns out changed, the backend with its
// fallback, and the engine created in the queue of engine work.
import { AirlockError, isAirlockError } from '../errors.js';
import type { Backend, Device, LoadedModel, LoadOptions, LoadProgress } from '../protocol/types.js';
import { postAudit } from './audit/channel.js';
import { loaded } from './audit/events.js';
import { withFallback } from './backend.js';
import type { Ready } from './boot.js';
import { throwIfAborted } from './calls.js';
import type { CallContext } from './guard.js';
import type { WorkerHooks } from './hooks.js';
import {
  modelKey,
  openModel,
  repairing,
  type FileSelection,
  type OpenOptions,
  type OpenedModel,
  type SourceContext,
} from './model-source.js';
import type { Registry } from './registry.js';
import { serially } from './serial.js';
import { runtimeStarted, warmUpRuntime } from './engines/runtime-warm-up.js';

/** What differs between kinds of engine: which files, what is read first, how it is built and freed. */
export interface EngineKind<P, E> {
  /** picks the files from the manifest before they are downloaded (reading any it must know first); may refuse it */
  select: FileSelection;
  /** the engine reads its files whole: a cold load hands over the bytes it just verified (no read-back) */
  keep?: boolean;
  /** reads what the engine is built from (a stored file found changed meanwhile is fetched again) */
  prepare(model: OpenedModel): Promise<P>;
  /** the dtype the backend choice must allow for, if any */
  dtype(prepared: P): string | undefined;
  create(model: OpenedModel, prepared: P, backend: Backend): Promise<E>;
  dispose(engine: E): Promise<void>;
}

export interface LoadContext {
  source: SourceContext;
  device: Device;
  revalidate: boolean;
  /** wraps engine creation: the first failure of a worker names a runtime file that is not served */
  engine: <T>(build: () => Promise<T>) => Promise<T>;
  hooks: WorkerHooks;
}

export interface Loaded<E> {
  model: OpenedModel;
  engine: E;
  backend: Backend;
  fallbackReason?: string;
  /** lets go of the model's in-use lock: call when the engine is freed */
  release: () => void;
}

/** All bytes are in: the engine is being built, or is ready. */
export function reportPhase(ctx: LoadContext, model: OpenedModel, phase: 'compile' | 'ready'): void {
  const total = model.files.reduce((n, f) => n + f.size, 0);
  ctx.source.onProgress?.({ modelId: model.manifest.id, phase, loaded: total, total });
}

/**
 * An engine's own failure (onnxruntime-web's, transformers.js's) is BACKEND_UNAVAILABLE; the
 * library's errors (a store failure, an abort, a refused input) keep their codes.
 */
function engineFailure(e: unknown): never {
  if (isAirlockError(e)) throw e;
  throw new AirlockError('BACKEND_UNAVAILABLE', (e as Error)?.message ?? String(e));
}

async function build<P, E>(
  ctx: LoadContext,
  model: OpenedModel,
  kind: EngineKind<P, E>,
): Promise<Omit<Loaded<E>, 'model' | 'release'>> {
  const { signal } = ctx.source;
  const what = `Loading "${model.manifest.id}"`;
  let compiling = false;
  const attempt = async () => {
    const prepared = await kind.prepare(model);
    throwIfAborted(signal, what);
    if (!compiling) reportPhase(ctx, model, 'compile');
    compiling = true;
    return withFallback(ctx.device, kind.dtype(prepared), (backend) => {
      ctx.hooks.beforeCreate?.(backend);
      return serially(async () => {
        await runtimeStarted();
        return kind.create(model, prepared, backend);
      }, signal);
    });
  };
  const created = await ctx.engine(() => repairing(model, attempt)).catch(engineFailure);
  if (signal?.aborted) {
    await kind.dispose(created.value);
    throwIfAborted(signal, what);
  }
  return { engine: created.value, backend: created.backend, ...(created.reason && { fallbackReason: created.reason }) };
}

/**
 * Opens model `id` (its files stored and pinned) holding its in-use lock, so no tab evicts it
 * while it loads or runs, and hands it to `use`; the lock stays held until `release`.
 */
export async function withModel<T>(
  ctx: LoadContext,
  id: string,
  choice: Pick<OpenOptions, 'select' | 'keep' | 'onFilesChosen'>,
  use: (model: OpenedModel) => Promise<T>,
): Promise<{ model: OpenedModel; value: T; release: () => void }> {
  const { store, signal, modelBase } = ctx.source;
  const release = await store.inUse(modelKey(modelBase, id), signal);
  try {
    const model = await openModel(ctx.source, id, { ...choice, revalidate: ctx.revalidate });
    try {
      // the note of its last use only orders evictions: a store that cannot write it now must
      // not fail a load whose files are verified (nor, after `use`, leave its engine unowned)
      await store.touch(model.key).catch(() => undefined);
      const value = await use(model);
      return { model, value, release };
    } finally {
      model.release();
    }
  } catch (e) {
    release();
    throw e;
  }
}

const startRuntime = () => void warmUpRuntime().catch(() => undefined);

/** Loads model `id` into an engine of `kind`; the in-use lock stays with it until `release`. */
export async function loadModel<P, E>(ctx: LoadContext, id: string, kind: EngineKind<P, E>): Promise<Loaded<E>> {
  try {
    const { model, value, release } = await withModel(
      ctx,
      id,
      // the runtime starts while the model's bytes come in (once the manifest is accepted: a
      // refused load fetches nothing more); its failure is met at the creation
      { select: kind.select, keep: kind.keep ?? false, onFilesChosen: startRuntime },
      (opened) => build(ctx, opened, kind),
    );
    return { model, ...value, release };
  } catch (e) {
    // the runtime's requests belong to this call: they are done, and so reported, before its error
    await runtimeStarted().catch(() => undefined);
    throw e;
  }
}

/** A load's context from the worker's state and the call's options, signal and event sink. */
export function loadContext(
  ready: Ready,
  options: LoadOptions,
  signal: AbortSignal | undefined,
  ctx: CallContext,
  parts: Pick<LoadContext, 'engine' | 'hooks'>,
): LoadContext {
  const { config, policy, store } = ready;
  const events = ctx.events;
  const onProgress = events && ((progress: LoadProgress) => events({ type: 'progress', progress }));
  const trust = config.trust?.publicKeys;
  const requested = options.device ?? config.device;
  const device = ready.hosting?.rules.device(requested) ?? requested;
  const admit = ready.hosting?.rules.admission(device);
  const source = {
    fetch: policy.fetch,
    store,
    modelBase: config.modelBase,
    signal,
    audit: postAudit,
    onProgress,
    trust,
    admit,
  };
  return { source, device, revalidate: options.revalidate ?? true, ...parts };
}

/** Registers a loaded engine under a new handle, records the load, and reports it ready. */
export function keep<I extends LoadedModel>(
  models: Registry,
  load: LoadContext,
  kind: 'pipeline' | 'session',
  done: Loaded<unknown>,
  task: string,
  entry: (info: Omit<LoadedModel, 'handle'>) => Parameters<Registry['add']>[0],
): I {
  const { model, backend, fallbackReason } = done;
  const info = models.add(
    entry({
      modelId: model.manifest.id,
      revision: model.manifest.revision,
      task,
      backend,
      ...(fallbackReason && { fallbackReason }),
    }),
  ) as I;
  postAudit(loaded(model, kind, info));
  reportPhase(load, model, 'ready');
  return info;
}
