import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serve, type RunningServer } from '../../src/node/serve/server.js';
import { MODELS_DIR } from '../support/paths.js';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startChildServer, type ChildServer } from '../support/child-server.js';
import { WEIGHTS, writeHostileTree } from '../support/hostile-tree.js';
import { rawRequest } from '../support/raw-http.js';
import {
  expectCompressedNamesAsBytes,
  expectHiddenRefused,
  expectLinkInside,
  expectRangeForms,
} from '../support/served-checks.js';

let server: RunningServer;
beforeAll(async () => {
  server = await serve({ modelsDir: MODELS_DIR });
});
afterAll(() => server.close());

const get = (path: string, headers: Record<string, string> = {}) => fetch(`${server.origin}${path}`, { headers });

describe('model server', () => {
  it('listens on loopback only', () => {
    expect(server.origin).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
  });

  it('serves model files byte for byte with their content types and isolation headers', async () => {
    const res = await get('/models/tiny-lm/onnx/model.onnx');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/octet-stream');
    expect(res.headers.get('cross-origin-embedder-policy')).toBe('require-corp');
    expect(res.headers.get('cross-origin-opener-policy')).toBe('same-origin');
    expect(res.headers.get('cross-origin-resource-policy')).toBe('same-origin');
    const body = Buffer.from(await res.arrayBuffer());
    expect(body.equals(await readFile(join(MODELS_DIR, 'tiny-lm/onnx/model.onnx')))).toBe(true);
    expect((await get('/models/tiny-lm/manifest.json')).headers.get('content-type')).toBe('application/json');
  });

  it('answers Range requests with 206 and the exact slice', async () => {
    const res = await get('/models/tiny-lm/onnx/model.onnx', { Range: 'bytes=10-19' });
    expect(res.status).toBe(206);
    const whole = await readFile(join(MODELS_DIR, 'tiny-lm/onnx/model.onnx'));
    expect(res.headers.get('content-range')).toBe(`bytes 10-19/${whole.length}`);
    expect(Buffer.from(await res.arrayBuffer()).equals(whole.subarray(10, 20))).toBe(true);
  });

  it('answers a plain-text 404 for anything missing, never an HTML page', async () => {
    for (const path of [
      '/models/tiny-lm/missing.json',
      '/models/nope/manifest.json',
      '/models/../package.json',
      '/index.html',
      '/',
    ]) {
      const res = await get(path);
      expect(res.status, path).toBe(404);
      expect(res.headers.get('content-type'), path).toBe('text/plain; charset=utf-8');
    }
  });

  it('serves the ORT runtime files and nothing else of the package', async () => {
    const mjs = await get('/airlock/ort/ort-wasm-simd-threaded.asyncify.mjs');
    expect(mjs.status).toBe(200);
    expect(mjs.headers.get('content-type')).toBe('text/javascript');
    const wasm = await get('/airlock/ort/ort-wasm-simd-threaded.asyncify.wasm', { Range: 'bytes=0-3' });
    expect(wasm.headers.get('content-type')).toBe('application/wasm');
    expect([...new Uint8Array(await wasm.arrayBuffer())]).toEqual([0x00, 0x61, 0x73, 0x6d]); // "\0asm"
    expect((await get('/airlock/ort/package.json')).status).toBe(404);
    expect((await get('/airlock/ort/ort.all.min.js')).status).toBe(404);
  });

  it('refuses methods other than GET and HEAD', async () => {
    const res = await fetch(`${server.origin}/models/tiny-lm/manifest.json`, { method: 'POST', body: 'x' });
    expect(res.status).toBe(405);
  });
});

