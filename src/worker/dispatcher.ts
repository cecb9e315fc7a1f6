// The worker's side of its contract (src/protocol/worker-api.ts): each method checks nothing
// itself and hands its work on (the load path, the runs, the store), inside a guard that answers
// with a Result, so error codes cross the boundary intact and the worker stays healthy.
import * as Comlink from 'comlink';
import { AirlockError } from '../errors.js';
import type { WorkerConfig, WorkerFacts } from '../protocol/config.js';
import type { EventSink, Result } from '../protocol/messages.js';
import { canonicalTask } from '../protocol/tasks.js';
import type {
  LoadedModel,
  LoadOptions,
  PrefetchOptions,
  PrefetchResult,
  RuntimeInfo,
  SessionInfo,
  SessionLoadOptions,
  StoredModel,
  TensorData,
  VerifyReport,
} from '../protocol/types.js';
import type { WorkerContract } from '../protocol/worker-api.js';
import { postAudit } from './audit/channel.js';
import { checked } from './audit/events.js';
import { runtimeInfo } from './backend.js';
import { abortCall } from './calls.js';
import { pipelineKind, prefetchSelection, sessionKind, sessionNames } from './engine-kinds.js';
import { fetchModelsIndex } from './models-index.js';
import type { IndexEntry } from '../manifest/models-index.js';
import { explainingRuntimeStart } from './engines/runtime-probe.js';
import { buffersOf } from './engines/tensors.js';
import { boot, type Ready } from './boot.js';
import { guard, type CallContext } from './guard.js';
import type { WorkerHooks } from './hooks.js';
import { keep, loadContext, loadModel, withModel, type LoadContext } from './load.js';
import { modelKey } from './model-source.js';
import { Registry } from './registry.js';
import { audited, runPipelineCall, runSessionCall } from './runs.js';

export class WorkerDispatcher implements WorkerContract {
  private state: Ready | undefined;
  private readonly models = new Registry();
  /** builds engines; the first failure names a runtime file that is not served */
  private readonly engine = explainingRuntimeStart(
    () => this.ready().policy.fetch,
    () => this.ready().config.runtimeBase,
  );
  /** calls that make requests report them before their result */
  private readonly settle = () => this.flushAudit();

  constructor(private readonly hooks: WorkerHooks = {}) {}

  init(config: WorkerConfig): Promise<Result<WorkerFacts>> {
    return guard({ unexpected: 'BAD_INPUT' }, async () => {
      const { ready, facts } = await boot(config);
      this.state = ready;
      return facts;
    });
  }

  flushAudit(): Promise<void> {
    return Promise.resolve(this.state?.policy.flushRequests());
  }

  loadPipeline(
    task: string,
    modelId: string,
    options: LoadOptions = {},
    callId?: number,
    events?: EventSink,
  ): Promise<Result<LoadedModel>> {
    // whatever the engines throw outside the steps that name their failures
    return guard({ callId, events, settle: this.settle, unexpected: 'BACKEND_UNAVAILABLE' }, async (signal, ctx) => {
      const wanted = canonicalTask(task);
      const load = this.context(options, signal, ctx, true);
      const done = await loadModel(
        load,
        modelId,
        pipelineKind(wanted, this.ready().config.modelBase, options.dtype, load.device),
      );
      return keep(this.models, load, 'pipeline', done, wanted, (info) => ({
        kind: 'pipeline',
        info,
        pipe: done.engine,
        release: done.release,
      }));
    });
  }

  runPipeline(
    handle: number,
    args: unknown[],
    options: Record<string, unknown> = {},
    callId?: number,
    events?: EventSink,
  ): Promise<Result<unknown>> {
    // an engine that refuses a call's arguments or options throws its own error
    return guard({ callId, events, settle: this.settle, unexpected: 'BAD_INPUT' }, (signal, ctx) => {
      const entry = this.models.get(handle, 'pipeline');
      return audited(postAudit, entry.info.modelId, args, () =>
        runPipelineCall(entry, { args, options, signal, ctx, maxTextLength: this.ready().config.maxTextLength }),
      );
    });
  }

