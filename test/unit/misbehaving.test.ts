// The flaky model origin the store's tests lean on: each mode must misbehave exactly as
// documented, or those tests would be checking the fixture rather than the store.
import { readFile } from 'node:fs/promises';
import { get as httpGet, type IncomingHttpHeaders } from 'node:http';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { serve, type RunningServer } from '../../src/node/serve/server.js';
import { flakyModels } from '../support/misbehaving.js';
import { MODELS_DIR } from '../support/paths.js';

const flaky = flakyModels();
let server: RunningServer;
let model: Buffer; // tiny-lm's model.onnx, 14042 bytes
let manifest: Buffer;
beforeAll(async () => {
  server = await serve({ modelsDir: MODELS_DIR, before: [flaky.handler] });
  model = await readFile(join(MODELS_DIR, 'tiny-lm/onnx/model.onnx'));
  manifest = await readFile(join(MODELS_DIR, 'tiny-lm/manifest.json'));
});
afterAll(() => server.close());
beforeEach(() => {
  flaky.reset();
  flaky.down(false);
});

const onnx = (mode: string) => `/flaky/${mode}/tiny-lm/onnx/model.onnx`;

interface Raw {
  status: number;
  headers: IncomingHttpHeaders;
  body: Buffer;
  /** false when the connection dropped before Content-Length bytes came */
  complete: boolean;
}

/** node:http rather than fetch: a cut body still shows how many bytes came before the drop. */
function raw(path: string, headers: Record<string, string> = {}): Promise<Raw> {
  return new Promise((resolve, reject) => {
    const req = httpGet(`${server.origin}${path}`, { headers, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('error', () => {}); // "aborted": the cut is what we are here to see
      res.on('close', () =>
        resolve({
          status: res.statusCode ?? 0,
          headers: res.headers,
          body: Buffer.concat(chunks),
          complete: res.complete,
        }),
      );
    });
    req.on('error', reject);
  });
}

