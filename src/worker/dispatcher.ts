// The worker's API, exposed to the page through comlink. Every method returns a Result rather
// than throwing, so error codes cross the boundary intact and the worker stays healthy.
import { env as transformersEnv } from '@huggingface/transformers';
import * as Comlink from 'comlink';
import { postAudit } from './audit/channel.js';
import type { AuditSink } from '../protocol/audit-events.js';
import { observeRequests } from './audit/request-observer.js';
import { AirlockError } from '../errors.js';
import { createGuardedFetch, type FetchLike } from './policy/guarded-fetch.js';
import { isAllowedUrl } from '../shared/origins.js';
import { probeWebGpu, withFallback } from './backend.js';
import { abortCall, throwIfAborted } from './calls.js';
import { guard, type CallContext } from './guard.js';
import { generationExtras, toTransformersOptions } from './engines/generation.js';
import { checkAudioInput, checkFeeds, checkTextCall } from './inputs.js';
import type { Manifest, ManifestFile } from '../manifest/types.js';
import { ModelStore } from './store/model-store.js';
import { modelKey, openModel, repairing, type OpenedModel, type OpenOptions, type SourceContext } from './model-source.js';
import { configureOrt, ort } from './engines/ort-env.js';
import type { WorkerConfig, WorkerFacts } from '../protocol/config.js';
import type { EventSink, Result } from '../protocol/messages.js';
import { AUDIO_TASKS, canonicalTask, GENERATING_TASKS, TEXT_TASKS } from '../protocol/tasks.js';
import type { LoadedModel, LoadOptions, PrefetchResult, RuntimeInfo, SessionInfo, SessionLoadOptions, StoredModel, TensorData, VerifyReport } from '../protocol/types.js';
import type { WorkerContract } from '../protocol/worker-api.js';
import { explainingRuntimeStart } from './engines/runtime-probe.js';
import { byteSize } from './sizes.js';
import { serially } from './serial.js';
import { createSession, runSession, type ExternalData } from './engines/sessions.js';
import { sessionFiles } from './session-files.js';
import { buffersOf, toPlain } from './engines/tensors.js';
import { configureTransformers, configuredDtype, loadPipeline, type Pipeline } from './engines/transformers.js';

/** A loaded model; `release` lets the store evict it again. */
type Entry =
  | { kind: 'pipeline'; info: LoadedModel; task: string; pipe: Pipeline; release: () => void }
  | { kind: 'session'; info: SessionInfo; session: ort.InferenceSession; release: () => void };

/** Reports a phase that comes after every byte is in: compile, ready. */
function phase(ctx: CallContext, modelId: string, name: 'compile' | 'ready', total: number): void {
  ctx.events?.({ type: 'progress', progress: { modelId, phase: name, loaded: total, total } });
}

export class WorkerApi implements WorkerContract {
  private config: WorkerConfig | undefined;
  private fetch: FetchLike | undefined;
  private store: ModelStore | undefined;
  private threads = 1;
  private readonly models = new Map<number, Entry>();
  private nextHandle = 1;
  /** where audit events go: the page, once the worker is initialized */
  private emit: AuditSink = () => {};
  private requests: { flush(): void } | undefined;
  /** why engines cannot be built: the runtime files' origin is outside the policy */
  private runtimeRefused: AirlockError | undefined;
  /** builds engines; the first failure names a runtime file that is not served */
  private readonly engine = explainingRuntimeStart(() => this.ready().fetch, () => this.ready().config.runtimeBase);

  /** Starts the worker: the policy, the audit trail, the engines' settings, the store. */
  init(config: WorkerConfig): Promise<Result<WorkerFacts>> {
    return guard({}, async () => {
      const emit = (this.emit = postAudit);
      const allowed = (url: string) => isAllowedUrl(config.policy, url);
      this.requests = observeRequests(emit, allowed);
      this.fetch = createGuardedFetch(config.policy, self.location.href, fetch, (url, reason) => emit({ type: 'denial', at: Date.now(), url, reason }));
      // anything else in this worker that fetches (onnxruntime-web, for its `.wasm`) meets the policy too
      self.fetch = this.fetch as typeof fetch;
      if (!allowed(config.runtimeBase)) {
        const why = 'its origin is not in the policy';
        this.runtimeRefused = new AirlockError('EGRESS_BLOCKED', `Refused to load onnxruntime-web from ${config.runtimeBase}: ${why}`, { url: config.runtimeBase, allowedOrigins: [...config.policy.allowedOrigins] });
      }
      this.threads = configureOrt(config.runtimeBase, config.wasmThreads).threads;
      configureTransformers(config.modelBase);
      this.store = new ModelStore(config.store);
      this.config = config;
      // Held until this worker dies: the page waits on the same lock to learn of a crash.
      if (typeof navigator.locks?.request === 'function') {
        await new Promise<void>((held) => void navigator.locks.request(config.livenessLock, () => (held(), new Promise<never>(() => {}))));
      }
      return { scriptUrl: self.location.href, engines: { transformersJs: transformersEnv.version, onnxruntimeWeb: ort.env.versions.web ?? 'unknown' } };
    });
  }