  loadSession(
    modelId: string,
    options: SessionLoadOptions = {},
    callId?: number,
    events?: EventSink,
  ): Promise<Result<SessionInfo>> {
    return guard({ callId, events, settle: this.settle, unexpected: 'BACKEND_UNAVAILABLE' }, async (signal, ctx) => {
      const load = this.context(options, signal, ctx, true);
      const done = await loadModel(load, modelId, sessionKind(options.file));
      const names = sessionNames(done.model, done.engine);
      return keep<SessionInfo>(this.models, load, 'session', done, canonicalTask(done.model.manifest.task), (info) => ({
        kind: 'session',
        info: { ...info, ...names },
        session: done.engine,
        release: done.release,
      }));
    });
  }

  async runSession(
    handle: number,
    feeds: Record<string, TensorData>,
    callId?: number,
  ): Promise<Result<Record<string, TensorData>>> {
    const result = await guard({ callId, settle: this.settle, unexpected: 'BAD_INPUT' }, (signal) => {
      const entry = this.models.get(handle, 'session');
      return audited(postAudit, entry.info.modelId, feeds, () => runSessionCall(entry, feeds, signal));
    });
    return result.ok ? Comlink.transfer(result, buffersOf(result.value)) : result;
  }

  cachePrefetch(
    modelId: string,
    options: PrefetchOptions = {},
    callId?: number,
    events?: EventSink,
  ): Promise<Result<PrefetchResult>> {
    return guard({ callId, events, settle: this.settle, unexpected: 'NETWORK' }, async (signal, ctx) => {
      const load = this.context(options, signal, ctx, false);
      const { model, release } = await withModel(
        load,
        modelId,
        { select: prefetchSelection(options.dtype, load.device) },
        () => Promise.resolve(),
      );
      release();
      return {
        modelId,
        revision: model.manifest.revision,
        bytes: model.files.reduce((n, f) => n + f.size, 0),
        evicted: model.evicted,
      };
    });
  }

  listModels(callId?: number): Promise<Result<IndexEntry[]>> {
    return guard({ callId, settle: this.settle, unexpected: 'NETWORK' }, (signal) =>
      fetchModelsIndex(this.ready(), signal),
    );
  }

  cacheList(): Promise<Result<StoredModel[]>> {
    return guard({ unexpected: 'STORAGE_FAILED' }, () => this.ready().store.list());
  }

  cacheHas(modelId: string): Promise<Result<boolean>> {
    return guard({ unexpected: 'STORAGE_FAILED' }, () =>
      this.ready().store.has(modelKey(this.ready().config.modelBase, modelId)),
    );
  }

  cacheVerify(modelId: string): Promise<Result<VerifyReport | null>> {
    return guard({ settle: this.settle, unexpected: 'STORAGE_FAILED' }, async () => {
      const report = (await this.ready().store.verify(modelKey(this.ready().config.modelBase, modelId))) ?? null;
      for (const f of report?.files ?? []) postAudit(checked(modelId, f));
      return report;
    });
  }

  cacheDelete(modelId: string): Promise<Result<boolean>> {
    return guard({ unexpected: 'STORAGE_FAILED' }, () =>
      this.ready().store.delete(modelKey(this.ready().config.modelBase, modelId)),
    );
  }

  cacheClear(): Promise<Result<void>> {
    return guard({ unexpected: 'STORAGE_FAILED' }, () => this.ready().store.clear());
  }

  abort(callId: number): void {
    abortCall(callId);
  }

  unload(handle: number): Promise<Result<void>> {
    return guard({ unexpected: 'BAD_INPUT' }, () => this.models.unload(handle));
  }

  info(): Promise<Result<RuntimeInfo>> {
    return guard({ unexpected: 'BAD_INPUT' }, async () => {
      const { config, threads } = this.ready();
      return runtimeInfo(config.device, threads, this.models.infos());
    });
  }

  private ready(): Ready {
    if (!this.state) throw new AirlockError('BAD_INPUT', 'The worker was not initialized');
    return this.state;
  }

  /** What a load needs; `engines` false for a prefetch, which builds none (and so needs no runtime files). */
  private context(
    options: LoadOptions,
    signal: AbortSignal | undefined,
    ctx: CallContext,
    engines: boolean,
  ): LoadContext {
    const ready = this.ready();
    if (engines) ready.policy.checkRuntime();
    return loadContext(ready, options, signal, ctx, { engine: this.engine, hooks: this.hooks });
  }
}
