// The main-thread facade: a small typed object over one dedicated module worker. It never imports
// onnxruntime-web or transformers.js; those load inside the worker only.
import * as Comlink from 'comlink';
import { AirlockError } from '../errors.js';
import type { WorkerApi } from '../worker/api.js';
import type { LoadOptions, Result, RuntimeInfo, SessionInfo, SessionLoadOptions, TensorData, WorkerConfig } from '../worker/protocol.js';
import { absoluteFolder, DEFAULTS, type RuntimeOptions } from './options.js';

export interface PipelineHandle {
  (input: unknown, options?: Record<string, unknown>): Promise<unknown>;
  readonly modelId: string;
  readonly revision: string;
  readonly backend: 'webgpu' | 'wasm';
  readonly fallbackReason: string | undefined;
  unload(): Promise<void>;
}

export interface SessionHandle {
  readonly modelId: string;
  readonly revision: string;
  readonly backend: 'webgpu' | 'wasm';
  readonly fallbackReason: string | undefined;
  readonly inputNames: readonly string[];
  readonly outputNames: readonly string[];
  /** Runs the model; input buffers are transferred to the worker (and so detached here). */
  run(feeds: Record<string, TensorData>): Promise<Record<string, TensorData>>;
  unload(): Promise<void>;
}

export interface Runtime {
  pipeline(task: string, modelId: string, options?: LoadOptions): Promise<PipelineHandle>;
  session(modelId: string, options?: SessionLoadOptions): Promise<SessionHandle>;
  info(): Promise<RuntimeInfo>;
  dispose(): Promise<void>;
}

function unwrap<T>(result: Result<T>): T {
  if (result.ok) return result.value;
  throw AirlockError.fromJSON(result.error);
}

function startWorker(url: string | URL | undefined): Worker {
  // The literal `new URL(..., import.meta.url)` lets bundlers emit the worker as its own chunk:
  // a real script URL on the page's origin, never a `blob:`.
  return url
    ? new Worker(url, { type: 'module', name: 'airlock' })
    : new Worker(new URL('../worker/entry.ts', import.meta.url), { type: 'module', name: 'airlock' });
}

export function createRuntime(options: RuntimeOptions = {}): Runtime {
  const page = globalThis.location.href;
  const config: WorkerConfig = {
    modelBase: absoluteFolder(options.modelBase ?? DEFAULTS.modelBase, page),
    runtimeBase: absoluteFolder(options.runtimeBase ?? DEFAULTS.runtimeBase, page),
    device: options.device ?? DEFAULTS.device,
    allowedOrigins: options.allowedOrigins ?? [],
  };
  let worker: Worker | undefined;
  let api: Comlink.Remote<WorkerApi> | undefined;
  let ready: Promise<Comlink.Remote<WorkerApi>> | undefined;
  let disposed = false;

  function connect(): Promise<Comlink.Remote<WorkerApi>> {
    if (disposed) return Promise.reject(new AirlockError('BAD_INPUT', 'This runtime was disposed'));
    ready ??= (async () => {
      worker = startWorker(options.workerUrl);
      api = Comlink.wrap<WorkerApi>(worker);
      unwrap(await api.init(config));
      return api;
    })();
    return ready;
  }

  return {
    async pipeline(task, modelId, opts = {}) {
      const remote = await connect();
      const loaded = unwrap(await remote.loadPipeline(task, modelId, opts));
      const run = async (input: unknown, opts?: Record<string, unknown>) => unwrap(await (await connect()).runPipeline(loaded.handle, input, opts));
      return Object.assign(run, {
        modelId: loaded.modelId,
        revision: loaded.revision,
        backend: loaded.backend,
        fallbackReason: loaded.fallbackReason,
        unload: async () => unwrap(await (await connect()).unload(loaded.handle)),
      });
    },

    async session(modelId, opts = {}) {
      const remote = await connect();
      const info: SessionInfo = unwrap(await remote.loadSession(modelId, opts));
      return {
        modelId: info.modelId,
        revision: info.revision,
        backend: info.backend,
        fallbackReason: info.fallbackReason,
        inputNames: info.inputNames,
        outputNames: info.outputNames,
        async run(feeds) {
          const buffers = Object.values(feeds).map((t) => t.data.buffer as ArrayBuffer);
          return unwrap(await (await connect()).runSession(info.handle, Comlink.transfer(feeds, [...new Set(buffers)])));
        },
        unload: async () => unwrap(await (await connect()).unload(info.handle)),
      };
    },

    async info() {
      return unwrap(await (await connect()).info());
    },

    async dispose() {
      disposed = true;
      api?.[Comlink.releaseProxy]();
      worker?.terminate();
      worker = undefined;
      api = undefined;
    },
  };
}
