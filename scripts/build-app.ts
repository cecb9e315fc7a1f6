// Builds a page folder (the demo, the test page) with Vite, the way an app would ship it.
import { readdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { build, defaultClientConditions, mergeConfig, type InlineConfig } from 'vite';

/** Every `*.html` at the top of `root` is a page of the build (a multi-page app). */
export function pagesOf(root: string): Record<string, string> {
  const pages = readdirSync(root).filter((name) => name.endsWith('.html'));
  return Object.fromEntries(pages.sort().map((name) => [name.slice(0, -'.html'.length), resolve(root, name)]));
}

/** `extra`: settings of one app merged in (the kiosk's base and plugins). */
export async function buildApp(root: string, outDir: string, extra: InlineConfig = {}): Promise<void> {
  await build(
    mergeConfig<InlineConfig, InlineConfig>(
      {
        root,
        logLevel: 'warn',
        configFile: false,
        // onnxruntime-web's extern-wasm build: it loads its runtime files from `wasmPaths` only,
        // instead of carrying a copy of the 26 MB `.wasm` into the bundle's assets.
        resolve: { conditions: ['onnxruntime-web-use-extern-wasm', ...defaultClientConditions] },
        build: {
          outDir,
          emptyOutDir: true,
          target: 'es2022',
          sourcemap: false,
          chunkSizeWarningLimit: 4096,
          rollupOptions: { input: pagesOf(root) },
        },
        worker: { format: 'es' },
      },
      extra,
    ),
  );
}

if (process.argv[1] && resolve(process.argv[1]) === resolve(import.meta.filename)) {
  await buildApp(resolve(process.argv[2]!), resolve(process.argv[3]!));
}
