// The example nginx configuration (examples/deploy/nginx.conf) serving the built app and models/:
// pipelines and a raw session run from it, a cut download resumes through it, and a second nginx
// serves models to the first one's pages with CORS. No request leaves the allowed origins.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { CIN, COUT, reference as convReference } from '../../scripts/fixtures/conv-probe.js';
import { referenceGenerate } from '../../scripts/fixtures/tiny-lm.js';
import { reference as sentimentReference } from '../../scripts/fixtures/tiny-sentiment.js';
import { gpuMode, launchChromium } from '../support/chromium.js';
import { RequestRecorder } from '../support/egress.js';
import { freePort, startNginx, type RunningNginx } from '../support/nginx.js';
import { maxAbsDiff } from '../support/ort-reference.js';

const PROMPT = 'Once upon a time there was a cat';
let browser: Browser;
let app: RunningNginx;
let models: RunningNginx;
let throttled: RunningNginx;
const contexts: { context: BrowserContext; recorder: RequestRecorder }[] = [];

beforeAll(async () => {
  const modelsPort = await freePort();
  const appPort = await freePort();
  models = await startNginx({ port: modelsPort, corsOrigins: [`http://127.0.0.1:${appPort}`] });
  app = await startNginx({ port: appPort, connectSrc: [models.origin] });
  // model files at 4 kB/s, so that a download can be cut halfway
  throttled = await startNginx({ extra: 'limit_rate 4k;' });
  browser = await launchChromium();
});

afterEach(async () => {
  for (const { context, recorder } of contexts.splice(0)) {
    await context.close();
    expect(recorder.foreign(), 'requests that left the allowed origins').toEqual([]);
  }
});

afterAll(async () => {
  await browser?.close();
  for (const n of [app, models, throttled]) await n?.stop();
});

async function open(origin: string, alsoAllowed: string[] = []): Promise<{ page: Page; context: BrowserContext }> {
  const context = await browser.newContext();
  const recorder = new RequestRecorder(origin, alsoAllowed);
  await recorder.attach(context);
  contexts.push({ context, recorder });
  const page = await context.newPage();
  await page.goto(`${origin}/`);
  await page.waitForFunction(() => document.getElementById('status')?.textContent?.startsWith('ready'));
  return { page, context };
}

