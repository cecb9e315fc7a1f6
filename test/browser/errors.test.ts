// Errors outside the contract and errors that point the wrong way: every failure of the public
// API is an AirlockError whose code fits and whose message names the input at fault; after each,
// the next good call works.
import { describe, expect, it } from 'vitest';
import { CIN } from '../../scripts/fixtures/conv-probe.js';
import { reference as sentimentReference } from '../../scripts/fixtures/tiny-sentiment.js';
import type { Runtime } from '../../src/index.js';
import { useBrowser } from '../support/browser.js';
import { anyMessage, failure, type Outcome } from '../support/outcome.js';
import { switchable, type Switches } from '../support/switchable.js';

const switches: Switches = { models: 'serve', ort: 'serve', worker: 'serve' };
const browser = useBrowser({ before: [switchable(switches)] });
const POSITIVE = sentimentReference('great film')[0]!.label;

declare global {
  interface Window {
    ai: Runtime;
  }
}

describe(`errors (${browser.mode})`, () => {
  it('bad options and arguments of every entry point give BAD_INPUT naming the option and the value; the next call works', async () => {
    const { page } = await browser.open();
    const { got, then } = await page.evaluate(async (cin) => {
      const { createRuntime } = window.airlock;
      const ai = createRuntime();
      const classify = await ai.pipeline('text-classification', 'tiny-sentiment');
      const generate = await ai.pipeline('text-generation', 'tiny-lm');
      const conv = await ai.session('conv-probe');
      const x = { type: 'float32' as const, data: new Float32Array(cin * 4), dims: [1, cin, 4] };
      const later = (f: () => unknown) => window.settle(Promise.resolve().then(f));
      const withOptions = (options: unknown) =>
        later(() => createRuntime(options as never).pipeline('text-classification', 'tiny-sentiment'));
      const cases: Record<string, () => Promise<Outcome>> = {
        workerUrl: () => withOptions({ workerUrl: 'http://127.0.0.2:9/worker.js' }),
        'modelBase javascript:': () => withOptions({ modelBase: 'javascript:alert(1)//' }),
        'modelBase data:': () => withOptions({ modelBase: 'data:text/plain,x/' }),
        'modelBase garbage': () => withOptions({ modelBase: 'http://[::1/models/' }),
        modelOrigin: () => withOptions({ modelOrigin: 'javascript:alert(1)' }),
        runtimeBase: () => withOptions({ runtimeBase: 'data:text/javascript,x/' }),
        'allowedOrigins entry': () => withOptions({ allowedOrigins: ['javascript:alert(1)'] }),
        'allowedOrigins list': () => withOptions({ allowedOrigins: 'http://127.0.0.1:1' }),
        device: () => withOptions({ device: 'gpu' }),
        onAudit: () => withOptions({ onAudit: 'console' }),
        options: () => withOptions(null),
        task: () => later(() => ai.pipeline(42 as never, 'tiny-sentiment')),
        modelId: () => later(() => ai.pipeline('text-classification', { id: 'tiny-sentiment' } as never)),
        onProgress: () =>
          later(() => ai.pipeline('text-classification', 'tiny-sentiment', { onProgress: 'log' as never })),
        signal: () => later(() => ai.pipeline('text-classification', 'tiny-sentiment', { signal: {} as never })),
        'load device': () => later(() => ai.session('conv-probe', { device: 'cpu' as never })),
        'call signal': () => later(() => classify('great film', { signal: 'stop' })),
        'stream signal': () =>
          later(async () => {
            for await (const piece of generate.stream('Once upon a time', { signal: true })) void piece;
          }),
        feeds: () => later(() => conv.run(null as never)),
        'run signal': () => later(() => conv.run({ x }, { signal: 1 as never })),
        'prefetch onProgress': () => later(() => ai.cache.prefetch('tiny-sentiment', { onProgress: 5 as never })),
        'cache modelId': () => later(() => ai.cache.has(7 as never)),
        subscribe: () => later(() => ai.audit.subscribe('log' as never)),
        'unload modelId': () => later(() => ai.unload(null as never)),
      };
      const got: Record<string, Outcome> = {};
      for (const [name, call] of Object.entries(cases)) got[name] = await call();
      const then = ((await classify('great film', { top_k: 1 })) as { label: string }[])[0]!.label;
      await ai.dispose();
      return { got, then };
    }, CIN);

    // the option each case names, and a piece of the value its message must show
    const expected: Record<string, [option: string, shown: string]> = {
      workerUrl: ['workerUrl', 'http://127.0.0.2:9/worker.js'],
      'modelBase javascript:': ['modelBase', 'javascript:alert(1)//'],
      'modelBase data:': ['modelBase', 'data:text/plain,x/'],
      'modelBase garbage': ['modelBase', 'http://[::1/models/'],
      modelOrigin: ['modelOrigin', 'javascript:alert(1)'],
      runtimeBase: ['runtimeBase', 'data:text/javascript,x/'],
      'allowedOrigins entry': ['allowedOrigins', 'javascript:alert(1)'],
      'allowedOrigins list': ['allowedOrigins', 'http://127.0.0.1:1'],
      device: ['device', 'gpu'],
      onAudit: ['onAudit', 'console'],
      options: ['options', 'null'],
      task: ['task', '42'],
      modelId: ['modelId', 'object'],
      onProgress: ['onProgress', 'log'],
      signal: ['signal', 'object'],
      'load device': ['device', 'cpu'],
      'call signal': ['signal', 'stop'],
      'stream signal': ['signal', 'true'],
      feeds: ['feeds', 'null'],
      'run signal': ['signal', '1'],
      'prefetch onProgress': ['onProgress', '5'],
      'cache modelId': ['modelId', '7'],
      subscribe: ['listener', 'log'],
      'unload modelId': ['modelId', 'null'],
    };
    // all cases in one comparison, so that a failure shows every case that is wrong
    const seen = Object.fromEntries(
      Object.entries(got).map(([name, o]): [string, unknown] => {
        const [option = '?', shown = '?'] = expected[name] ?? [];
        if (o.ok) return [name, 'resolved'];
        return [
          name,
          {
            code: o.code,
            option: o.details?.option,
            namesOption: o.message.includes(option),
            showsValue: o.message.includes(shown),
            message: o.message,
          },
        ];
      }),
    );
    const want = Object.fromEntries(
      Object.entries(expected).map(([name, [option]]) => [
        name,
        { code: 'BAD_INPUT', option, namesOption: true, showsValue: true, message: anyMessage },
      ]),
    );
    expect(seen).toEqual(want);
    expect(then).toBe(POSITIVE);
  });

  it('a model base that answers HTML says so and points at modelBase (MODEL_NOT_FOUND); the next load works', async () => {
    const { page } = await browser.open();
    const first = async () =>
      page.evaluate(async () => {
        window.ai ??= window.airlock.createRuntime({ modelBase: '/switch/models/' });
        return window.settle(window.ai.pipeline('text-classification', 'tiny-sentiment'));
      });
    switches.models = 'html';
    const html = failure(await first(), 'html');
    switches.models = 'xml';
    const xml = failure(await first(), 'xml');
    switches.models = 'serve';
    const label = await page.evaluate(async () => {
      const classify = await window.ai.pipeline('text-classification', 'tiny-sentiment');
      return ((await classify('great film', { top_k: 1 })) as { label: string }[])[0]!.label;
    });
    const url = `${browser.origin}/switch/models/tiny-sentiment/manifest.json`;
    for (const [e, type] of [
      [html, 'text/html'],
      [xml, 'application/xml'],
    ] as const) {
      expect({ code: e.code, details: e.details }).toEqual({
        code: 'MODEL_NOT_FOUND',
        details: { modelId: 'tiny-sentiment', url, contentType: type, modelBase: `${browser.origin}/switch/models/` },
      });
      // the message names what answered and the option to check
      expect(e.message).toContain(url);
      expect(e.message).toContain('modelBase');
    }
    expect(label).toBe(POSITIVE);
  });

  it('runtime files that are not served are named with their URL and answer, and point at runtimeBase; once served, loads work', async () => {
    const { page } = await browser.open();
    const load = (kind: 'pipeline' | 'session') =>
      page.evaluate(async (kind) => {
        window.ai ??= window.airlock.createRuntime({ runtimeBase: '/switch/ort/' });
        return window.settle<unknown>(
          kind === 'pipeline'
            ? window.ai.pipeline('text-classification', 'tiny-sentiment')
            : window.ai.session('conv-probe'),
        );
      }, kind);
    switches.ort = 'missing';
    const missing = failure(await load('pipeline'), 'missing');
    switches.ort = 'html';
    const html = failure(await load('session'), 'html');
    switches.ort = 'missing-wasm';
    const wasm = failure(await load('pipeline'), 'missing wasm');
    switches.ort = 'serve';
    const served = await page.evaluate(async () =>
      window.settle(
        (async () => {
          const classify = await window.ai.pipeline('text-classification', 'tiny-sentiment');
          const conv = await window.ai.session('conv-probe');
          return {
            label: ((await classify('great film', { top_k: 1 })) as { label: string }[])[0]!.label,
            inputs: conv.inputNames,
          };
        })(),
      ),
    );
    const base = `${browser.origin}/switch/ort/`;
    const mjs = `${base}ort-wasm-simd-threaded.asyncify.mjs`;
    expect.soft(served).toEqual({ ok: true, value: { label: POSITIVE, inputs: ['x'] } });
    expect.soft([missing, html, wasm].map((e) => [e.code, e.details, e.message])).toEqual([
      [
        'BACKEND_UNAVAILABLE',
        { reason: 'runtime-files', url: mjs, status: 404, contentType: 'text/plain', runtimeBase: base },
        expect.stringContaining(mjs),
      ],
      [
        'BACKEND_UNAVAILABLE',
        { reason: 'runtime-files', url: mjs, status: 200, contentType: 'text/html', runtimeBase: base },
        expect.stringContaining(mjs),
      ],
      [
        'BACKEND_UNAVAILABLE',
        {
          reason: 'runtime-files',
          url: `${base}ort-wasm-simd-threaded.asyncify.wasm`,
          status: 404,
          contentType: 'text/plain',
          runtimeBase: base,
        },
        expect.stringContaining('.wasm'),
      ],
    ]);
    // the message names the file and the option to check
    for (const e of [missing, html, wasm]) {
      expect(e.message).toContain(String(e.details.url));
      expect(e.message).toContain('runtimeBase');
    }
  });

  it('a worker script that cannot be fetched says the worker could not start and why; once it can, calls work', async () => {
    const { page } = await browser.open();
    const call = () =>
      page.evaluate(async () => {
        window.ai ??= window.airlock.createRuntime({ workerUrl: `${window.testWorkerUrl}?switch-worker` });
        return window.settle(window.ai.info());
      });
    switches.worker = 'missing';
    const missing = failure(await call(), 'missing');
    const again = failure(await call(), 'missing again');
    switches.worker = 'offline';
    const offline = failure(await call(), 'offline');
    switches.worker = 'serve';
    const label = await page.evaluate(async () => {
      const classify = await window.ai.pipeline('text-classification', 'tiny-sentiment');
      return ((await classify('great film', { top_k: 1 })) as { label: string }[])[0]!.label;
    });
    const url = await page.evaluate(() => `${window.testWorkerUrl}?switch-worker`);
    expect.soft([missing, again, offline].map((e) => [e.code, e.details, e.message])).toEqual([
      [
        'WORKER_CRASHED',
        { reason: 'worker-script', url, status: 404, contentType: 'text/plain' },
        expect.stringContaining(url),
      ],
      [
        'WORKER_CRASHED',
        { reason: 'worker-script', url, status: 404, contentType: 'text/plain' },
        expect.stringContaining(url),
      ],
      ['WORKER_CRASHED', { reason: 'worker-script', url, status: 0, contentType: '' }, expect.stringContaining(url)],
    ]);
    // the message names the script and the option to check
    for (const e of [missing, offline]) {
      expect(e.message).toContain(url);
      expect(e.message).toContain('workerUrl');
    }
    expect(label).toBe(POSITIVE);
  });
});
