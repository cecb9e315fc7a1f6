// The worker's side of its contract (src/protocol/worker-api.ts): each method checks nothing
// itself and hands its work on (the load path, the runs, the store), inside a guard that answers
// with a Result, so error codes cross the boundary intact and the worker stays healthy.
import { AirlockError } from '../errors.js';
import type { WorkerConfig, WorkerFacts } from '../protocol/config.js';
import type { EventSink, Result } from '../protocol/messages.js';
import { canonicalTask } from '../protocol/tasks.js';
import type { LoadedModel, LoadOptions, RuntimeInfo, SessionInfo, SessionLoadOptions } from '../protocol/types.js';
import type { WorkerContract } from '../protocol/worker-api.js';
import { runtimeInfo } from './backend.js';
import { abortCall } from './calls.js';
import { pipelineKind, sessionKind, sessionNames } from './engine-kinds.js';
import { explainingRuntimeStart } from './engines/runtime-probe.js';
import { boot, type Ready } from './boot.js';
import { guard, type CallContext } from './guard.js';
import type { WorkerHooks } from './hooks.js';
import { keep, loadContext, loadModel, type LoadContext } from './load.js';
import { Registry } from './registry.js';
import { runCalls } from './run-calls.js';
import { storeCalls } from './store-calls.js';
import { taskCalls, type TaskCalls } from './task-calls.js';

export class WorkerDispatcher implements Omit<WorkerContract, keyof TaskCalls> {
  private state: Ready | undefined;
  private readonly models = new Registry();
  /** builds engines; the first failure names a runtime file that is not served */
  private readonly engine = explainingRuntimeStart(
    () => this.ready().policy.fetch,
    () => this.ready().config.runtimeBase,
  );
  /** calls that make requests report them before their result */
  private readonly settle = () => this.flushAudit();

  private readonly runs = runCalls({ ready: () => this.ready(), models: this.models, settle: this.settle });
  readonly runPipeline = this.runs.runPipeline;
  readonly runSession = this.runs.runSession;
  private readonly store = storeCalls({
    ready: () => this.ready(),
    settle: this.settle,
    context: (options, signal, ctx) => this.context(options, signal, ctx, false),
  });
  readonly cachePrefetch = this.store.cachePrefetch;
  readonly listModels = this.store.listModels;
  readonly cacheList = this.store.cacheList;
  readonly cacheHas = this.store.cacheHas;
  readonly cacheVerify = this.store.cacheVerify;
  readonly cacheDelete = this.store.cacheDelete;
  readonly cacheClear = this.store.cacheClear;
  readonly cacheSettled = this.store.cacheSettled;
  /** the task APIs' and the central log's calls, exposed beside this object's (src/worker/exposed.ts) */
  readonly tasks: TaskCalls = taskCalls({
    state: () => this.state,
    models: this.models,
    settle: this.settle,
    context: (o, s, c, engines) => this.context(o, s, c, engines),
  });

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

  abort(callId: number): void {
    abortCall(callId);
  }

  unload(handle: number): Promise<Result<void>> {
    return guard({ unexpected: 'BAD_INPUT' }, () => this.models.unload(handle));
  }

  info(): Promise<Result<RuntimeInfo>> {
    return guard({ unexpected: 'BAD_INPUT' }, async () => {
      const { config, threads, store } = this.ready();
      return runtimeInfo(config.device, threads, this.models.infos(), store.notes());
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
