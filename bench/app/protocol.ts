// The messages between the bench page and its reference worker: the plain way to use
// onnxruntime-web and transformers.js from a worker, called by postMessage.

/** Where a reference load takes its bytes from. */
export type RefSource =
  /** plain fetch, nothing stored */
  | 'fetch'
  /** fetch, then put into the Cache API the way transformers.js caches a file */
  | 'cache-cold'
  /** from the Cache API (a warm transformers.js load) */
  | 'cache'
  /** one raw IndexedDB record per file */
  | 'idb';

export interface Tensor {
  type: 'float32' | 'int64';
  data: Float32Array | BigInt64Array;
  dims: number[];
}

export interface ModelFiles {
  /** URL of the .onnx */
  model: string;
  /** external data: the name the model refers to, and its URL */
  data: { path: string; url: string }[];
}

export type Request =
  | { op: 'init'; runtimeBase: string; modelBase: string; threads: number; backend: 'wasm' | 'webgpu' }
  | { op: 'session'; files: ModelFiles; source: RefSource }
  | { op: 'run'; handle: number; feeds: Record<string, Tensor> }
  | { op: 'pipeline'; task: string; model: string; dtype: string }
  | { op: 'call'; handle: number; args: unknown[] }
  | { op: 'fill-idb'; files: ModelFiles }
  | { op: 'release'; handle: number };

export type Reply = { id: number; ok: true; value: unknown } | { id: number; ok: false; message: string };

/** Cache API and IndexedDB names the references use. */
export const REF_CACHE = 'transformers-cache';
export const REF_DB = 'bench-raw';
