// Browser build of the offline shell's service worker into dist/service-worker.js, which
// `airlock/vite` fills in with a build's file list. It runs after the library build, which empties dist/.
import { resolve } from 'node:path';
import { defineConfig } from 'vite';
import { shellTemplateBuild } from '../src/vite/offline-template.js';

const root = resolve(import.meta.dirname, '..');

export default defineConfig(
  shellTemplateBuild(resolve(root, 'src/service-worker/shell.ts'), resolve(root, 'dist'), true),
);
