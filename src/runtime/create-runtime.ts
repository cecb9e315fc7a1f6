// The main-thread facade: a small typed object over one dedicated module worker. It never imports
// onnxruntime-web or transformers.js; those load inside the worker only.
import { AuditLog } from '../audit/log.js';
import { AirlockError } from '../errors.js';
import type { LoadedModel, RuntimeInfo, SessionInfo } from '../worker/protocol.js';
import { createCache, persistence, type ModelCache } from './cache.js';
import { ModelRef, pipelineHandle, sessionHandle, type PipelineHandle, type PipelineLoadOptions, type SessionHandle, type SessionOpenOptions } from './handles.js';
import { createAuditTrail, type AuditTrail } from './audit.js';
import { absoluteFolder, DEFAULTS, maxAuditEvents, originPolicy, storeConfig, type RuntimeOptions } from './options.js';
import { progressSink } from './progress.js';
import { WorkerHost } from './worker-host.js';

export interface Runtime {
  /** Loads a model for a transformers.js task and returns a callable handle. */
  pipeline(task: string, modelId: string, options?: PipelineLoadOptions): Promise<PipelineHandle>;
  /** Loads an ONNX model as a raw onnxruntime-web session. */
  session(modelId: string, options?: SessionOpenOptions): Promise<SessionHandle>;
  /** Backends, adapter, threads and the models loaded in the current worker. */
  info(): Promise<RuntimeInfo>;
  /** Frees every handle of `modelId` (sessions, GPU buffers); later calls on them fail. */
  unload(modelId: string): Promise<void>;
  /** The model store: what is stored, prefetching, verification, removal, quota. */
  readonly cache: ModelCache;
  /** The audit trail: every request, load, verification, denial, eviction and run, and the evidence export. */
  readonly audit: AuditTrail;
  /** Terminates the worker; every later call fails with DISPOSED. */
  dispose(): Promise<void>;
}

export function createRuntime(options: RuntimeOptions = {}): Runtime {
  const page = globalThis.location.href;
  const maxTextLength = options.maxTextLength ?? DEFAULTS.maxTextLength;
  if (!Number.isSafeInteger(maxTextLength) || maxTextLength < 1) throw new AirlockError('BAD_INPUT', 'maxTextLength must be a positive integer');
  const { wasmThreads } = options;
  if (wasmThreads !== undefined && (!Number.isSafeInteger(wasmThreads) || wasmThreads < 1 || wasmThreads > 64)) {
    throw new AirlockError('BAD_INPUT', 'wasmThreads must be an integer from 1 to 64');
  }
  const policy = originPolicy(options, page);
  // a relative model base is a folder on the model origin
  const modelBase = absoluteFolder(options.modelBase ?? DEFAULTS.modelBase, `${policy.modelOrigin}/`);
  const runtimeBase = absoluteFolder(options.runtimeBase ?? DEFAULTS.runtimeBase, page);
  const log = new AuditLog(maxAuditEvents(options.audit));
  if (options.onAudit) log.on(options.onAudit);
  const host = new WorkerHost(
    { modelBase, runtimeBase, device: options.device ?? DEFAULTS.device, policy, maxTextLength, wasmThreads, store: storeConfig(options.cache) },
    options.workerUrl,
    (event) => log.add(event),
  );
  const persist = persistence(options.cache?.persist ?? true);
  const refs = new Set<ModelRef<LoadedModel>>();
  const track = <T extends LoadedModel>(ref: ModelRef<T>) => {
    refs.add(ref as ModelRef<LoadedModel>);
    return () => void refs.delete(ref as ModelRef<LoadedModel>);
  };

  return {
    async pipeline(task, modelId, { onProgress, signal, ...load } = {}) {
      persist.request();
      const ref = new ModelRef<LoadedModel>(modelId, host, (conn, controls) =>
        host.call((api, callId, events) => api.loadPipeline(task, modelId, load, callId, events), { signal: controls.signal, events: progressSink(controls) }, conn),
      );
      await ref.ensure({ ...(onProgress && { onProgress }), ...(signal && { signal }) });
      return pipelineHandle(task, ref, host, track(ref));
    },

    async session(modelId, { onProgress, signal, ...load } = {}) {
      persist.request();
      const ref = new ModelRef<SessionInfo>(modelId, host, (conn, controls) =>
        host.call((api, callId, events) => api.loadSession(modelId, load, callId, events), { signal: controls.signal, events: progressSink(controls) }, conn),
      );
      await ref.ensure({ ...(onProgress && { onProgress }), ...(signal && { signal }) });
      return sessionHandle(ref, host, track(ref));
    },

    cache: createCache(host, persist),

    audit: createAuditTrail(log, host, { ...policy, allowedOrigins: [...policy.allowedOrigins], modelBase, runtimeBase }),

    info: () => host.call((api) => api.info()),

    async unload(modelId) {
      const matching = [...refs].filter((r) => r.modelId === modelId);
      for (const ref of matching) refs.delete(ref);
      await Promise.all(matching.map((r) => r.unload()));
    },

    async dispose() {
      refs.clear();
      host.dispose();
    },
  };
}
