// Node only: where the installed onnxruntime-web keeps the runtime files a page must self-host.
import { readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname } from 'node:path';

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
