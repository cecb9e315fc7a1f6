// The library build: the page entry stays small and never carries the engines.
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildLibrary } from '../support/library-build.js';
import { assetUrls, moduleSpecifiers } from '../support/dist-scan.js';

let out: string;

/** The entry file and every module it imports statically, as the page would load them. */
async function staticGraph(file: string, seen = new Set<string>()): Promise<Map<string, string>> {
  const files = new Map<string, string>();
  if (seen.has(file)) return files;
  seen.add(file);
  const code = await readFile(file, 'utf8');
  files.set(file, code);
  for (const [, spec] of code.matchAll(/^import\s[^;]*?from\s*"(\.[^"]+)"/gm)) {
    for (const [f, c] of await staticGraph(resolve(file, '..', spec!), seen)) files.set(f, c);
  }
  return files;
}

beforeAll(async () => {
  out = await mkdtemp(join(tmpdir(), 'airlock-dist-'));
  await buildLibrary(out);
}, 120_000);
afterAll(() => rm(out, { recursive: true, force: true }));

describe('library build', () => {
  it('keeps onnxruntime-web and transformers.js out of what the page loads', async () => {
    const graph = await staticGraph(join(out, 'index.js'));
    // one file: the worker is built on its own and shares no chunk with it
    expect(graph.size).toBe(1);
    expect(graph.has(join(out, 'index.js'))).toBe(true);
    for (const [file, code] of graph) {
      // identifiers of the engines' code (the evidence's `onnxruntimeWeb` version field is fine)
      expect(code, file).not.toMatch(/InferenceSession|registerBackend|AutoTokenizer|PreTrainedModel/);
    }
    const gzipped = [...graph.values()].reduce((n, code) => n + gzipSync(code).length, 0);
    console.log(`page entry: ${graph.size} files, ${gzipped} bytes gzipped`);
    expect(gzipped).toBeLessThan(15 * 1024);
  });

  it('points the page entry at its own worker entry, which carries the engines', async () => {
    const index = await readFile(join(out, 'index.js'), 'utf8');
    // a plain string literal, the form bundlers follow (the minifier would write a template literal)
    expect(index).toMatch(/new Worker\(new URL\("\.\/worker\.js",\s*import\.meta\.url\)/);
    const worker = await readFile(join(out, 'worker.js'), 'utf8');
    expect(worker).toMatch(/InferenceSession/);
    // the extern-wasm ORT build: no runtime file is emitted into the package
    expect(worker).not.toMatch(/ort-wasm-simd-threaded\.asyncify-[\w-]+\.wasm/);
  });

  it('holds no new URL(<literal>, import.meta.url) in the worker that a bundler would take for an asset', async () => {
    // webpack 5, Rollup's asset plugins and Vite all resolve exactly this form at build time
    expect(assetUrls(await readFile(join(out, 'worker.js'), 'utf8'))).toEqual([]);
    // the page entry keeps the one a bundler should follow: its worker
    expect(assetUrls(await readFile(join(out, 'index.js'), 'utf8'))).toEqual(['./worker.js']);
  });

  it('imports nothing by bare name, so that a page without a bundler can load dist/ as it is', async () => {
    for (const [file, code] of await staticGraph(join(out, 'index.js'))) {
      expect(
        moduleSpecifiers(code).filter((s) => !s.startsWith('./')),
        file,
      ).toEqual([]);
    }
    // the worker is one file: served or copied alone (airlock runtime --out, Rollup's asset plugin)
    const worker = await readFile(join(out, 'worker.js'), 'utf8');
    expect(moduleSpecifiers(worker)).toEqual([]);
  });
});