  /**
   * Sends the requests the browser has recorded but not yet reported; the result of this call
   * reaches the page after them.
   */
  async flushAudit(): Promise<void> {
    this.requests?.flush();
  }

  /** Calls that make requests report them before their result. */
  private readonly settle = () => this.flushAudit();

  /** Refuses to build an engine whose runtime files would come from outside the policy. */
  private checkRuntime(): void {
    if (!this.runtimeRefused) return;
    const url = String(this.runtimeRefused.details?.url);
    this.emit({ type: 'denial', at: Date.now(), url, reason: 'the runtime files (runtimeBase) are on an origin outside the policy' });
    throw this.runtimeRefused;
  }

  /** The audit record of a model now loaded: its manifest's provenance and every file's hash and source. */
  private auditLoad(model: OpenedModel, kind: 'pipeline' | 'session', task: string, info: LoadedModel): void {
    const { revision, source, license } = model.manifest;
    this.emit({
      type: 'load',
      at: Date.now(),
      modelId: info.modelId,
      kind,
      task,
      backend: info.backend,
      ...(info.fallbackReason && { fallbackReason: info.fallbackReason }),
      manifest: { url: model.manifestUrl, from: model.manifestFrom, revision, source, license },
      files: model.loadedFiles(),
    });
  }

  /** Runs a model call and records its sizes and time (never its data). */
  private async audited<T>(modelId: string, input: unknown, run: () => Promise<T>): Promise<T> {
    const started = performance.now();
    const record = (ok: boolean, output: unknown) =>
      this.emit({ type: 'run', at: Date.now(), modelId, inputBytes: byteSize(input), outputBytes: byteSize(output), durationMs: Math.round(performance.now() - started), ok });
    try {
      const output = await run();
      record(true, output);
      return output;
    } catch (e) {
      record(false, undefined);
      throw e;
    }
  }

  private ready(): { config: WorkerConfig; fetch: FetchLike; store: ModelStore } {
    if (!this.config || !this.fetch || !this.store) throw new AirlockError('BAD_INPUT', 'The worker was not initialized');
    return { config: this.config, fetch: this.fetch, store: this.store };
  }

  private source(signal: AbortSignal | undefined, ctx: CallContext): SourceContext {
    const { config, fetch, store } = this.ready();
    return { fetch, store, modelBase: config.modelBase, signal, audit: this.emit, onProgress: ctx.events && ((progress) => ctx.events!({ type: 'progress', progress })) };
  }

  /**
   * Opens a model with its in-use lock held (so no tab evicts it while it loads or runs), and
   * builds an engine from it; the lock stays with the loaded model until it is unloaded.
   */
  private async withModel<T>(modelId: string, signal: AbortSignal | undefined, ctx: CallContext, options: OpenOptions, build: (model: OpenedModel) => Promise<T>): Promise<{ value: T; release: () => void }> {
    const source = this.source(signal, ctx);
    const { store } = this.ready();
    const release = await store.inUse(modelKey(source.modelBase, modelId), signal);
    try {
      const model = await openModel(source, modelId, options);
      try {
        const value = await build(model);
        await store.touch(model.key);
        return { value, release };
      } finally {
        model.release();
      }
    } catch (e) {
      release();
      throw e;
    }
  }

