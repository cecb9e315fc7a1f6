// The library's build, as `npm run build` runs it, into a folder of the test's own.
import { resolve } from 'node:path';
import { build } from 'vite';
import { ROOT } from './paths.js';

/** the page entry, then the worker (with dist/ort/), then the CLI: the order of `npm run build` */
export const BROWSER_CONFIGS = ['vite.config.ts', 'scripts/worker.config.ts'];
const CLI_CONFIG = 'scripts/cli.config.ts';

export async function buildLibrary(outDir: string, options: { cli?: boolean } = {}): Promise<void> {
  const configs = options.cli ? [...BROWSER_CONFIGS, CLI_CONFIG] : BROWSER_CONFIGS;
  for (const config of configs) {
    const emptyOutDir = config === configs[0];
    await build({
      root: ROOT,
      configFile: resolve(ROOT, config),
      logLevel: 'silent',
      build: { outDir, emptyOutDir, ...(config !== CLI_CONFIG && { sourcemap: true }) },
    });
  }
}
