// The worker's API, exposed to the page through comlink. Every method returns a Result rather
// than throwing, so error codes cross the boundary intact and the worker stays healthy.
import * as Comlink from 'comlink';
import { AirlockError, isAirlockError, type ErrorCode } from '../errors.js';
import { createGuardedFetch, type FetchLike } from '../policy/guarded-fetch.js';
import { createOriginPolicy } from '../policy/origins.js';
import { probeWebGpu, withFallback } from './backend.js';
import { abortCall, endCall, startCall, throwIfAborted } from './calls.js';
import { generationExtras, toTransformersOptions } from './generation.js';
import { checkAudioInput, checkFeeds, checkTextInput } from './inputs.js';
import { fetchModelFiles, type FetchContext } from './model-files.js';
import { configureOrt, type ort } from './ort-env.js';
import { GENERATING_TASKS } from './protocol.js';
import type {
  CallContext,
  EventSink,
  LoadedModel,
  LoadOptions,
  Result,
  RuntimeInfo,
  SessionInfo,
  SessionLoadOptions,
  TensorData,
  WorkerConfig,
} from './protocol.js';
import { serially } from './serial.js';
import { createSession, runSession } from './session-engine.js';
import { buffersOf, toPlain } from './tensors.js';
import { configureTransformers, configuredDtype, loadPipeline, type Pipeline } from './transformers-engine.js';

type Entry =
  | { kind: 'pipeline'; info: LoadedModel; task: string; pipe: Pipeline }
  | { kind: 'session'; info: SessionInfo; session: ort.InferenceSession };

/** Tasks whose input is text, checked for emptiness and length before they run. */
const TEXT_TASKS = new Set(['text-classification', 'token-classification', 'feature-extraction', 'fill-mask', 'text-generation', 'text2text-generation', 'summarization', 'translation', 'zero-shot-classification']);

/**
 * The page's event sink arrives as a comlink proxy: each event is a message on its own port.
 * The call's result waits for those messages to be delivered, so that no text piece arrives
 * after the result it belongs to; the port is released at the end.
 */
function deliver(sink: EventSink | undefined): { ctx: CallContext; flush: () => Promise<void> } {
  if (!sink) return { ctx: {}, flush: async () => {} };
  const sent: Promise<unknown>[] = [];
  const remote = sink as unknown as Comlink.Remote<EventSink>;
  return {
    ctx: { events: (event) => void sent.push(Promise.resolve(remote(event)).catch(() => undefined)) },
    flush: async () => {
      await Promise.all(sent);
      remote[Comlink.releaseProxy]?.();
    },
  };
}

/** Tasks whose input is audio samples. */
const AUDIO_TASKS = new Set(['automatic-speech-recognition', 'audio-classification']);

/** Runs `fn` as call `callId`; any failure becomes an error Result, foreign ones with `fallback`. */
async function guard<T>(
  call: { callId?: number | undefined; events?: EventSink | undefined },
  fn: (signal: AbortSignal | undefined, ctx: CallContext) => Promise<T>,
  fallback: ErrorCode = 'BAD_INPUT',
): Promise<Result<T>> {
  const signal = startCall(call.callId);
  const { ctx, flush } = deliver(call.events);
  try {
    return { ok: true, value: await fn(signal, ctx) };
  } catch (e) {
    const err = isAirlockError(e) ? e : new AirlockError(fallback, (e as Error)?.message ?? String(e));
    return { ok: false, error: err.toJSON() };
  } finally {
    endCall(call.callId);
    await flush();
  }
}

/** Reports a phase that comes after every byte is in: compile, ready. */
function phase(ctx: CallContext, modelId: string, name: 'compile' | 'ready', total: number): void {
  ctx.events?.({ type: 'progress', progress: { modelId, phase: name, loaded: total, total } });
}

/** Chat input (a list of { role, content }) counts as text: its contents are checked. */
function textOf(input: unknown): unknown {
  if (Array.isArray(input) && input.length > 0 && input.every((m) => typeof m === 'object' && m !== null && 'content' in m)) {
    return input.map((m: { content: unknown }) => m.content);
  }
  return input;
}

export class WorkerApi {
  private config: WorkerConfig | undefined;
  private fetch: FetchLike | undefined;
  private threads = 1;
  private readonly models = new Map<number, Entry>();
  private nextHandle = 1;

  init(config: WorkerConfig): Promise<Result<void>> {
    return guard({}, async () => {
      const policy = createOriginPolicy(self.location.href, [config.modelBase, config.runtimeBase], config.allowedOrigins);
      this.fetch = createGuardedFetch(policy, self.location.href);
      this.threads = configureOrt(config.runtimeBase, config.wasmThreads).threads;
      configureTransformers(config.modelBase);
      this.config = config;
      // Held until this worker dies: the page waits on the same lock to learn of a crash.
      if (typeof navigator.locks?.request === 'function') {
        await new Promise<void>((held) => void navigator.locks.request(config.livenessLock, () => (held(), new Promise<never>(() => {}))));
      }
    });
  }

