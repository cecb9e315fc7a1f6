// Node only: the built page entry and worker, which `airlock runtime` writes beside the runtime
// files for pages that do not bundle them (esbuild, no build at all).
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** dist/index.js imports nothing and finds `./worker.js` beside it; dist/worker.js imports nothing */
export const LIBRARY_FILES = ['worker.js', 'index.js'] as const;

/**
 * Where the built files are: beside this module in the package (dist/cli.js, dist/vite.js), or in
 * a source checkout's dist/ once `npm run build` has run.
 */
export function libraryDistDir(): string {
  const here = dirname(fileURLToPath(import.meta.url));
  const candidates = [here, resolve(here, '../../dist')];
  const found = candidates.find((dir) => LIBRARY_FILES.every((name) => existsSync(join(dir, name))));
  if (!found)
    throw new Error(
      `airlock: the built worker.js and index.js are missing (looked in ${candidates.join(', ')}); run npm run build`,
    );
  return found;
}

/** A built file's text without its source map comment: the map is not copied with it. */
export function withoutSourceMapComment(code: string): string {
  return code.replace(/\n\/\/# sourceMappingURL=\S+\s*$/, '\n');
}