describe(`nginx with examples/deploy/nginx.conf (${gpuMode()})`, () => {
  it('serves the app cross-origin isolated under the strict CSP: a classifier, the LM and a raw session run', async () => {
    const { page } = await open(app.origin);
    const x = Array.from({ length: CIN }, (_, c) => Array.from({ length: 6 }, (_, t) => Math.sin(c * 1.3 + t * 0.7)));
    const got = await page.evaluate(
      async ({ prompt, flat }) => {
        const ai = window.airlock.createRuntime();
        const classify = await ai.pipeline('text-classification', 'tiny-sentiment');
        const generate = await ai.pipeline('text-generation', 'tiny-lm');
        const conv = await ai.session('conv-probe');
        const out = {
          isolated: crossOriginIsolated,
          classified: await classify('great film', { top_k: 2 }),
          generated: ((await generate(prompt, { maxNewTokens: 32 })) as { generated_text: string }[])[0]!
            .generated_text,
          conv: await conv
            .run({ x: { type: 'float32', data: Float32Array.from(flat), dims: [1, 9, 6] } })
            .then((o) => ({ dims: o.y!.dims, data: Array.from(o.y!.data as Float32Array) })),
          egress: (await ai.audit.export()).egress.none,
        };
        await ai.dispose();
        return out;
      },
      { prompt: PROMPT, flat: x.flat() },
    );
    expect(got.isolated).toBe(true);
    const want = sentimentReference('great film');
    const classified = got.classified as { label: string; score: number }[];
    expect(classified.map((c) => c.label)).toEqual(want.map((w) => w.label));
    expect(
      maxAbsDiff(
        classified.map((c) => c.score),
        want.map((w) => w.score),
      ),
    ).toBeLessThan(1e-4);
    expect(got.generated).toBe(PROMPT + referenceGenerate(PROMPT));
    expect(got.conv.dims).toEqual([1, COUT, 6]);
    expect(maxAbsDiff(got.conv.data, convReference(x).flat())).toBeLessThan(1e-4);
    expect(got.egress).toBe(true);
    // every model and runtime file came from nginx, whole (200) and with the headers of the conf
    const log = app.accessLog();
    expect(log.filter((l) => l.uri.startsWith('/models/')).every((l) => l.status === 200)).toBe(true);
    expect(log.map((l) => l.uri)).toEqual(
      expect.arrayContaining(['/models/tiny-lm/onnx/model.onnx', '/airlock/ort/ort-wasm-simd-threaded.asyncify.wasm']),
    );
  });

  it('resumes a cut download with Range after the page went away', async () => {
    const { page, context } = await open(throttled.origin);
    await page.evaluate(() => {
      const ai = window.airlock.createRuntime({ cache: { chunkBytes: 1024 } });
      (window as unknown as { loaded: number }).loaded = 0;
      void ai
        .pipeline('text-generation', 'tiny-lm', {
          onProgress: (p) => {
            if (p.file === 'onnx/model.onnx') (window as unknown as { loaded: number }).loaded = p.fileLoaded ?? 0;
          },
        })
        .catch(() => undefined);
    });
    // progress counts the bytes held, the chunk being written included: by 6144 bytes the write
    // of the chunk that ends at 4096 has finished (one write is in flight while the next fills)
    await page.waitForFunction(() => (window as unknown as { loaded: number }).loaded >= 6144, null, {
      timeout: 60_000,
    });
    await page.close(); // the worker goes with it, mid-file
    const again = await context.newPage();
    await again.goto(`${throttled.origin}/`);
    await again.waitForFunction(() => document.getElementById('status')?.textContent?.startsWith('ready'));
    const text = await again.evaluate(async (prompt) => {
      const ai = window.airlock.createRuntime({ cache: { chunkBytes: 1024 } });
      const generate = await ai.pipeline('text-generation', 'tiny-lm');
      const out = ((await generate(prompt, { maxNewTokens: 32 })) as { generated_text: string }[])[0]!.generated_text;
      await ai.dispose();
      return out;
    }, PROMPT);
    expect(text).toBe(PROMPT + referenceGenerate(PROMPT));
    const onnx = throttled
      .accessLog()
      .filter((l) => l.uri === '/models/tiny-lm/onnx/model.onnx' && l.range !== '-0' && l.range !== 'bytes=0-0');
    const resumed = onnx.filter((l) => /^bytes=\d+-$/.test(l.range));
    expect(resumed.length, JSON.stringify(onnx)).toBeGreaterThanOrEqual(1);
    const start = Number(/^bytes=(\d+)-$/.exec(resumed.at(-1)!.range)![1]);
    expect(start).toBeGreaterThanOrEqual(4096);
    expect(resumed.at(-1)).toMatchObject({ status: 206, bytes: 14042 - start });
  });

  it('serves models to pages of another origin with CORS, and to no other origin', async () => {
    const { page } = await open(app.origin, [models.origin]);
    const got = await page.evaluate(async (modelOrigin) => {
      const ai = window.airlock.createRuntime({ modelOrigin });
      const classify = await ai.pipeline('text-classification', 'tiny-sentiment');
      const out = { classified: await classify('great film', { top_k: 2 }), evidence: await ai.audit.export() };
      await ai.dispose();
      return out;
    }, models.origin);
    expect((got.classified as { label: string }[]).map((c) => c.label)).toEqual(
      sentimentReference('great film').map((w) => w.label),
    );
    expect(got.evidence.requests.byOrigin.map((o) => [o.origin, o.allowed])).toEqual([
      [app.origin, true],
      [models.origin, true],
    ]);
    expect(got.evidence.egress.none).toBe(true);
    const fromModels = models.accessLog().filter((l) => l.uri.startsWith('/models/tiny-sentiment/'));
    expect(fromModels.length).toBeGreaterThan(0);
    expect(fromModels.every((l) => l.origin === app.origin)).toBe(true);
    const other = await fetch(`${models.origin}/models/tiny-sentiment/manifest.json`, {
      headers: { Origin: 'http://elsewhere.example' },
    });
    expect(other.headers.get('access-control-allow-origin')).toBeNull();
    const allowed = await fetch(`${models.origin}/models/tiny-sentiment/manifest.json`, {
      headers: { Origin: app.origin },
    });
    expect([allowed.headers.get('access-control-allow-origin'), allowed.headers.get('cache-control')]).toEqual([
      app.origin,
      'no-cache',
    ]);
    const file = await fetch(`${models.origin}/models/tiny-sentiment/onnx/model.onnx`);
    expect([
      file.headers.get('cache-control'),
      file.headers.get('cross-origin-resource-policy'),
      file.headers.get('content-type'),
    ]).toEqual(['public, max-age=31536000, immutable', 'same-origin', 'application/octet-stream']);
    const missing = await fetch(`${models.origin}/models/tiny-sentiment/`);
    expect([missing.status, missing.headers.get('content-type'), await missing.text()]).toEqual([
      404,
      'text/plain',
      'not found\n',
    ]);
  });
});
