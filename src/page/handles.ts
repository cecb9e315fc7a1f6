// Handles for loaded models. A handle remembers how its model was loaded, so that after a
// worker crash the next call loads it again in the new worker before running.
import { AirlockError } from '../errors.js';
import type { EventSink } from '../protocol/messages.js';
import { AUDIO_TASKS, GENERATING_TASKS, VISION_TASKS } from '../protocol/tasks.js';
import type {
  Backend,
  LoadedModel,
  LoadOptions,
  LoadProgress,
  OutputTypes,
  SessionInfo,
  SessionLoadOptions,
  SessionOutputs,
  TensorData,
} from '../protocol/types.js';
import { badOption, optionalSignal, optionsObject } from './checks.js';
import { imagePipelineArgs } from './inputs/pipeline-args.js';
import { streamText } from './stream.js';
import { audioPipelineArgs } from './inputs/audio.js';
import type { TransformersProgressInfo } from './transformers-progress.js';
import type { Connection, WorkerHost } from './worker-host.js';

export interface LoadControls {
  /** typed progress: phases manifest, download, verify, compile, ready; bytes per file and in total */
  onProgress?: (progress: LoadProgress) => void;
  /** aborts the load */
  signal?: AbortSignal;
}

export type PipelineLoadOptions = LoadOptions &
  LoadControls & {
    /** transformers.js's progress callback: its `initiate`, `download`, `progress`, `progress_total`, `done` and `ready` events (beside or instead of `onProgress`) */
    progress_callback?: (info: TransformersProgressInfo) => void;
  };
export type SessionOpenOptions = SessionLoadOptions & LoadControls;

/** Options of one pipeline call: transformers.js's, plus a signal that aborts it. */
export type CallOptions = Record<string, unknown> & { signal?: AbortSignal };

interface HandleBase {
  readonly modelId: string;
  /** the manifest revision that was loaded */
  readonly revision: string;
  readonly backend: Backend;
  /** why WebGPU was not used, when `auto` fell back to WASM */
  readonly fallbackReason: string | undefined;
  unload(): Promise<void>;
}

export interface PipelineHandle extends HandleBase {
  /**
   * Runs the pipeline. Arguments are transformers.js's: the input, any further positional ones
   * (zero-shot-classification's labels, question-answering's context), then options.
   */
  (input: unknown, ...rest: unknown[]): Promise<unknown>;
  readonly task: string;
  /** Generates text and yields it piece by piece (generating tasks); `signal` stops it within a token. */
  stream(input: unknown, ...rest: unknown[]): AsyncIterable<string>;
}

/**
 * A raw session; `O` names its outputs' tensor types where the caller knows them
 * (`ai.session<{ output: 'float32' }>('silero-vad')`), so that `out.output.data` is a Float32Array.
 */
export interface SessionHandle<O extends OutputTypes = OutputTypes> extends HandleBase {
  /** the model's `.onnx` file this session runs */
  readonly file: string;
  readonly inputNames: readonly string[];
  readonly outputNames: readonly string[];
  /** Runs the model; input buffers are transferred to the worker (and so detached here). Unloading this handle frees this session only. */
  run(feeds: Record<string, TensorData>, options?: { signal?: AbortSignal }): Promise<SessionOutputs<O>>;
}

/** Keeps a model loaded in the current worker, loading it again after a restart. */
export class ModelRef<T extends LoadedModel> {
  private loaded: { epoch: number; info: T } | undefined;
  /** what the last load said, kept for the handle's properties after an unload or a crash */
  private last: T | undefined;
  private pending: Promise<{ conn: Connection; info: T }> | undefined;
  unloaded = false;

  constructor(
    readonly modelId: string,
    private readonly host: WorkerHost,
    private readonly load: (conn: Connection, controls: LoadControls) => Promise<T>,
  ) {}

  get info(): T {
    if (!this.last) throw new Error('not loaded yet');
    return this.last;
  }

  private gone(): AirlockError {
    return new AirlockError('BAD_INPUT', `Model "${this.modelId}" was unloaded; load it again`, {
      modelId: this.modelId,
    });
  }

  /** The connection and this model's handle in it, loading the model there if needed. */
  async ensure(controls: LoadControls = {}): Promise<{ conn: Connection; info: T }> {
    if (this.unloaded) throw this.gone();
    const conn = await this.host.connect();
    // checked again after every wait: an unload may have come meanwhile
    if (this.unloaded) throw this.gone();
    if (this.loaded?.epoch === conn.epoch) return { conn, info: this.loaded.info };
    this.pending ??= this.load(conn, controls)
      .then(async (info) => {
        if (this.unloaded) {
          // unloaded while it loaded: free what was just loaded
          await this.host.call((api) => api.unload(info.handle), {}, conn).catch(() => undefined);
          throw this.gone();
        }
        this.loaded = { epoch: conn.epoch, info };
        this.last = info;
        return { conn, info };
      })
      .finally(() => (this.pending = undefined));
    return this.pending;
  }

  async unload(): Promise<void> {
    this.unloaded = true;
    // a load in progress frees its own result (see ensure)
    await this.pending?.catch(() => undefined);
    const loaded = this.loaded;
    this.loaded = undefined;
    if (!loaded) return;
    // a model of a dead worker is gone with it: no need to start a new one to unload it
    const conn = this.host.current();
    if (conn?.epoch === loaded.epoch) await this.host.call((api) => api.unload(loaded.info.handle), {}, conn);
  }
}

