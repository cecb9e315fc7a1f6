// Library build, first step: the page entry as one ES module, dist/index.js, which carries only the
// facade and imports nothing. The worker entry (transformers.js and onnxruntime-web) is built on its
// own by scripts/worker.config.ts, so that neither shares a chunk with the other.
import { resolve } from 'node:path';
import { defineConfig, defaultClientConditions, type Plugin } from 'vite';

/**
 * Vite bundles `new Worker(new URL('../worker/entry.ts', import.meta.url))` into an asset with an
 * app-style URL. A library must instead point at its own `worker.js` entry with the plain
 * `new URL('./worker.js', import.meta.url)`, the form that the app's bundler recognizes and
 * bundles. This rewrites that one URL and drops the duplicate worker asset.
 */
function workerAsLibraryEntry(): Plugin {
  const emitted =
    /new URL\(\s*(?:\/\*\s*@vite-ignore\s*\*\/\s*)?"[^"]*assets\/entry-[\w-]+\.js"\s*,\s*(?:"" \+ )?import\.meta\.url\s*\)/g;
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
      // the minifier writes the URL as a template literal; bundlers look for a plain string there
      const index = bundle['index.js'];
      if (index?.type === 'chunk') index.code = index.code.replace('new URL(`./worker.js`,', 'new URL("./worker.js",');
    },
  };
}

export default defineConfig({
  // onnxruntime-web's extern-wasm build loads its runtime files from `wasmPaths` (self-hosted)
  // instead of dragging a 26 MB `.wasm` into the bundle.
  resolve: { conditions: ['onnxruntime-web-use-extern-wasm', ...defaultClientConditions] },
  worker: { format: 'es' },
  plugins: [workerAsLibraryEntry()],
  build: {
    target: 'es2022',
    outDir: 'dist',
    emptyOutDir: true,
    sourcemap: true,
    // minified, with its source map: a page without a bundler loads this file as it is, before its
    // first model call. Doc comments live in the .d.ts files; annotations (@vite-ignore, pure) stay.
    rollupOptions: { output: { minify: true, comments: { legal: true, annotation: true, jsdoc: false } } },
    lib: {
      entry: { index: resolve('src/index.ts') },
      formats: ['es'],
    },
  },
});
