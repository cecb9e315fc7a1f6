// The Vite plugin against a real Vite: a dev server, a build and a preview server of a small app,
// checked with real HTTP requests. The runtime files must be the installed onnxruntime-web's bytes.
import { createHash } from 'node:crypto';
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { build, createLogger, createServer, preview, type InlineConfig } from 'vite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ortDistDir } from '../../src/node/ort-files.js';
import { emittedFolder } from '../../src/vite/emit.js';
import { airlock, STRICT_CSP, WORKER_RUNTIME_FILES } from '../../src/vite/index.js';
import { writeHostileTree } from '../support/hostile-tree.js';
import {
  expectCompressedNamesAsBytes,
  expectHiddenRefused,
  expectLinkInside,
  expectRangeForms,
} from '../support/served-checks.js';

const MJS = 'ort-wasm-simd-threaded.asyncify.mjs';
const WASM = 'ort-wasm-simd-threaded.asyncify.wasm';
const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

let root: string;
let outDir: string;
const weights = Uint8Array.from({ length: 1000 }, (_, i) => (i * 7) % 256);
const servers: { origin: string; close(): Promise<void> }[] = [];
const origins: Record<'dev' | 'preview', string> = { dev: '', preview: '' };

const config = (extra: InlineConfig = {}): InlineConfig => ({
  root,
  configFile: false,
  logLevel: 'silent',
  plugins: [airlock({ csp: STRICT_CSP })],
  ...extra,
});

async function listFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries
    .filter((e) => e.isFile())
    .map((e) => relative(dir, join(e.parentPath, e.name)))
    .sort();
}

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'airlock-vite-'));
  outDir = join(root, 'dist');
  await writeFile(join(root, 'index.html'), '<!doctype html><title>app</title><p>app</p>\n');
  await mkdir(join(root, 'models/demo'), { recursive: true });
  await writeFile(join(root, 'models/demo/weights.bin'), weights);
  await writeFile(join(root, 'models/demo/manifest.json'), '{"id":"demo"}\n');
  writeHostileTree(join(root, 'models'), join(root, 'outside'));

  const dev = await createServer(
    config({ server: { host: '127.0.0.1', port: 0, strictPort: true }, optimizeDeps: { noDiscovery: true } }),
  );
  await dev.listen();
  origins.dev = `http://127.0.0.1:${(dev.httpServer!.address() as AddressInfo).port}`;
  servers.push({ origin: origins.dev, close: () => dev.close() });

  await build(config({ build: { outDir, emptyOutDir: true } }));
  const prev = await preview(config({ build: { outDir }, preview: { host: '127.0.0.1', port: 0, strictPort: true } }));
  origins.preview = `http://127.0.0.1:${(prev.httpServer.address() as AddressInfo).port}`;
  servers.push({ origin: origins.preview, close: () => prev.close() });
}, 60_000);

afterAll(async () => {
  for (const s of servers) await s.close();
  if (root) await rm(root, { recursive: true, force: true });
});

describe.each(['dev', 'preview'] as const)('airlock() in the %s server', (mode) => {
  const get = (path: string, headers: Record<string, string> = {}) => fetch(`${origins[mode]}${path}`, { headers });

  it('serves the installed runtime files byte for byte, with their content types and headers', async () => {
    for (const [name, type] of [
      [MJS, 'text/javascript'],
      [WASM, 'application/wasm'],
    ] as const) {
      const res = await get(`/airlock/ort/${name}`);
      expect(res.status, name).toBe(200);
      expect(res.headers.get('content-type'), name).toBe(type);
      expect(res.headers.get('cross-origin-resource-policy'), name).toBe('same-origin');
      expect(res.headers.get('x-content-type-options'), name).toBe('nosniff');
      expect(res.headers.get('cross-origin-opener-policy'), name).toBe('same-origin');
      expect(res.headers.get('cross-origin-embedder-policy'), name).toBe('require-corp');
      expect(sha256(new Uint8Array(await res.arrayBuffer())), name).toBe(
        sha256(await readFile(join(ortDistDir(), name))),
      );
    }
  });

  it('answers Range requests with 206 and the exact slice, and 416 past the end', async () => {
    const whole = await readFile(join(ortDistDir(), WASM));
    const res = await get(`/airlock/ort/${WASM}`, { Range: 'bytes=100-199' });
    expect(res.status).toBe(206);
    expect(res.headers.get('content-range')).toBe(`bytes 100-199/${whole.length}`);
    expect(Buffer.from(await res.arrayBuffer()).equals(whole.subarray(100, 200))).toBe(true);

    const model = await get('/models/demo/weights.bin', { Range: 'bytes=990-' });
    expect(model.status).toBe(206);
    expect([...new Uint8Array(await model.arrayBuffer())]).toEqual([...weights.subarray(990)]);

    const past = await get('/models/demo/weights.bin', { Range: `bytes=${weights.length}-${weights.length + 10}` });
    expect(past.status).toBe(416);
    expect(past.headers.get('content-range')).toBe(`bytes */${weights.length}`);
  });

  it('serves the models folder with content types and file headers', async () => {
    const res = await get('/models/demo/weights.bin');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/octet-stream');
    expect(res.headers.get('cross-origin-resource-policy')).toBe('same-origin');
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect([...new Uint8Array(await res.arrayBuffer())]).toEqual([...weights]);
    const manifest = await get('/models/demo/manifest.json');
    expect(manifest.headers.get('content-type')).toBe('application/json');
    expect(await manifest.json()).toEqual({ id: 'demo' });
  });

  it('answers a plain 404 for anything missing there, never the index.html fallback', async () => {
    const missing = [
      '/models/demo/missing.json',
      '/models/nope/manifest.json',
      '/models/',
      '/airlock/ort/ort-wasm-simd-threaded.jsep.wasm',
      '/airlock/ort/ort.all.min.js',
      '/airlock/ort/package.json',
    ];
    for (const path of missing) {
      const res = await get(path);
      expect(res.status, path).toBe(404);
      expect(res.headers.get('content-type'), path).toBe('text/plain; charset=utf-8');
      expect(await res.text(), path).not.toMatch(/<html|<!doctype/i);
    }
  });

  it('answers every Range form per RFC 9110, GET and HEAD, and keeps answering', async () => {
    await expectRangeForms(origins[mode], '/models/hostile/weights.bin');
    expect((await get('/models/demo/manifest.json')).status).toBe(200);
  });

  it('never serves a dotfile, a dot folder, or a link out of the models folder', async () => {
    await expectHiddenRefused(origins[mode], '/models/');
    await expectLinkInside(origins[mode], '/models/');
  });

  it('serves files named .gz or .br as their bytes, with no Content-Encoding', async () => {
    await expectCompressedNamesAsBytes(origins[mode], '/models/');
  });

  it('sends the isolation headers with the page, and the CSP in preview only', async () => {
    const res = await get('/');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/html/);
    expect(res.headers.get('cross-origin-opener-policy')).toBe('same-origin');
    expect(res.headers.get('cross-origin-embedder-policy')).toBe('require-corp');
    // Vite's dev client injects inline styles, which the strict policy would refuse
    expect(res.headers.get('content-security-policy')).toBe(mode === 'preview' ? STRICT_CSP : null);
  });
});