function base<T extends LoadedModel>(ref: ModelRef<T>): Omit<HandleBase, 'unload'> {
  return {
    modelId: ref.modelId,
    get revision() {
      return ref.info.revision;
    },
    get backend() {
      return ref.info.backend;
    },
    get fallbackReason() {
      return ref.info.fallbackReason;
    },
  };
}

/**
 * The input buffers that can move to the worker instead of being copied: only a plain
 * ArrayBuffer that the view covers whole. A view into a larger buffer (a `subarray` of a
 * recording) is copied, so the rest of that buffer stays usable on the page.
 */
function transferable(feeds: Record<string, TensorData>): ArrayBuffer[] {
  const buffers = new Set<ArrayBuffer>();
  for (const t of Object.values(feeds)) {
    const view = t?.data;
    if (
      ArrayBuffer.isView(view) &&
      view.buffer instanceof ArrayBuffer &&
      view.byteOffset === 0 &&
      view.byteLength === view.buffer.byteLength
    ) {
      buffers.add(view.buffer);
    }
  }
  return [...buffers];
}

function splitSignal(options: CallOptions = {}): { signal: AbortSignal | undefined; rest: Record<string, unknown> } {
  const { signal, ...rest } = options;
  return { signal: optionalSignal('signal', signal), rest };
}

/** The last argument is the call's options when it is a plain object (not an array or typed array). */
function splitArgs(args: unknown[]): { inputs: unknown[]; options: CallOptions | undefined } {
  const last = args.at(-1);
  const isOptions =
    args.length > 1 && typeof last === 'object' && last !== null && !Array.isArray(last) && !ArrayBuffer.isView(last);
  return isOptions ? { inputs: args.slice(0, -1), options: last as CallOptions } : { inputs: args, options: undefined };
}

export function pipelineHandle(
  task: string,
  ref: ModelRef<LoadedModel>,
  host: WorkerHost,
  forget: () => void,
): PipelineHandle {
  const run = async (inputs: unknown[], options?: CallOptions, events?: EventSink) => {
    const { signal, rest } = splitSignal(options);
    // images go as ImageBitmaps and audio as samples, moved to the worker, not copied
    const sent: { args: unknown[]; transfers: Transferable[]; options?: Record<string, unknown> } = VISION_TASKS.has(
      task,
    )
      ? await imagePipelineArgs(inputs, { maxPixels: host.limits().maxImagePixels })
      : AUDIO_TASKS.has(task)
        ? audioPipelineArgs(inputs, rest)
        : { args: inputs, transfers: [], options: rest };
    const { conn, info } = await ref.ensure();
    return host.run(
      'runPipeline',
      (callId) => [info.handle, sent.args, sent.options ?? rest, callId],
      sent.transfers,
      { signal, events },
      conn,
    );
  };
  const handle = (...args: unknown[]) => {
    const { inputs, options } = splitArgs(args);
    return run(inputs, options);
  };
  return Object.defineProperties(handle, {
    ...Object.getOwnPropertyDescriptors(base(ref)),
    task: { value: task, enumerable: true },
    stream: {
      value: (...args: unknown[]) => {
        const { inputs, options } = splitArgs(args);
        // a bad call fails as the stream's first step, like any other failure of the call
        const refused = (e: unknown) =>
          streamText(() => Promise.reject(e instanceof Error ? e : new Error(String(e))), undefined);
        let split: ReturnType<typeof splitSignal>;
        try {
          split = splitSignal(options);
        } catch (e) {
          return refused(e);
        }
        const { signal, rest } = split;
        if (!GENERATING_TASKS.has(task))
          return refused(
            new AirlockError(
              'UNSUPPORTED_TASK',
              `"${task}" does not generate text to stream; call the handle instead`,
              { task },
            ),
          );
        return streamText((events, inner) => run(inputs, { ...rest, signal: inner }, events), signal);
      },
    },
    unload: { value: () => (forget(), ref.unload()) },
  }) as PipelineHandle;
}

export function sessionHandle<O extends OutputTypes>(
  ref: ModelRef<SessionInfo>,
  host: WorkerHost,
  forget: () => void,
): SessionHandle<O> {
  return Object.defineProperties(
    {},
    {
      ...Object.getOwnPropertyDescriptors(base(ref)),
      file: { get: () => ref.info.file, enumerable: true },
      inputNames: { get: () => ref.info.inputNames, enumerable: true },
      outputNames: { get: () => ref.info.outputNames, enumerable: true },
      run: {
        value: async (feeds: Record<string, TensorData>, options?: { signal?: AbortSignal }) => {
          if (typeof feeds !== 'object' || feeds === null || Array.isArray(feeds))
            throw badOption('feeds', feeds, 'an object of named tensors');
          const signal = optionalSignal('signal', optionsObject('options', options).signal);
          const { conn, info } = await ref.ensure();
          return host.run(
            'runSession',
            (callId) => [info.handle, feeds, callId],
            transferable(feeds),
            { signal },
            conn,
          );
        },
      },
      unload: { value: () => (forget(), ref.unload()) },
    },
  ) as SessionHandle<O>;
}
