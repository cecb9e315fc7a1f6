// The main-thread facade: a small typed object over one dedicated module worker. It never imports
// onnxruntime-web or transformers.js; those load inside the worker only.
import { AuditLog } from './audit/log.js';
import { canonicalTask } from '../protocol/tasks.js';
import type { LoadedModel, OutputTypes, RuntimeInfo, SessionInfo, SessionLoadOptions } from '../protocol/types.js';
import { createCache, persistence, type ModelCache } from './cache.js';
import {
  ModelRef,
  pipelineHandle,
  sessionHandle,
  type PipelineHandle,
  type PipelineLoadOptions,
  type SessionHandle,
  type SessionOpenOptions,
} from './handles.js';
import { createAuditTrail, type AuditTrail } from './audit/trail.js';
import { maxAuditEvents, storeConfig, workerSettings, type RuntimeOptions } from './options.js';
import { nonEmptyString, optionalBoolean, optionalFunction, optionalSignal, optionsObject } from './checks.js';
import type { IndexEntry } from '../manifest/models-index.js';
import { loadOptions, refuseOtherKind } from './load-options.js';
import { progressSink } from './progress.js';
import { WorkerHost } from './worker-host.js';
import { collectorSettings } from './audit/collector-options.js';
import { loadVad, type VadDetector, type VadLoadOptions } from './tasks/vad.js';
import { modelFiles, type ModelFiles } from './files.js';
import { ocrHandle, type OcrHandle, type OcrOptions } from './tasks/ocr.js';

export interface Runtime {
  /** Loads a model for a transformers.js task and returns a callable handle. */
  pipeline(task: string, modelId: string, options?: PipelineLoadOptions): Promise<PipelineHandle>;
  /** Loads an ONNX model as a raw onnxruntime-web session. */
  session<O extends OutputTypes = OutputTypes>(
    modelId: string,
    options?: SessionOpenOptions,
  ): Promise<SessionHandle<O>>;
  /** Loads Silero VAD (`model`, default `silero-vad`) for speech detection in the worker. */
  vad(options?: VadLoadOptions): Promise<VadDetector>;
  /** The models the model origin offers, from its `<modelBase>index.json` (written by `airlock index`). */
  models(options?: { signal?: AbortSignal }): Promise<IndexEntry[]>;
  /** Loads an OCR model (PaddleOCR's det, rec and cls sessions) and returns a call that reads an image's text lines. */
  ocr(options?: OcrOptions): Promise<OcrHandle>;
  /** A model's files (any its manifest lists), read verified through the model store. */
  files(modelId: string): ModelFiles;
  /** Backends, adapter, threads and the models loaded in the current worker. */
  info(): Promise<RuntimeInfo>;
  /** Frees every handle of `modelId` (sessions, GPU buffers); later calls on them fail. */
  unload(modelId: string): Promise<void>;
  /** The model store: what is stored, prefetching, verification, removal, quota. */
  readonly cache: ModelCache;
  /** The audit trail: every request, load, verification, denial, eviction and run, and the evidence export. */
  readonly audit: AuditTrail;
  /**
   * Terminates the worker, once the store has written what its loads left to write (at most 30 s);
   * every later call fails with DISPOSED.
   */
  dispose(): Promise<void>;
}

type Track = <T extends LoadedModel>(ref: ModelRef<T>) => () => void;

/** How long `dispose()` waits for the store's last writes before it ends the worker anyway. */
const SETTLE_MS = 30_000;

/** Waits for the worker's store writes, at most `ms`: a worker that does not answer is ended all the same. */
async function settledWithin(host: WorkerHost, ms: number): Promise<void> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const late = new Promise<void>((resolve) => (timer = setTimeout(resolve, ms)));
  await Promise.race([host.call((api) => api.cacheSettled()).catch(() => undefined), late]);
  clearTimeout(timer);
}