  private ready(): { config: WorkerConfig; fetch: FetchLike } {
    if (!this.config || !this.fetch) throw new AirlockError('BAD_INPUT', 'The worker was not initialized');
    return { config: this.config, fetch: this.fetch };
  }

  private fetchContext(signal: AbortSignal | undefined, ctx: CallContext): FetchContext {
    const { config, fetch } = this.ready();
    return { fetch, modelBase: config.modelBase, signal, onProgress: ctx.events && ((progress) => ctx.events!({ type: 'progress', progress })) };
  }

  loadPipeline(task: string, modelId: string, options: LoadOptions = {}, callId?: number, events?: EventSink): Promise<Result<LoadedModel>> {
    return guard({ callId, events }, async (signal, ctx) => {
      const { config } = this.ready();
      const files = await fetchModelFiles(this.fetchContext(signal, ctx), modelId);
      if (files.manifest.task !== task) {
        throw new AirlockError('UNSUPPORTED_TASK', `Model "${modelId}" is for "${files.manifest.task}", not "${task}"`, { modelId, task });
      }
      throwIfAborted(signal, `Loading "${modelId}"`);
      const total = files.manifest.files.reduce((n, f) => n + f.size, 0);
      phase(ctx, modelId, 'compile', total);
      const device = options.device ?? config.device;
      const dtype = options.dtype ?? configuredDtype(files);
      const created = await withFallback(device, dtype, (backend) => serially(() => loadPipeline(task, files, config.modelBase, backend, options.dtype), signal));
      if (signal?.aborted) {
        await created.value.dispose();
        throwIfAborted(signal, `Loading "${modelId}"`);
      }
      const info: LoadedModel = { handle: this.nextHandle++, modelId, revision: files.manifest.revision, backend: created.backend };
      if (created.reason) info.fallbackReason = created.reason;
      this.models.set(info.handle, { kind: 'pipeline', info, task, pipe: created.value });
      phase(ctx, modelId, 'ready', total);
      return info;
    }, 'BACKEND_UNAVAILABLE');
  }

  /**
   * Runs a pipeline on `args`: its positional arguments (the input; for some tasks more, such as
   * zero-shot-classification's candidate labels or question-answering's context).
   */
  runPipeline(handle: number, args: unknown[], options: Record<string, unknown> = {}, callId?: number, events?: EventSink): Promise<Result<unknown>> {
    return guard({ callId, events }, async (signal, ctx) => {
      const entry = this.entry(handle, 'pipeline');
      const [input] = args;
      if (TEXT_TASKS.has(entry.task)) checkTextInput(textOf(input), this.ready().config.maxTextLength);
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
  }

  loadSession(modelId: string, options: SessionLoadOptions = {}, callId?: number, events?: EventSink): Promise<Result<SessionInfo>> {
    return guard({ callId, events }, async (signal, ctx) => {
      const { config } = this.ready();
      const { file } = options;
      // pick the one model file from the manifest before downloading anything
      const files = await fetchModelFiles(this.fetchContext(signal, ctx), modelId, (manifest) => {
        const picked = manifest.files.filter((f) => (file ? f.path === file : f.path.endsWith('.onnx')));
        if (picked.length !== 1) {
          const why = file ? `has no file "${file}"` : `has ${picked.length} .onnx files: name one`;
          throw new AirlockError('BAD_INPUT', `Model "${modelId}" ${why}`, { modelId, files: manifest.files.map((f) => f.path) });
        }
        return picked;
      });
      const onnx = [...files.bytes.keys()];
      throwIfAborted(signal, `Loading "${modelId}"`);
      const size = files.bytes.get(onnx[0]!)!.byteLength;
      phase(ctx, modelId, 'compile', size);
      const device = options.device ?? config.device;
      const created = await withFallback(device, undefined, (backend) => serially(() => createSession(files.bytes.get(onnx[0]!)!, backend), signal));
      if (signal?.aborted) {
        await created.value.release();
        throwIfAborted(signal, `Loading "${modelId}"`);
      }
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
      phase(ctx, modelId, 'ready', size);
      return info;
    }, 'BACKEND_UNAVAILABLE');
  }

  async runSession(handle: number, feeds: Record<string, TensorData>, callId?: number): Promise<Result<Record<string, TensorData>>> {
    const result = await guard({ callId }, (signal) => {
      const { session } = this.entry(handle, 'session');
      checkFeeds(feeds, session.inputNames, session.inputMetadata);
      return serially(() => {
        throwIfAborted(signal, 'The session run');
        return runSession(session, feeds);
      }, signal);
    });
    return result.ok ? Comlink.transfer(result, buffersOf(result.value)) : result;
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