describe('flaky model origin', () => {
  it('ok: serves whole files and single ranges, 416 past the end', async () => {
    const whole = await raw(onnx('ok'));
    expect(whole).toMatchObject({ status: 200, complete: true });
    expect(whole.headers['content-type']).toBe('application/octet-stream');
    expect(whole.headers['content-length']).toBe(String(model.length));
    expect(whole.headers['accept-ranges']).toBe('bytes');
    expect(whole.body.equals(model)).toBe(true);

    const mid = await raw(onnx('ok'), { Range: 'bytes=100-199' });
    expect(mid.status).toBe(206);
    expect(mid.headers['content-range']).toBe(`bytes 100-199/${model.length}`);
    expect(mid.body.equals(model.subarray(100, 200))).toBe(true);

    const tail = await raw(onnx('ok'), { Range: 'bytes=14000-' });
    expect(tail.headers['content-range']).toBe(`bytes 14000-${model.length - 1}/${model.length}`);
    expect(tail.body.equals(model.subarray(14000))).toBe(true);

    const past = await raw(onnx('ok'), { Range: `bytes=${model.length}-` });
    expect(past.status).toBe(416);
    expect(past.headers['content-range']).toBe(`bytes */${model.length}`);

    const json = await raw('/flaky/ok/tiny-lm/manifest.json');
    expect(json.headers['content-type']).toBe('application/json');
    expect(json.body.equals(manifest)).toBe(true);

    expect(flaky.requests).toEqual([
      { url: onnx('ok'), range: undefined, status: 200, bytesSent: model.length },
      { url: onnx('ok'), range: 'bytes=100-199', status: 206, bytesSent: 100 },
      { url: onnx('ok'), range: 'bytes=14000-', status: 206, bytesSent: model.length - 14000 },
      { url: onnx('ok'), range: `bytes=${model.length}-`, status: 416, bytesSent: 0 },
      { url: '/flaky/ok/tiny-lm/manifest.json', range: undefined, status: 200, bytesSent: manifest.length },
    ]);
  });

  it('cut<N>: cuts every request for the whole file; a Range request gets the rest', async () => {
    const first = await raw(onnx('cut4096'));
    expect(first).toMatchObject({ status: 200, complete: false });
    expect(first.headers['content-length']).toBe(String(model.length)); // promised it all
    expect(first.body.length).toBe(4096);
    // asking again for the whole file does not help
    expect(await raw(onnx('cut4096'))).toMatchObject({ status: 200, complete: false });
    const rest = await raw(onnx('cut4096'), { Range: 'bytes=4096-' });
    expect(rest).toMatchObject({ status: 206, complete: true });
    expect(Buffer.concat([first.body, rest.body]).equals(model)).toBe(true);
    // the manifest is never cut
    expect((await raw('/flaky/cut100/tiny-asr/manifest.json')).complete).toBe(true);
    expect(flaky.requests.map((r) => [r.status, r.bytesSent])).toEqual([
      [200, 4096],
      [200, 4096],
      [206, model.length - 4096],
      [200, expect.any(Number)],
    ]);
  });

  it('cutalways<N>: every request is cut, so resuming gains N bytes a try', async () => {
    const parts: Buffer[] = [];
    for (let at = 0; at < model.length;) {
      const res = await raw(onnx('cutalways4096'), { Range: `bytes=${at}-` });
      expect(res.status).toBe(206);
      expect(res.body.length).toBe(Math.min(4096, model.length - at));
      parts.push(res.body);
      at += res.body.length;
    }
    expect(Buffer.concat(parts).equals(model)).toBe(true);
    expect(flaky.requests.map((r) => r.range)).toEqual(['bytes=0-', 'bytes=4096-', 'bytes=8192-', 'bytes=12288-']);
  });

  it('norange: always 200 with the whole file, no Accept-Ranges', async () => {
    const res = await raw(onnx('norange'), { Range: 'bytes=100-199' });
    expect(res.status).toBe(200);
    expect(res.headers['accept-ranges']).toBeUndefined();
    expect(res.body.equals(model)).toBe(true);
  });

  it('slow<B>: trickles B bytes every 100 ms, honours Range, and stops when the client leaves', async () => {
    const started = Date.now();
    const res = await raw(onnx('slow4096'), { Range: 'bytes=10-' }); // 4 pieces: 3 waits
    expect(Date.now() - started).toBeGreaterThanOrEqual(280);
    expect(res.status).toBe(206);
    expect(res.body.equals(model.subarray(10))).toBe(true);

    flaky.reset();
    await new Promise<void>((resolve, reject) => {
      const req = httpGet(`${server.origin}${onnx('slow1024')}`, { agent: false }, (r) => {
        r.once('data', () => req.destroy()); // leave after the first piece
        r.on('error', () => {});
      });
      req.on('error', () => {});
      req.on('close', resolve);
      setTimeout(() => reject(new Error('no first piece')), 2000);
    });
    await new Promise((r) => setTimeout(r, 300));
    const sent = flaky.requests[0]!.bytesSent;
    expect(sent).toBeLessThanOrEqual(2048); // at most one more piece before the server noticed
    await new Promise((r) => setTimeout(r, 300));
    expect(flaky.requests[0]!.bytesSent).toBe(sent);
  });

  it('html and status500: spoil every file but the manifest', async () => {
    const html = await raw(onnx('html'));
    expect(html.status).toBe(200);
    expect(html.headers['content-type']).toBe('text/html');
    expect(html.body.toString()).toMatch(/^<!doctype html>/);
    expect((await raw(onnx('status500'))).status).toBe(500);
    for (const mode of ['html', 'status500']) {
      const json = await raw(`/flaky/${mode}/tiny-lm/manifest.json`);
      expect(json.status).toBe(200);
      expect(json.body.equals(manifest)).toBe(true);
    }
  });

  it('flip: same size, only the middle byte changed, Range over the flipped copy', async () => {
    const mid = model.length >> 1;
    const whole = await raw(onnx('flip'));
    expect(whole.body.length).toBe(model.length);
    const differing = [...whole.body.keys()].filter((i) => whole.body[i] !== model[i]);
    expect(differing).toEqual([mid]);
    const slice = await raw(onnx('flip'), { Range: `bytes=${mid - 5}-${mid + 5}` });
    expect(slice.status).toBe(206);
    expect(slice.body.equals(whole.body.subarray(mid - 5, mid + 6))).toBe(true);
  });

  it('down(true) drops every request without an answer; down(false) recovers', async () => {
    flaky.down(true);
    await expect(fetch(`${server.origin}${onnx('ok')}`)).rejects.toThrow(TypeError);
    await expect(raw('/flaky/ok/tiny-lm/manifest.json')).rejects.toThrow(/socket hang up/);
    expect(flaky.requests.every((r) => r.status === 0 && r.bytesSent === 0)).toBe(true);
    expect(flaky.requests.length).toBeGreaterThanOrEqual(2);
    flaky.down(false);
    const res = await fetch(`${server.origin}${onnx('ok')}`);
    expect(res.status).toBe(200);
    expect(Buffer.from(await res.arrayBuffer()).equals(model)).toBe(true);
  });

  it('answers 404 for a missing file, 400 for an unknown mode, and leaves other paths alone', async () => {
    expect((await raw('/flaky/ok/tiny-lm/onnx/missing.onnx')).status).toBe(404);
    expect((await raw('/flaky/cut/tiny-lm/onnx/model.onnx')).status).toBe(400); // cut needs its N
    expect((await raw('/flaky/sideways/tiny-lm/onnx/model.onnx')).status).toBe(400);
    expect((await raw('/flaky/ok7/tiny-lm/onnx/model.onnx')).status).toBe(400); // ok takes no N
    expect((await raw('/models/tiny-lm/onnx/model.onnx')).body.equals(model)).toBe(true);
    expect(flaky.requests.map((r) => r.status)).toEqual([404, 400, 400, 400]);
  });
});
