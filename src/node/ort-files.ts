// Node only: where the installed onnxruntime-web keeps the runtime files a page must self-host.
import { existsSync, readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { WORKER_RUNTIME_FILES } from '../shared/runtime-files.js';

const require = createRequire(import.meta.url);

/**
 * Where the runtime files are. The built package carries the worker's pair in `dist/ort/` (next to
 * `dist/vite.js`), so an app needs no onnxruntime-web install of its own (141 MB, every build's
 * pair); a source checkout takes them from the onnxruntime-web it develops against.
 */
export function ortDistDir(): string {
  const bundled = fileURLToPath(new URL('./ort/', import.meta.url));
  if (existsSync(join(bundled, WORKER_RUNTIME_FILES[0]))) return bundled;
  return dirname(require.resolve('onnxruntime-web'));
}

/** The runtime files (`ort-wasm-*.mjs` and `.wasm`); one pair per ORT build, loaded on demand. */
export function ortRuntimeFiles(dir = ortDistDir()): string[] {
  return readdirSync(dir)
    .filter((f) => /^ort-wasm-simd-threaded(\.[a-z]+)?\.(mjs|wasm)$/.test(f))
    .sort();
}

/**
 * The worker imports `onnxruntime-web/webgpu` (src/worker/engines/ort-env.ts), and that build loads this
 * pair only, on WebGPU and on WASM alike. The other pairs (plain, jsep, jspi; 20-26 MB each) are
 * never requested, so the Vite plugin neither serves nor emits them.
 */
export { WORKER_RUNTIME_FILES };

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
