// The public data types that cross the worker boundary: plain data only, as it is
// structured-cloned. Types (and the list of devices) only: both threads import them, and the
// page's bundle stays small.

export const DEVICES = ['auto', 'webgpu', 'wasm'] as const;
export type Device = (typeof DEVICES)[number];

export type Backend = 'webgpu' | 'wasm';

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

export interface LoadOptions {
  /** overrides the runtime's device for this model */
  device?: Device;
  /**
   * pipelines: which weights to use (`fp32`, `fp16`, `q8`, `q4`, `q4f16`, …: `onnx/<session><suffix>.onnx`);
   * default: config.json's `transformers.js_config.dtype`, else fp32 on WebGPU and q8 on WASM. Only that
   * dtype's files are downloaded and stored.
   */
  dtype?: string;
  /**
   * Ask the model origin for a newer manifest first (default true). When false, a stored model
   * loads with no request at all; when the origin cannot be reached, the stored one is used anyway.
   */
  revalidate?: boolean;
}

/** What `cache.prefetch` sends: a `dtype` stores the files a pipeline of that dtype reads; without, every file. */
export type PrefetchOptions = Pick<LoadOptions, 'dtype' | 'revalidate'>;

export interface SessionLoadOptions extends Omit<LoadOptions, 'dtype'> {
  /** which `.onnx` file of the model; needed when its manifest lists several */
  file?: string;
  /** a raw session is the one file `file` names (`onnx/model_quantized.onnx` for q8, say): `dtype` is refused */
  dtype?: never;
}

/** A Float16Array, where the JavaScript engine has one (TypeScript's ES2023 lib does not name it). */
export interface Float16ArrayLike extends ArrayBufferView {
  readonly length: number;
  [index: number]: number;
}

/**
 * The values of each tensor type onnxruntime-web takes, as onnxruntime-web's own `Tensor` types
 * map them: float16 as a Float16Array or its bits in a Uint16Array, int4 and uint4 packed two to
 * a byte (the first in the low nibble), bool as 0 and 1 bytes, string as strings. `B` is the
 * buffer: any for inputs; outputs arrive in plain ArrayBuffers.
 */
export interface TensorArrays<B extends ArrayBufferLike = ArrayBufferLike> {
  float32: Float32Array<B>;
  float16: Float16ArrayLike | Uint16Array<B>;
  float64: Float64Array<B>;
  int8: Int8Array<B>;
  uint8: Uint8Array<B>;
  int16: Int16Array<B>;
  uint16: Uint16Array<B>;
  int32: Int32Array<B>;
  uint32: Uint32Array<B>;
  int64: BigInt64Array<B>;
  uint64: BigUint64Array<B>;
  int4: Uint8Array<B> | Int8Array<B>;
  uint4: Uint8Array<B>;
  bool: Uint8Array<B>;
  string: string[];
}

/** Every tensor type onnxruntime-web takes. */
export type TensorType = keyof TensorArrays;

export type TensorArray = TensorArrays[TensorType];

/** A tensor as plain data; for a known type (`TensorData<'float32'>`) its data has that type's array. */
export interface TensorData<T extends TensorType = TensorType> {
  type: T;
  data: TensorArrays[T];
  dims: number[];
}

/** A session's output: like TensorData, its buffer a plain ArrayBuffer (it was transferred from the worker). */
export interface OutputTensor<T extends TensorType = TensorType> {
  type: T;
  data: TensorArrays<ArrayBuffer>[T];
  dims: number[];
}

/** A session's outputs by name, typed per output where the caller names their types (`{ output: 'float32' }`). */
export type SessionOutputs<O extends OutputTypes = OutputTypes> = { [K in keyof O]: OutputTensor<O[K]> };

/** The tensor type of each output of a session, by name. */
export type OutputTypes = Record<string, TensorType>;

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

/** A raw session: one `.onnx` file of a model (a model may have several loaded at once). */
export interface SessionInfo extends LoadedModel {
  /** the model's `.onnx` file this session runs */
  file: string;
  inputNames: string[];
  outputNames: string[];
}

export interface RuntimeInfo {
  device: Device;
  webgpu: AdapterSummary | null;
  crossOriginIsolated: boolean;
  wasmThreads: number;
  notes: string[];
  /** every loaded pipeline, and every session with its file */
  models: (LoadedModel | SessionInfo)[];
}

export interface PrefetchResult {
  modelId: string;
  revision: string;
  /** the bytes of the files prefetched: every file of the manifest, or those of the dtype asked for */
  bytes: number;
  /** models removed to make room for it */
  evicted: Eviction[];
}

/** The origin's storage use and quota, as the browser estimates them. */
export interface StorageEstimate {
  /** bytes the origin uses (all its storage, not only models) */
  usage: number;
  quota: number;
  available: number;
}

/** A stored model, as `cache.list()` shows it. */
export interface StoredModel {
  id: string;
  modelBase: string;
  revision: string;
  /** the bytes of its files that are stored (all of them when `complete`) */
  bytes: number;
  /** whether every file is stored (a raw session stores only the files it needs) */
  complete: boolean;
  storedAt: number;
  lastUsed: number;
}

/** A model removed to make room: its stored files no other model uses. */
export type Eviction = Pick<StoredModel, 'id' | 'modelBase' | 'revision' | 'bytes'>;

export interface FileCheck {
  path: string;
  /** the hash its manifest gives */
  sha256: string;
  ok: boolean;
  /**
   * why not: missing, incomplete, a hash that no longer matches (the file is then dropped), or
   * `size`: the manifest gives the file's hash another size than the stored, intact file has (the
   * manifest is wrong; the file stays, another model may use it)
   */
  problem?: 'missing' | 'incomplete' | 'mismatch' | 'size';
  /** with `mismatch` on a file the manifest gives in pieces: the first piece that changed (from 0) */
  piece?: number;
}

export interface VerifyReport {
  id: string;
  revision: string;
  /** every stored file matched its hash */
  ok: boolean;
  /** the stored files, re-hashed */
  files: FileCheck[];
  /** files of the manifest the store does not hold: never asked for (another dtype), or dropped after a failed check */
  notStored: string[];
}
