// The service worker script of the offline shell, before the plugin fills in a build's files. The
// package ships it built (`dist/service-worker.js`, beside this plugin's `dist/vite.js`); run
// from the source tree, the plugin builds it from `src/service-worker/shell.ts` with Vite itself.
import { existsSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { fileURLToPath } from 'node:url';
import type { InlineConfig, Rolldown } from 'vite';

export const SHELL_TEMPLATE_FILE = 'service-worker.js';

/** The build of the service worker: one ES script that imports nothing (a classic script too). */
export function shellTemplateBuild(entry: string, outDir: string, write: boolean): InlineConfig {
  return {
    configFile: false,
    logLevel: 'warn',
    build: {
      outDir,
      emptyOutDir: false,
      write,
      target: 'es2022',
      minify: false,
      sourcemap: false,
      lib: { entry, formats: ['es'], fileName: () => SHELL_TEMPLATE_FILE },
    },
  };
}

export async function shellTemplate(): Promise<string> {
  const shipped = fileURLToPath(new URL(`./${SHELL_TEMPLATE_FILE}`, import.meta.url));
  if (existsSync(shipped)) return readFileSync(shipped, 'utf8');
  const source = fileURLToPath(new URL('../service-worker/shell.ts', import.meta.url));
  if (!existsSync(source)) throw new Error(`airlock: the offline shell's service worker is missing (${shipped})`);
  const { build } = await import('vite');
  const result = (await build(shellTemplateBuild(source, tmpdir(), false))) as Rolldown.RolldownOutput[];
  const chunk = [result].flat()[0]?.output.find((o) => o.type === 'chunk');
  if (!chunk) throw new Error('airlock: building the offline shell gave no script');
  return chunk.code;
}
