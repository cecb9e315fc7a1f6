// Row 7: the JavaScript a page loads before its first model call: the library's page entry and
// what it imports statically, gzipped, from a production build of the package.
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { gzipSync } from 'node:zlib';
import { build } from 'vite';
import { ROOT } from '../../test/support/paths.js';

async function staticImports(file: string, seen: Set<string>): Promise<void> {
  if (seen.has(file)) return;
  seen.add(file);
  const code = await readFile(file, 'utf8');
  for (const [, spec] of code.matchAll(/^import\s[^;]*?from\s*"(\.[^"]+)"/gm))
    await staticImports(resolve(file, '..', spec!), seen);
}

export async function measurePageKB(): Promise<{ files: number; gzipBytes: number; kB: number }> {
  const out = await mkdtemp(join(tmpdir(), 'airlock-bench-dist-'));
  try {
    await build({
      root: ROOT,
      configFile: resolve(ROOT, 'vite.config.ts'),
      logLevel: 'silent',
      build: { outDir: out, sourcemap: false },
    });
    const files = new Set<string>();
    // kB of 1024 bytes, as the bundle test counts them
    await staticImports(join(out, 'index.js'), files);
    let gzipBytes = 0;
    for (const f of files) gzipBytes += gzipSync(await readFile(f)).length;
    return { files: files.size, gzipBytes, kB: gzipBytes / 1024 };
  } finally {
    await rm(out, { recursive: true, force: true });
  }
}