describe('model server as a model origin of its own', () => {
  const page = 'http://portal.intranet.test';
  let models: RunningServer;
  beforeAll(async () => {
    models = await serve({ modelsDir: MODELS_DIR, corsOrigins: [page] });
  });
  afterAll(() => models.close());

  it('answers the allowed page with CORS, exposing Content-Range for resumed downloads', async () => {
    const res = await fetch(`${models.origin}/models/tiny-lm/onnx/model.onnx`, {
      headers: { Origin: page, Range: 'bytes=10-' },
    });
    expect(res.status).toBe(206);
    expect(res.headers.get('access-control-allow-origin')).toBe(page);
    expect(res.headers.get('access-control-expose-headers')).toMatch(/Content-Range/);
    expect(res.headers.get('vary')).toMatch(/Origin/);
    const preflight = await fetch(`${models.origin}/models/tiny-lm/onnx/model.onnx`, {
      method: 'OPTIONS',
      headers: { Origin: page, 'Access-Control-Request-Method': 'GET' },
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get('access-control-allow-headers')).toBe('Range');
  });

  it('gives any other page no CORS headers, and no preflight', async () => {
    const res = await fetch(`${models.origin}/models/tiny-lm/manifest.json`, {
      headers: { Origin: 'http://elsewhere.example' },
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('access-control-allow-origin')).toBeNull();
    const preflight = await fetch(`${models.origin}/models/tiny-lm/manifest.json`, {
      method: 'OPTIONS',
      headers: { Origin: 'http://elsewhere.example' },
    });
    expect(preflight.status).toBe(405);
  });
});

describe('model server under hostile requests (in a process of its own)', () => {
  let root: string;
  let child: ChildServer;
  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), 'airlock-serve-'));
    writeHostileTree(join(root, 'served'), join(root, 'outside'));
    child = await startChildServer(join(root, 'served'));
  });
  afterAll(async () => {
    await child?.stop();
    await rm(root, { recursive: true, force: true });
  });
  const stillUp = async () => {
    expect(child.exited(), child.stderr()).toBeNull();
    const res = await rawRequest(child.origin, '/models/hostile/weights.bin');
    expect(res.status).toBe(200);
    expect(res.body.equals(Buffer.from(WEIGHTS))).toBe(true);
  };

  it('stays up after a reversed Range, GET and HEAD', async () => {
    for (const method of ['GET', 'HEAD'])
      await rawRequest(child.origin, '/models/hostile/weights.bin', { Range: 'bytes=50-40' }, method).catch(
        () => undefined,
      );
    await new Promise((r) => setTimeout(r, 200)); // time for a crash to show
    await stillUp();
  });

  it('answers every Range form per RFC 9110, GET and HEAD, and stays up', async () => {
    await expectRangeForms(child.origin, '/models/hostile/weights.bin');
    await stillUp();
  });

  it('never serves a dotfile, a dot folder, or a link out of the folder', async () => {
    await expectHiddenRefused(child.origin, '/models/');
    await expectLinkInside(child.origin, '/models/');
    await stillUp();
  });

  it('serves files named .gz or .br as their bytes, with no Content-Encoding', async () => {
    await expectCompressedNamesAsBytes(child.origin, '/models/');
  });

  it('answers If-None-Match with 304, and a Range under a stale If-Range with the whole file', async () => {
    const path = '/models/hostile/weights.bin';
    const { headers } = await rawRequest(child.origin, path);
    expect(headers.etag).toMatch(/^"[0-9a-f]+-3e8"$/); // size 1000
    expect((await rawRequest(child.origin, path, { 'If-None-Match': headers.etag! })).status).toBe(304);
    const current = await rawRequest(child.origin, path, { Range: 'bytes=0-9', 'If-Range': headers.etag! });
    expect(current.status).toBe(206);
    const stale = await rawRequest(child.origin, path, { Range: 'bytes=0-9', 'If-Range': '"0-3e8"' });
    expect(stale.status).toBe(200);
    expect(stale.body.equals(Buffer.from(WEIGHTS))).toBe(true);
  });
});

describe('model server caches and validators', () => {
  let models: RunningServer;
  let root: string;
  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), 'airlock-vary-'));
    models = await serve({ modelsDir: root, corsOrigins: ['http://portal.intranet.test'] });
  });
  afterAll(async () => {
    await models.close();
    await rm(root, { recursive: true, force: true });
  });

  it('sends Vary: Origin on every answer when it answers some origins with CORS', async () => {
    await writeFile(join(root, 'a.bin'), 'abc');
    for (const headers of [
      {},
      { Origin: 'http://elsewhere.example' },
      { Origin: 'http://portal.intranet.test' },
    ] as Record<string, string>[]) {
      const res = await fetch(`${models.origin}/models/a.bin`, { headers });
      expect(res.headers.get('vary'), JSON.stringify(headers)).toBe('Origin');
    }
    expect((await fetch(`${server.origin}/models/tiny-lm/config.json`)).headers.get('vary')).toBeNull();
  });

  it('takes an If-Range date only for a file at least a second older than now', async () => {
    await writeFile(join(root, 'fresh.bin'), '0123456789');
    const first = await fetch(`${models.origin}/models/fresh.bin`);
    const lastModified = first.headers.get('last-modified')!;
    await first.arrayBuffer();
    const fresh = await fetch(`${models.origin}/models/fresh.bin`, {
      headers: { Range: 'bytes=0-1', 'If-Range': lastModified },
    });
    expect(fresh.status).toBe(200);
    expect(await fresh.text()).toBe('0123456789');
    const old = await fetch(`${server.origin}/models/tiny-lm/config.json`);
    await old.arrayBuffer();
    const ranged = await fetch(`${server.origin}/models/tiny-lm/config.json`, {
      headers: { Range: 'bytes=0-1', 'If-Range': old.headers.get('last-modified')! },
    });
    expect(ranged.status).toBe(206);
  });
});