  loadPipeline(task: string, modelId: string, options: LoadOptions = {}, callId?: number, events?: EventSink): Promise<Result<LoadedModel>> {
    return guard({ callId, events, settle: this.settle }, async (signal, ctx) => {
      const { config } = this.ready();
      this.checkRuntime();
      const wanted = canonicalTask(task);
      const select = (manifest: Manifest) => {
        // refuse before anything is downloaded; either side may name the task by an alias
        const modelTask = canonicalTask(manifest.task);
        if (modelTask !== wanted) throw new AirlockError('UNSUPPORTED_TASK', `Model "${modelId}" is for "${modelTask}", not "${wanted}"`, { modelId, task: wanted });
        return manifest.files;
      };
      const { value, release } = await this.withModel(modelId, signal, ctx, { select, revalidate: options.revalidate ?? true }, async (model) => {
        const total = model.files.reduce((n, f) => n + f.size, 0);
        phase(ctx, modelId, 'compile', total);
        const device = options.device ?? config.device;
        const created = await this.engine(() => repairing(model, async () => {
          const dtype = options.dtype ?? (await configuredDtype(model));
          return withFallback(device, dtype, (backend) => serially(() => loadPipeline(wanted, model, config.modelBase, backend, options.dtype), signal));
        }));
        if (signal?.aborted) {
          await created.value.dispose();
          throwIfAborted(signal, `Loading "${modelId}"`);
        }
        return { model, created, total };
      });
      const { model, created, total } = value;
      const info: LoadedModel = { handle: this.nextHandle++, modelId, revision: model.manifest.revision, task: wanted, backend: created.backend };
      if (created.reason) info.fallbackReason = created.reason;
      this.models.set(info.handle, { kind: 'pipeline', info, task: wanted, pipe: created.value, release });
      this.auditLoad(model, 'pipeline', wanted, info);
      phase(ctx, modelId, 'ready', total);
      return info;
    }, 'BACKEND_UNAVAILABLE');
  }

  /**
   * Runs a pipeline on `args`: its positional arguments (the input; for some tasks more, such as
   * zero-shot-classification's candidate labels or question-answering's context).
   */
  runPipeline(handle: number, args: unknown[], options: Record<string, unknown> = {}, callId?: number, events?: EventSink): Promise<Result<unknown>> {
    return guard({ callId, events, settle: this.settle }, async (signal, ctx) => {
      const entry = this.entry(handle, 'pipeline');
      return this.audited(entry.info.modelId, args, async () => {
        const [input] = args;
        if (TEXT_TASKS.has(entry.task)) checkTextCall(args, this.ready().config.maxTextLength);
        if (AUDIO_TASKS.has(entry.task)) checkAudioInput(input);
        const run = entry.pipe as unknown as (...args: unknown[]) => Promise<unknown>;
        const onText = ctx.events && ((text: string) => ctx.events!({ type: 'text', text }));
        const generation = GENERATING_TASKS.has(entry.task) ? generationExtras(entry.pipe, signal, onText) : undefined;
        const what = `The call to "${entry.info.modelId}"`;
        const output = await serially(() => {
          throwIfAborted(signal, what);
          return run(...args, { ...toTransformersOptions(options), ...generation?.options });
        }, signal);
        throwIfAborted(signal, what, generation && { tokens: generation.tokens() });
        return toPlain(output);
      });
    });
  }

  loadSession(modelId: string, options: SessionLoadOptions = {}, callId?: number, events?: EventSink): Promise<Result<SessionInfo>> {
    return guard({ callId, events, settle: this.settle }, async (signal, ctx) => {
      const { config } = this.ready();
      this.checkRuntime();
      // pick the model file (and its external data) from the manifest before downloading anything
      const select = (manifest: Manifest) => sessionFiles(manifest, options.file);
      const { value, release } = await this.withModel(modelId, signal, ctx, { select, revalidate: options.revalidate ?? true }, async (model) => {
        const [onnx, ...data] = model.files as [ManifestFile, ...ManifestFile[]];
        const total = model.files.reduce((n, f) => n + f.size, 0);
        const device = options.device ?? config.device;
        const created = await this.engine(() => repairing(model, async () => {
          const bytes = await model.read(onnx);
          const externalData: ExternalData = [];
          for (const f of data) externalData.push({ path: f.path.slice(f.path.lastIndexOf('/') + 1), data: await model.read(f) });
          throwIfAborted(signal, `Loading "${modelId}"`);
          phase(ctx, modelId, 'compile', total);
          return withFallback(device, undefined, (backend) => serially(() => createSession(bytes, backend, externalData), signal));
        }));
        if (signal?.aborted) {
          await created.value.release();
          throwIfAborted(signal, `Loading "${modelId}"`);
        }
        return { model, created, total };
      });
      const { model, created, total } = value;
      const info: SessionInfo = {
        handle: this.nextHandle++,
        modelId,
        revision: model.manifest.revision,
        task: canonicalTask(model.manifest.task),
        backend: created.backend,
        inputNames: [...created.value.inputNames],
        outputNames: [...created.value.outputNames],
      };
      if (created.reason) info.fallbackReason = created.reason;
      this.models.set(info.handle, { kind: 'session', info, session: created.value, release });
      this.auditLoad(model, 'session', info.task, info);
      phase(ctx, modelId, 'ready', total);
      return info;
    }, 'BACKEND_UNAVAILABLE');
  }

