// Browser build of the worker entry into dist/worker.js: one ES module that imports nothing, so it
// can be served or copied alone (`airlock runtime --out`, Rollup's asset plugin, a page without a
// bundler). It runs after the page entry's build, which empties dist/, and ships the runtime pair.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { defineConfig, defaultClientConditions, type Plugin } from 'vite';
import { runtimeFilePaths } from '../src/node/ort-files.js';

const root = resolve(import.meta.dirname, '..');

/**
 * onnxruntime-web names its own bundle (`new URL("ort.webgpu.min.mjs", import.meta.url)`) for its
 * proxy worker, which Airlock keeps off. webpack 5, Rollup's asset plugins and Vite resolve every
 * `new URL(<literal>, import.meta.url)` at build time, and the file does not exist: the base is
 * written as `"" + import.meta.url`, an expression none of them takes for an asset, with the same
 * value at run time. The ignore comments are a second defence for bundlers that read them.
 */
function ortSelfUrlNotAnAsset(): Plugin {
  const selfUrl = /new URL\(\s*(?:\/\*[^*]*\*\/\s*)*("ort\.[\w.-]+\.mjs")\s*,\s*import\.meta\.url\s*\)/g;
  return {
    name: 'airlock:ort-self-url-not-an-asset',
    apply: 'build',
    renderChunk(code) {
      const rewritten = code.replace(
        selfUrl,
        'new URL(/* @vite-ignore */ /* webpackIgnore: true */ $1, "" + import.meta.url)',
      );
      return rewritten === code ? null : { code: rewritten, map: null };
    },
  };
}

/**
 * The package ships the one pair of onnxruntime-web runtime files its worker loads, in `dist/ort/`,
 * from the exact onnxruntime-web build the worker bundles: an app installs no onnxruntime-web
 * (141 MB) and cannot end up with a `.wasm` of another version than the JavaScript that loads it.
 */
function runtimeFilesShipped(): Plugin {
  return {
    name: 'airlock:runtime-files-shipped',
    apply: 'build',
    generateBundle() {
      for (const [name, path] of runtimeFilePaths())
        this.emitFile({ type: 'asset', fileName: `ort/${name}`, source: readFileSync(path) });
    },
  };
}

export default defineConfig({
  root,
  logLevel: 'warn',
  // onnxruntime-web's extern-wasm build loads its runtime files from `wasmPaths` (self-hosted)
  // instead of dragging a 26 MB `.wasm` into the bundle.
  resolve: { conditions: ['onnxruntime-web-use-extern-wasm', ...defaultClientConditions] },
  plugins: [ortSelfUrlNotAnAsset(), runtimeFilesShipped()],
  build: {
    target: 'es2022',
    outDir: resolve(root, 'dist'),
    emptyOutDir: false,
    sourcemap: true,
    minify: false,
    // as the page entry's build: readable, doc comments dropped, annotations kept
    rollupOptions: { output: { comments: { legal: true, annotation: true, jsdoc: false } } },
    lib: { entry: { worker: resolve(root, 'src/worker/entry.ts') }, formats: ['es'] },
  },
});
