// Node build of the `airlock` command into dist/cli.js: one ES module with a shebang, with sirv
// and node:* left as imports and the rest (the manifest rules and their hash) bundled in. It runs
// after the library build, which empties dist/, and finds the runtime files in dist/ort/.
import { resolve } from 'node:path';
import { defineConfig } from 'vite';

const root = resolve(import.meta.dirname, '..');

export default defineConfig({
  root,
  logLevel: 'warn',
  ssr: { noExternal: ['@noble/hashes'] },
  build: {
    ssr: resolve(root, 'src/cli/bin.ts'),
    outDir: resolve(root, 'dist'),
    emptyOutDir: false,
    target: 'node20',
    sourcemap: false,
    minify: false,
    rollupOptions: { output: { format: 'es', entryFileNames: 'cli.js', banner: '#!/usr/bin/env node' } },
  },
});
