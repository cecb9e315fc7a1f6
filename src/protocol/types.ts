// The messages between the page's facade and the worker. Plain data only: it is structured-cloned.
// Imported by both sides, so it must not import anything heavy.
import type { SerializedError } from '../errors.js';
import type { OriginPolicy } from '../shared/origins.js';
import type { StoredModel, VerifyReport, FileCheck, StoreOptions } from '../worker/store/model-store.js';
import type { Eviction, StorageEstimate } from '../worker/store/quota.js';

export type { StoredModel, VerifyReport, FileCheck, Eviction, StorageEstimate };

export const DEVICES = ['auto', 'webgpu', 'wasm'] as const;
export type Device = (typeof DEVICES)[number];

/** Tasks that generate token by token: they stream, and stop within a token on abort. */
export const GENERATING_TASKS: ReadonlySet<string> = new Set(['text-generation', 'text2text-generation', 'summarization', 'translation']);

/**
 * transformers.js's other names for tasks (its `TASK_ALIASES`, 4.3.1), accepted wherever a task is
 * named; the library reports the task by its canonical name. A unit test keeps this in step.
 */
export const TASK_ALIASES: Readonly<Record<string, string>> = Object.freeze({
  'sentiment-analysis': 'text-classification',
  ner: 'token-classification',
  asr: 'automatic-speech-recognition',
  'text-to-speech': 'text-to-audio',
  embeddings: 'feature-extraction',
});

/** The canonical name of a task, which may be given by an alias. */
export function canonicalTask(task: string): string {
  return Object.hasOwn(TASK_ALIASES, task) ? TASK_ALIASES[task]! : task;
}

export type Backend = 'webgpu' | 'wasm';

export interface WorkerConfig {
  /** absolute URL of the folder holding `<id>/manifest.json` */
  modelBase: string;
  /** absolute URL of the folder holding the ORT `.mjs`/`.wasm` runtime files */
  runtimeBase: string;
  device: Device;
  /** the origins the library may contact; everything else is refused */
  policy: OriginPolicy;
  /** a Web Lock name the worker holds while alive, so the page learns when it dies */
  livenessLock: string;
  /** longest text input accepted, in characters */
  maxTextLength: number;
  /** WASM threads; default: half the cores, at most 4 */
  wasmThreads?: number | undefined;
  store: StoreOptions;
}

/** What a worker tells the page when it starts. */
export interface WorkerFacts {
  /** the worker script's URL, as the page's resource timing names it */
  scriptUrl: string;
  engines: { transformersJs: string; onnxruntimeWeb: string };
}

export type LoadPhase = 'manifest' | 'download' | 'verify' | 'compile' | 'ready';

/** Where a model load stands. Bytes count all files of the load. */
export interface LoadProgress {
  modelId: string;
  phase: LoadPhase;
  /** the file a download or verify event is about */
  file?: string;
  fileLoaded?: number;
  fileTotal?: number;
  loaded: number;
  total: number;
}

/** What the worker sends back while a call runs. */
export type WorkerEvent = { type: 'progress'; progress: LoadProgress } | { type: 'text'; text: string };
export type EventSink = (event: WorkerEvent) => void;

/** A call's id (so the page can abort it) and where its events go. */
export interface CallContext {
  callId?: number | undefined;
  events?: EventSink | undefined;
}

export interface LoadOptions {
  /** overrides the runtime's device for this model */
  device?: Device;
  /** pipelines: which weights to use (`fp32`, `fp16`, `q8`, `q4`, `q4f16`); default: the model's config */
  dtype?: string;
  /**
   * Ask the model origin for a newer manifest first (default true). When false, a stored model
   * loads with no request at all; when the origin cannot be reached, the stored one is used anyway.
   */
  revalidate?: boolean;
}

export interface SessionLoadOptions extends LoadOptions {
  /** which `.onnx` file of the model; needed when its manifest lists several */
  file?: string;
}

export type Result<T> = { ok: true; value: T } | { ok: false; error: SerializedError };

/** Every tensor type onnxruntime-web takes. */
export type TensorType = 'float32' | 'float16' | 'float64' | 'int8' | 'uint8' | 'int16' | 'uint16' | 'int32' | 'uint32' | 'int64' | 'uint64' | 'int4' | 'uint4' | 'bool' | 'string';

/** A Float16Array, where the JavaScript engine has one (TypeScript's ES2023 lib does not name it). */
export interface Float16ArrayLike extends ArrayBufferView {
  readonly length: number;
  [index: number]: number;
}

/**
 * A tensor's values: float16 as a Float16Array or its bits in a Uint16Array, int4 and uint4
 * packed two to a byte (the first in the low nibble), bool as 0 and 1 bytes, string as strings.
 */
export type TensorArray =
  | Float32Array
  | Float64Array
  | Float16ArrayLike
  | Int8Array
  | Uint8Array
  | Int16Array
  | Uint16Array
  | Int32Array
  | Uint32Array
  | BigInt64Array
  | BigUint64Array
  | string[];

export interface TensorData {
  type: TensorType;
  data: TensorArray;
  dims: number[];
}

export interface AdapterSummary {
  vendor: string;
  architecture: string;
  isFallbackAdapter: boolean;
  /** whether half-precision shaders are available (fp16 and q4f16 models need them) */
  shaderF16: boolean;
}

export interface LoadedModel {
  handle: number;
  modelId: string;
  revision: string;
  /** the task, by its canonical name: a pipeline's, or the manifest's for a raw session */
  task: string;
  backend: Backend;
  /** why the requested backend was not used, when it was not */
  fallbackReason?: string;
}

export interface SessionInfo extends LoadedModel {
  inputNames: string[];
  outputNames: string[];
}

export interface RuntimeInfo {
  device: Device;
  webgpu: AdapterSummary | null;
  crossOriginIsolated: boolean;
  wasmThreads: number;
  notes: string[];
  models: LoadedModel[];
}

export interface PrefetchResult {
  modelId: string;
  revision: string;
  /** the model's size: every file of its manifest */
  bytes: number;
  /** models removed to make room for it */
  evicted: Eviction[];
}