  async runSession(handle: number, feeds: Record<string, TensorData>, callId?: number): Promise<Result<Record<string, TensorData>>> {
    const result = await guard({ callId, settle: this.settle }, (signal) => {
      const { session, info } = this.entry(handle, 'session');
      return this.audited(info.modelId, feeds, () => {
        checkFeeds(feeds, session.inputNames, session.inputMetadata);
        return serially(() => {
          throwIfAborted(signal, 'The session run');
          return runSession(session, feeds);
        }, signal);
      });
    });
    return result.ok ? Comlink.transfer(result, buffersOf(result.value)) : result;
  }

  /** Stores every file of a model (what is missing), without loading it into an engine. */
  cachePrefetch(modelId: string, options: { revalidate?: boolean } = {}, callId?: number, events?: EventSink): Promise<Result<PrefetchResult>> {
    return guard({ callId, events, settle: this.settle }, async (signal, ctx) => {
      const { value, release } = await this.withModel(modelId, signal, ctx, { revalidate: options.revalidate ?? true }, async (model) => model);
      release();
      const bytes = value.manifest.files.reduce((n, f) => n + f.size, 0);
      return { modelId, revision: value.manifest.revision, bytes, evicted: value.evicted };
    }, 'NETWORK');
  }

  cacheList(): Promise<Result<StoredModel[]>> {
    return guard({}, () => this.ready().store.list());
  }

  cacheHas(modelId: string): Promise<Result<boolean>> {
    return guard({}, () => this.ready().store.has(this.keyOf(modelId)));
  }

  cacheVerify(modelId: string): Promise<Result<VerifyReport | null>> {
    return guard({ settle: this.settle }, async () => {
      const report = (await this.ready().store.verify(this.keyOf(modelId))) ?? null;
      for (const f of report?.files ?? []) {
        this.emit({ type: 'verification', at: Date.now(), modelId, path: f.path, sha256: f.sha256, ok: f.ok, stage: 'check', ...(f.problem && { problem: f.problem }) });
      }
      return report;
    });
  }

  cacheDelete(modelId: string): Promise<Result<boolean>> {
    return guard({}, () => this.ready().store.delete(this.keyOf(modelId)));
  }

  cacheClear(): Promise<Result<void>> {
    return guard({}, () => this.ready().store.clear());
  }

  private keyOf(modelId: string): string {
    return modelKey(this.ready().config.modelBase, modelId);
  }

  /** Aborts call `callId`: a load stops between reads, a generation within one token. */
  abort(callId: number): void {
    abortCall(callId);
  }

  unload(handle: number): Promise<Result<void>> {
    return guard({}, async () => {
      const entry = this.models.get(handle);
      this.models.delete(handle);
      // wait for running work on the engine before freeing its memory (GPU buffers included)
      if (entry?.kind === 'pipeline') await serially(() => entry.pipe.dispose());
      if (entry?.kind === 'session') await serially(() => entry.session.release());
      entry?.release();
    });
  }

  info(): Promise<Result<RuntimeInfo>> {
    return guard({}, async () => {
      const { config } = this.ready();
      const notes: string[] = [];
      if (!self.crossOriginIsolated) notes.push('The page is not cross-origin isolated (COOP/COEP): WASM runs on one thread.');
      return {
        device: config.device,
        webgpu: await probeWebGpu(),
        crossOriginIsolated: self.crossOriginIsolated,
        wasmThreads: this.threads,
        notes,
        models: [...this.models.values()].map((e) => e.info),
      };
    });
  }

  private entry<K extends Entry['kind']>(handle: number, kind: K): Extract<Entry, { kind: K }> {
    const entry = this.models.get(handle);
    if (!entry || entry.kind !== kind) throw new AirlockError('BAD_INPUT', `No loaded ${kind} with handle ${handle} (was it unloaded?)`);
    return entry as Extract<Entry, { kind: K }>;
  }
}
