// The worker's API, exposed to the page through comlink. Every method returns a Result rather
// than throwing, so error codes cross the boundary intact and the worker stays healthy.
import * as Comlink from 'comlink';
import { AirlockError, isAirlockError, type ErrorCode } from '../errors.js';
import { createGuardedFetch, type FetchLike } from '../policy/guarded-fetch.js';
import { createOriginPolicy } from '../policy/origins.js';
import { probeWebGpu, withFallback } from './backend.js';
import { fetchModelFiles } from './model-files.js';
import { configureOrt, type ort } from './ort-env.js';
import type { LoadedModel, LoadOptions, Result, RuntimeInfo, SessionInfo, SessionLoadOptions, TensorData, WorkerConfig } from './protocol.js';
import { serially } from './serial.js';
import { createSession, runSession } from './session-engine.js';
import { buffersOf, toPlain } from './tensors.js';
import { configureTransformers, loadPipeline, type Pipeline } from './transformers-engine.js';

type Entry =
  | { kind: 'pipeline'; info: LoadedModel; pipe: Pipeline }
  | { kind: 'session'; info: SessionInfo; session: ort.InferenceSession };

/** Runs `fn`, turning any failure into an error Result; foreign errors get `fallback` as code. */
async function guard<T>(fn: () => Promise<T>, fallback: ErrorCode = 'BAD_INPUT'): Promise<Result<T>> {
  try {
    return { ok: true, value: await fn() };
  } catch (e) {
    const err = isAirlockError(e) ? e : new AirlockError(fallback, (e as Error)?.message ?? String(e));
    return { ok: false, error: err.toJSON() };
  }
}

export class WorkerApi {
  private config: WorkerConfig | undefined;
  private fetch: FetchLike | undefined;
  private threads = 1;
  private readonly models = new Map<number, Entry>();
  private nextHandle = 1;

  init(config: WorkerConfig): Promise<Result<void>> {
    return guard(async () => {
      const policy = createOriginPolicy(self.location.href, [config.modelBase, config.runtimeBase], config.allowedOrigins);
      this.fetch = createGuardedFetch(policy, self.location.href);
      this.threads = configureOrt(config.runtimeBase).threads;
      configureTransformers(config.modelBase);
      this.config = config;
    });
  }

  private ready(): { config: WorkerConfig; fetch: FetchLike } {
    if (!this.config || !this.fetch) throw new AirlockError('BAD_INPUT', 'The worker was not initialized');
    return { config: this.config, fetch: this.fetch };
  }

  loadPipeline(task: string, modelId: string, options: LoadOptions = {}): Promise<Result<LoadedModel>> {
    return guard(async () => {
      const { config, fetch } = this.ready();
      const files = await fetchModelFiles(fetch, config.modelBase, modelId);
      if (files.manifest.task !== task) {
        throw new AirlockError('UNSUPPORTED_TASK', `Model "${modelId}" is for "${files.manifest.task}", not "${task}"`, { modelId, task });
      }
      const device = options.device ?? config.device;
      const created = await withFallback(device, (backend) => serially(() => loadPipeline(task, files, config.modelBase, backend)));
      const info: LoadedModel = { handle: this.nextHandle++, modelId, revision: files.manifest.revision, backend: created.backend };
      if (created.reason) info.fallbackReason = created.reason;
      this.models.set(info.handle, { kind: 'pipeline', info, pipe: created.value });
      return info;
    }, 'BACKEND_UNAVAILABLE');
  }

  runPipeline(handle: number, input: unknown, options?: Record<string, unknown>): Promise<Result<unknown>> {
    return guard(async () => {
      const entry = this.entry(handle, 'pipeline');
      const run = entry.pipe as unknown as (input: unknown, options?: Record<string, unknown>) => Promise<unknown>;
      return toPlain(await serially(() => run(input, options)));
    });
  }

  loadSession(modelId: string, options: SessionLoadOptions = {}): Promise<Result<SessionInfo>> {
    return guard(async () => {
      const { config, fetch } = this.ready();
      const { file } = options;
      const files = await fetchModelFiles(fetch, config.modelBase, modelId, (p) => (file ? p === file : p.endsWith('.onnx')));
      const onnx = [...files.bytes.keys()];
      if (onnx.length !== 1) {
        throw new AirlockError('BAD_INPUT', file ? `Model "${modelId}" has no file "${file}"` : `Model "${modelId}" has ${onnx.length} .onnx files: name one`, {
          modelId,
          files: files.manifest.files.map((f) => f.path),
        });
      }
      const device = options.device ?? config.device;
      const created = await withFallback(device, (backend) => serially(() => createSession(files.bytes.get(onnx[0]!)!, backend)));
      const info: SessionInfo = {
        handle: this.nextHandle++,
        modelId,
        revision: files.manifest.revision,
        backend: created.backend,
        inputNames: [...created.value.inputNames],
        outputNames: [...created.value.outputNames],
      };
      if (created.reason) info.fallbackReason = created.reason;
      this.models.set(info.handle, { kind: 'session', info, session: created.value });
      return info;
    }, 'BACKEND_UNAVAILABLE');
  }

  async runSession(handle: number, feeds: Record<string, TensorData>): Promise<Result<Record<string, TensorData>>> {
    const result = await guard(() => {
      const { session } = this.entry(handle, 'session');
      return serially(() => runSession(session, feeds));
    });
    return result.ok ? Comlink.transfer(result, buffersOf(result.value)) : result;
  }

  unload(handle: number): Promise<Result<void>> {
    return guard(async () => {
      const entry = this.models.get(handle);
      this.models.delete(handle);
      if (entry?.kind === 'pipeline') await entry.pipe.dispose();
      if (entry?.kind === 'session') await entry.session.release();
    });
  }

  info(): Promise<Result<RuntimeInfo>> {
    return guard(async () => {
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
    if (!entry || entry.kind !== kind) throw new AirlockError('BAD_INPUT', `No loaded ${kind} with handle ${handle}`);
    return entry as Extract<Entry, { kind: K }>;
  }
}
