// Builds the bench pages with Vite the way an app ships them (the test page's settings), and
// writes the generated big-gather models the load rows need.
import { resolve } from 'node:path';
import { build, defaultClientConditions } from 'vite';
import { writeBigGather } from '../../scripts/fixtures/big-gather.js';
import { ROOT } from '../../test/support/paths.js';

export const BENCH_APP = resolve(ROOT, 'test/.build/bench-app');
export const BENCH_MODELS = resolve(ROOT, 'test/.build/bench-models');

export async function buildBenchApp(): Promise<void> {
  const root = resolve(ROOT, 'bench/app');
  await build({
    root,
    logLevel: 'warn',
    configFile: false,
    resolve: { conditions: ['onnxruntime-web-use-extern-wasm', ...defaultClientConditions] },
    build: {
      outDir: BENCH_APP,
      emptyOutDir: true,
      target: 'es2022',
      sourcemap: false,
      chunkSizeWarningLimit: 8192,
      rolldownOptions: { input: { index: resolve(root, 'index.html'), mainThread: resolve(root, 'main-thread.html') } },
    },
    worker: { format: 'es' },
  });
}

export const gatherId = (mib: number) => `big-gather-${mib}`;

/** The big-gather models of these sizes, written once and kept between runs. */
export async function writeGatherModels(sizes: readonly number[]): Promise<void> {
  for (const mib of sizes) await writeBigGather(BENCH_MODELS, mib, gatherId(mib));
}
