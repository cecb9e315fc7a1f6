// Node only: where the installed onnxruntime-web keeps the runtime files a page must self-host.
import { existsSync, readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

const require = createRequire(import.meta.url);

/** The `dist/` folder of the onnxruntime-web that this package depends on. */
export function ortDistDir(): string {
  return dirname(require.resolve('onnxruntime-web'));
}

/** The runtime files (`ort-wasm-*.mjs` and `.wasm`); one pair per ORT build, loaded on demand. */
export function ortRuntimeFiles(dir = ortDistDir()): string[] {
  return readdirSync(dir)
    .filter((f) => /^ort-wasm-simd-threaded(\.[a-z]+)?\.(mjs|wasm)$/.test(f))
    .sort();
}

/**
 * The worker imports `onnxruntime-web/webgpu` (src/worker/ort-env.ts), and that build loads this
 * pair only, on WebGPU and on WASM alike. The other pairs (plain, jsep, jspi; 20-26 MB each) are
 * never requested, so the Vite plugin neither serves nor emits them.
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
