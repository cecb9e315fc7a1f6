// The library build: the page entry stays small and never carries the engines.
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { gzipSync } from 'node:zlib';
import { build } from 'vite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOT } from '../support/paths.js';

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
  await build({ root: ROOT, configFile: resolve(ROOT, 'vite.config.ts'), logLevel: 'silent', build: { outDir: out, sourcemap: false } });
}, 120_000);
afterAll(() => rm(out, { recursive: true, force: true }));

describe('library build', () => {
  it('keeps onnxruntime-web and transformers.js out of what the page loads', async () => {
    const graph = await staticGraph(join(out, 'index.js'));
    // the entry and the one chunk it shares with the worker (comlink, errors, protocol, policy)
    expect(graph.size).toBe(2);
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
    expect(index).toContain('new Worker(new URL("./worker.js", import.meta.url)');
    const worker = await readFile(join(out, 'worker.js'), 'utf8');
    expect(worker).toMatch(/InferenceSession/);
    // the extern-wasm ORT build: no runtime file is emitted into the package
    expect(worker).not.toMatch(/ort-wasm-simd-threaded\.asyncify-[\w-]+\.wasm/);
  });
});
