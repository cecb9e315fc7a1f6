// Library build: the page entry and the worker entry as ES modules in dist/. The page entry
// carries only the facade; transformers.js and onnxruntime-web end up in the worker's chunk.
import { resolve } from 'node:path';
import { readFileSync } from 'node:fs';
import { defineConfig, defaultClientConditions, type Plugin } from 'vite';
import { runtimeFilePaths } from './src/node/ort-files.js';

/**
 * Vite bundles `new Worker(new URL('../worker/entry.ts', import.meta.url))` into an asset with an
 * app-style URL. A library must instead point at its own `worker.js` entry with the plain
 * `new URL('./worker.js', import.meta.url)`, the form that the app's bundler recognizes and
 * bundles. This rewrites that one URL and drops the duplicate worker asset.
 */
function workerAsLibraryEntry(): Plugin {
  const emitted = /new URL\(\s*(?:\/\*\s*@vite-ignore\s*\*\/\s*)?"[^"]*assets\/entry-[\w-]+\.js"\s*,\s*(?:"" \+ )?import\.meta\.url\s*\)/g;
  return {
    name: 'airlock:worker-as-library-entry',
    apply: 'build',
    renderChunk(code, chunk) {
      if (!chunk.isEntry || chunk.name !== 'index') return null;
      const rewritten = code.replace(emitted, 'new URL("./worker.js", import.meta.url)');
      if (rewritten === code) this.error('the worker URL was not found in the index chunk');
      return { code: rewritten, map: null };
    },
    generateBundle(_, bundle) {
      for (const name of Object.keys(bundle)) if (/^assets\/entry-[\w-]+\.js(\.map)?$/.test(name)) delete bundle[name];
    },
  };
}

/**
 * onnxruntime-web names its own bundle (`new URL("ort.webgpu.min.mjs", import.meta.url)`) for its
 * proxy worker, which Airlock keeps off. An app's bundler would look for that file and warn that it
 * is missing; the ignore comment tells Vite to leave the expression to run time, unused.
 */
function ortSelfUrlIgnored(): Plugin {
  const selfUrl = /new URL\(\s*("ort\.[\w.-]+\.mjs")\s*,\s*import\.meta\.url\s*\)/g;
  return {
    name: 'airlock:ort-self-url-ignored',
    apply: 'build',
    renderChunk(code, chunk) {
      if (chunk.name !== 'worker') return null;
      const rewritten = code.replace(selfUrl, 'new URL(/* @vite-ignore */ $1, import.meta.url)');
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
      for (const [name, path] of runtimeFilePaths()) this.emitFile({ type: 'asset', fileName: `ort/${name}`, source: readFileSync(path) });
    },
  };
}

export default defineConfig({
  // onnxruntime-web's extern-wasm build loads its runtime files from `wasmPaths` (self-hosted)
  // instead of dragging a 26 MB `.wasm` into the bundle.
  resolve: { conditions: ['onnxruntime-web-use-extern-wasm', ...defaultClientConditions] },
  worker: { format: 'es' },
  plugins: [workerAsLibraryEntry(), ortSelfUrlIgnored(), runtimeFilesShipped()],
  build: {
    target: 'es2022',
    outDir: 'dist',
    emptyOutDir: true,
    sourcemap: true,
    minify: false,
    // readable, not minified (an app's bundler minifies); doc comments live in the .d.ts files, so
    // the JavaScript drops them: pages load code, not prose. Annotations (@vite-ignore, pure) stay.
    rollupOptions: { output: { comments: { legal: true, annotation: true, jsdoc: false } } },
    lib: {
      entry: { index: resolve('src/index.ts'), worker: resolve('src/worker/entry.ts') },
      formats: ['es'],
    },
  },
});
