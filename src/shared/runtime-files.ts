// The worker's onnxruntime-web runtime files, as the worker, the server and the Vite plugin name them.

/**
 * The pair of runtime files the worker's onnxruntime-web build (`onnxruntime-web/webgpu`) loads,
 * on WebGPU and on WASM alike; the other pairs are never requested.
 */
export const WORKER_RUNTIME_FILES = [
  'ort-wasm-simd-threaded.asyncify.mjs',
  'ort-wasm-simd-threaded.asyncify.wasm',
] as const;
