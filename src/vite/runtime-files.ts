// The ORT runtime files a page needs, taken from the onnxruntime-web that this package depends
// on: the worker bundle carries that exact version's JS, which must match its `.mjs` and `.wasm`.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { ortDistDir } from '../cli/ort-files.js';

/**
 * The worker imports `onnxruntime-web/webgpu` (src/worker/ort-env.ts), and that build loads this
 * pair only, on WebGPU and on WASM alike. The other pairs (plain, jsep, jspi; 20-26 MB each) are
 * never requested, so they are neither served nor emitted.
 */
export const WORKER_RUNTIME_FILES = ['ort-wasm-simd-threaded.asyncify.mjs', 'ort-wasm-simd-threaded.asyncify.wasm'] as const;

/** Absolute paths of the runtime files; fails early if the installed onnxruntime-web lacks one. */
export function runtimeFilePaths(dir = ortDistDir()): Map<string, string> {
  const paths = new Map<string, string>();
  for (const name of WORKER_RUNTIME_FILES) {
    const path = join(dir, name);
    if (!existsSync(path)) throw new Error(`airlock: the installed onnxruntime-web has no ${name} (looked in ${dir})`);
    paths.set(name, path);
  }
  return paths;
}
