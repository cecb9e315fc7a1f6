// Node build of `airlock/vite` into dist/vite.js: one ES module for Node, with its dependencies
// (node:*) left as imports. It runs after the library build, which empties dist/.
import { resolve } from 'node:path';
import { defineConfig } from 'vite';

const root = resolve(import.meta.dirname, '..');

export default defineConfig({
  root,
  logLevel: 'warn',
  build: {
    ssr: resolve(root, 'src/vite/index.ts'),
    outDir: resolve(root, 'dist'),
    emptyOutDir: false,
    target: 'node20',
    sourcemap: false,
    minify: false,
    rollupOptions: { output: { format: 'es', entryFileNames: 'vite.js' } },
  },
});