describe('airlock() in a build', () => {
  it('emits exactly the two runtime files the worker loads, with the installed bytes', async () => {
    const files = await listFiles(outDir);
    expect(files.filter((f) => /ort|\.wasm$|\.mjs$/.test(f))).toEqual([`airlock/ort/${MJS}`, `airlock/ort/${WASM}`]);
    expect(WORKER_RUNTIME_FILES).toEqual([MJS, WASM]);
    for (const name of WORKER_RUNTIME_FILES) {
      expect(sha256(await readFile(join(outDir, 'airlock/ort', name))), name).toBe(
        sha256(await readFile(join(ortDistDir(), name))),
      );
    }
    // models are served by the model origin, not shipped inside the app
    expect(files.some((f) => f.startsWith('models/'))).toBe(false);
  });

  it('places the files under the app base, and refuses a runtimeBase outside it', () => {
    expect(emittedFolder('/airlock/ort/', '/')).toBe('airlock/ort/');
    expect(emittedFolder('/airlock/ort/', './')).toBe('airlock/ort/');
    expect(emittedFolder('/app/airlock/ort/', '/app/')).toBe('airlock/ort/');
    expect(emittedFolder('/app/airlock/ort/', 'https://intranet.example/app/')).toBe('airlock/ort/');
    expect(() => emittedFolder('/airlock/ort/', '/app/')).toThrow(/outside the app's base/);
  });

  it("warns through Vite's logger at start-up when modelsDir is missing, not a folder, or holds no model", async () => {
    const warned = async (modelsDir: string | undefined, kind: 'dev' | 'preview') => {
      const warnings: string[] = [];
      const logger = createLogger('silent');
      logger.warn = (message) => void warnings.push(message);
      const inline = {
        ...config(),
        customLogger: logger,
        plugins: [airlock(modelsDir === undefined ? {} : { modelsDir })],
      };
      const server =
        kind === 'dev'
          ? await createServer({
              ...inline,
              server: { host: '127.0.0.1', port: 0 },
              optimizeDeps: { noDiscovery: true },
            })
          : await preview({ ...inline, build: { outDir }, preview: { host: '127.0.0.1', port: 0 } });
      if ('listen' in server) await server.listen();
      await server.close();
      return warnings.filter((w) => w.includes('airlock'));
    };
    await writeFile(join(root, 'not-a-folder'), 'x');
    await mkdir(join(root, 'empty'), { recursive: true });
    for (const kind of ['dev', 'preview'] as const) {
      expect(await warned('model', kind), kind).toEqual([
        expect.stringContaining(`modelsDir ${join(root, 'model')} does not exist`),
      ]);
      expect(await warned('not-a-folder', kind), kind).toEqual([expect.stringContaining('is not a folder')]);
      expect(await warned('empty', kind), kind).toEqual([expect.stringContaining('holds no model')]);
      expect(await warned(undefined, kind), kind).toEqual([]);
    }
    expect((await warned('model', 'dev'))[0]).toMatch(/every model under \/models\/ answers 404: set modelsDir/);
  });

  it('rejects a runtimeBase or modelsPath that is not a path on the page origin', () => {
    expect(() => airlock({ runtimeBase: 'https://cdn.example/ort/' })).toThrow(/runtimeBase must be a path/);
    expect(() => airlock({ modelsPath: 'models/' })).toThrow(/modelsPath must be a path/);
  });
});