/** The two ways to load a model: a transformers.js pipeline and a raw onnxruntime-web session. */
function loaders(
  host: WorkerHost,
  persist: ReturnType<typeof persistence>,
  track: Track,
): Pick<Runtime, 'pipeline' | 'session'> {
  return {
    async pipeline(task, modelId, options) {
      const canonical = canonicalTask(nonEmptyString('task', task));
      nonEmptyString('modelId', modelId);
      const { controls, load } = loadOptions(options, canonical);
      refuseOtherKind('pipeline', load);
      persist.request();
      const ref = new ModelRef<LoadedModel>(modelId, host, (conn, c) =>
        host.call(
          (api, callId, events) => api.loadPipeline(canonical, modelId, load, callId, events),
          { signal: c.signal, events: progressSink(c) },
          conn,
        ),
      );
      await ref.ensure(controls);
      return pipelineHandle(canonical, ref, host, track(ref));
    },

    async session<O extends OutputTypes = OutputTypes>(modelId: string, options?: SessionOpenOptions) {
      nonEmptyString('modelId', modelId);
      const { controls, load } = loadOptions(options);
      refuseOtherKind('session', load);
      const sessionLoad = load as SessionLoadOptions; // no dtype: refused just above
      persist.request();
      const ref = new ModelRef<SessionInfo>(modelId, host, (conn, c) =>
        host.call(
          (api, callId, events) => api.loadSession(modelId, sessionLoad, callId, events),
          { signal: c.signal, events: progressSink(c) },
          conn,
        ),
      );
      await ref.ensure(controls);
      return sessionHandle<O>(ref, host, track(ref));
    },
  };
}

export function createRuntime(given?: RuntimeOptions): Runtime {
  const options = optionsObject('options', given);
  const { worker, workerUrl } = workerSettings(options, globalThis.location.href);
  const { policy, modelBase, runtimeBase } = worker;
  const onAudit = optionalFunction('onAudit', options.onAudit);
  const log = new AuditLog(maxAuditEvents(options.audit));
  if (onAudit) log.on(onAudit);
  const collector = collectorSettings(options.audit, policy);
  // a collector the hosting policy names gets the page's batch settings; the worker puts in its URL
  const hostingPolicy = worker.hostingPolicy && {
    ...worker.hostingPolicy,
    collector: collectorSettings({ ...options.audit, collector: worker.hostingPolicy.url }, policy),
  };
  const central = collector !== undefined || hostingPolicy !== undefined;
  const store = storeConfig(options.cache);
  const host = new WorkerHost({ ...worker, hostingPolicy, store, collector }, workerUrl, (event) => log.add(event));
  const persist = persistence(optionalBoolean('cache.persist', options.cache?.persist) ?? true);
  const refs = new Set<ModelRef<LoadedModel>>();
  const track: Track = (ref) => {
    refs.add(ref);
    return () => void refs.delete(ref);
  };

  return {
    ...loaders(host, persist, track),

    cache: createCache(host, persist),

    vad: (options) => (persist.request(), loadVad(host, options, track)),

    audit: createAuditTrail(
      log,
      host,
      { ...policy, allowedOrigins: [...policy.allowedOrigins], modelBase, runtimeBase },
      central,
    ),

    async models(options) {
      const signal = optionalSignal('signal', optionsObject('options', options).signal);
      return host.call((api, callId) => api.listModels(callId), signal ? { signal } : {});
    },

    files: (modelId) => modelFiles(host, modelId),

    ocr: (ocrOptions) => (persist.request(), ocrHandle(host, ocrOptions, track)),

    info: () => host.call((api) => api.info()),

    async unload(modelId) {
      nonEmptyString('modelId', modelId);
      const matching = [...refs].filter((r) => r.modelId === modelId);
      for (const ref of matching) refs.delete(ref);
      await Promise.all(matching.map((r) => r.unload()));
    },

    async dispose() {
      refs.clear();
      // a load's last writes to the store end first, so that the next runtime finds its model stored
      if (host.isRunning()) await settledWithin(host, SETTLE_MS);
      // the worker's last events go to the central log before it stops
      if (central && host.isRunning()) await host.call((api) => api.closeCollector()).catch(() => undefined);
      host.dispose();
    },
  };
}
