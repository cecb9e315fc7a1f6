// Browser build of the `airlock/offline` entry into dist/offline.js: one ES module that imports
// nothing, like the page entry, so that a page without a bundler can load it as it is. It runs
// after the page entry's build, which empties dist/.
import { resolve } from 'node:path';
import { defineConfig } from 'vite';

export default defineConfig({
  build: {
    target: 'es2022',
    outDir: 'dist',
    emptyOutDir: false,
    sourcemap: true,
    minify: false,
    rollupOptions: { output: { comments: { legal: true, annotation: true, jsdoc: false } } },
    lib: { entry: { offline: resolve(import.meta.dirname, '../src/offline.ts') }, formats: ['es'] },
  },
});
