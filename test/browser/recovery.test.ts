// A failed engine call leaves the worker usable: after a run that fails inside the engine, a model
// that does not parse, or a WebGPU session that fails to create, every later load and call gives
// exactly what a fresh worker gives.
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CIN, reference as convReference } from '../../scripts/fixtures/conv-probe.js';
import { referenceGenerate } from '../../scripts/fixtures/tiny-lm.js';
import { reference as sentimentReference } from '../../scripts/fixtures/tiny-sentiment.js';
import type { Handler } from '../../src/node/serve/server.js';
import type { SessionHandle } from '../../src/index.js';
import { computeRevision, type Manifest } from '../../src/manifest/index.js';
import { useBrowser } from '../support/browser.js';
import { maxAbsDiff } from '../support/ort-reference.js';
import { MODELS_DIR } from '../support/paths.js';

const CAT = 'Once upon a time there was a cat';
// bytes that are no ONNX model; the manifest lists them with their true hash, so they verify
const GARBAGE = new TextEncoder().encode('this is not an onnx model, although its hash is in the manifest\n'.repeat(4));

/** `/models/garbled-sentiment/`: tiny-sentiment whose verified `onnx/model.onnx` does not parse. */
const garbledModel: Handler = (req, res, next) => {
  const match = /^\/models\/garbled-sentiment\/(.+)$/.exec((req.url ?? '').split('?')[0]!);
  if (!match) return next();
  const file = match[1]!;
  void (async () => {
    if (file === 'onnx/model.onnx') return res.end(GARBAGE);
    if (file !== 'manifest.json') return res.end(await readFile(join(MODELS_DIR, 'tiny-sentiment', file)));
    const manifest = JSON.parse(
      await readFile(join(MODELS_DIR, 'tiny-sentiment', 'manifest.json'), 'utf8'),
    ) as Manifest;
    const files = manifest.files.map((f) =>
      f.path === 'onnx/model.onnx'
        ? { path: f.path, size: GARBAGE.length, sha256: createHash('sha256').update(GARBAGE).digest('hex') }
        : f,
    );
    res.setHeader('Content-Type', 'application/json');
    res.end(JSON.stringify({ ...manifest, id: 'garbled-sentiment', files, revision: computeRevision(files) }));
  })();
};

const browser = useBrowser({ before: [garbledModel] });

/** What the three pipelines answer, as the page runs them (kept in the page as `window.recovery`). */
declare global {
  interface Window {
    recovery: {
      outputs(
        ai: ReturnType<typeof window.airlock.createRuntime>,
        options?: { device?: 'auto' | 'wasm' | 'webgpu' },
      ): Promise<Outputs>;
      /** what a fresh worker answers: the outputs of a runtime of its own, disposed after */
      fresh(options?: Parameters<typeof window.airlock.createRuntime>[0]): Promise<Outputs>;
    };
  }
}
interface Outputs {
  backends: string[];
  classified: unknown;
  generated: unknown;
  embedded: { type: string; dims: number[]; data: number[] };
}

async function openWithHelpers(path = '/') {
  const opened = await browser.open(path);
  await opened.page.evaluate((cat) => {
    window.recovery = {
      async outputs(ai, options = {}) {
        const classify = await ai.pipeline('text-classification', 'tiny-sentiment', options);
        const generate = await ai.pipeline('text-generation', 'tiny-lm', options);
        const embed = await ai.pipeline('feature-extraction', 'tiny-embed', options);
        const embedded = (await embed(['great film', 'rain and sun'], { pooling: 'mean', normalize: true })) as {
          type: string;
          dims: number[];
          data: Float32Array;
        };
        const out = {
          backends: [classify.backend, generate.backend, embed.backend],
          classified: await classify(['great film', 'boring plot'], { top_k: 2 }),
          generated: await generate(cat, { maxNewTokens: 32 }),
          embedded: { type: embedded.type, dims: embedded.dims, data: Array.from(embedded.data) },
        };
        await Promise.all([classify.unload(), generate.unload(), embed.unload()]);
        return out;
      },
      async fresh(options) {
        const ai = window.airlock.createRuntime(options);
        try {
          return await this.outputs(ai);
        } finally {
          await ai.dispose();
        }
      },
    };
  }, CAT);
  return opened;
}

/** The fixtures' own answers: what a working worker must give. */
function expectReferenceOutputs(out: Outputs, backend: string): void {
  expect(out.backends).toEqual([backend, backend, backend]);
  const classified = out.classified as { label: string; score: number }[][];
  ['great film', 'boring plot'].forEach((text, i) => {
    const want = sentimentReference(text);
    expect(classified[i]!.map((c) => c.label)).toEqual(want.map((w) => w.label));
    classified[i]!.forEach((c, j) => expect(c.score).toBeCloseTo(want[j]!.score, 4));
  });
  expect(out.generated).toEqual([{ generated_text: CAT + referenceGenerate(CAT) }]);
  expect(out.embedded.type).toBe('float32');
  expect(out.embedded.dims).toEqual([2, 6]);
}

describe(`recovery after a failed engine call (${browser.mode})`, () => {
  it('a classification that fails inside the engine (top_k -1) leaves every pipeline working, also after unload and reload', async () => {
    const { page } = await openWithHelpers();
    const got = await page.evaluate(async () => {
      const want = await window.recovery.fresh();

      const ai = window.airlock.createRuntime();
      const classify = await ai.pipeline('text-classification', 'tiny-sentiment');
      const generate = await ai.pipeline('text-generation', 'tiny-lm');
      const failed = await window.settle(classify('great film', { top_k: -1 }));
      // the same handles, right after the failure
      const classified = await window.settle(classify(['great film', 'boring plot'], { top_k: 2 }));
      const generated = await window.settle(generate('Once upon a time there was a cat', { maxNewTokens: 32 }));
      await classify.unload();
      await generate.unload();
      // every pipeline loaded again, and one never loaded before
      const after = await window.recovery
        .outputs(ai)
        .catch((e: { code?: string; message: string }) => `${e.code}: ${e.message}`);
      const models = (await ai.info()).models.length;
      await ai.dispose();
      return { want, failed, classified, generated, after, models };
    });
    console.log(`top_k -1: ${JSON.stringify(got.failed)}`);
    expect(got.failed.ok).toBe(false);
    expect(got.failed.ok === false && got.failed.code).toBe('BAD_INPUT');
    expectReferenceOutputs(got.want, browser.expectedBackend);
    expect(got.classified).toEqual({ ok: true, value: got.want.classified });
    expect(got.generated).toEqual({ ok: true, value: got.want.generated });
    expect(got.after).toEqual(got.want);
    expect(got.models).toBe(0);
  });

  it('a model whose verified .onnx does not parse fails to load, and the next loads work', async () => {
    const { page } = await openWithHelpers();
    const got = await page.evaluate(async () => {
      const want = await window.recovery.fresh();

      const ai = window.airlock.createRuntime();
      const garbled = await window.settle(ai.pipeline('text-classification', 'garbled-sentiment'));
      const again = await window.settle(ai.pipeline('text-classification', 'garbled-sentiment'));
      const after = await window.recovery
        .outputs(ai)
        .catch((e: { code?: string; message: string }) => `${e.code}: ${e.message}`);
      // raw sessions from the same runtime as well
      const garbledSession = await window.settle(ai.session('garbled-sentiment'));
      const session = await window.settle(ai.session('conv-probe').then((s) => s.inputNames));
      const models = (await ai.info()).models.map((m) => m.modelId);
      await ai.dispose();
      return { want, garbled, again, after, garbledSession, session, models };
    });
    console.log(`garbled load: ${JSON.stringify(got.garbled)}`);
    for (const failure of [got.garbled, got.again, got.garbledSession]) {
      expect(failure.ok).toBe(false);
      expect(failure.ok === false && failure.code).toBe('BACKEND_UNAVAILABLE');
    }
    expectReferenceOutputs(got.want, browser.expectedBackend);
    expect(got.after).toEqual(got.want);
    expect(got.session).toEqual({ ok: true, value: ['x'] });
    expect(got.models).toEqual(['conv-probe']);
  });

  it(
    browser.mode === 'webgpu'
      ? 'a pipeline whose WebGPU session fails to create falls back to WASM, and later loads and calls work'
      : 'without an adapter, auto loads on WASM, and later loads and calls work',
    async () => {
      const { page } = await openWithHelpers();
      const got = await page.evaluate(async () => {
        const want = await window.recovery.fresh({ device: 'wasm' });

        // the WebGPU session's creation fails inside the engine, where onnxruntime-web's would
        const ai = window.airlock.createRuntime({
          workerUrl: `${window.testWorkerUrl}?fail-webgpu-session`,
          device: 'auto',
        });
        const classify = await window.settle(
          ai
            .pipeline('text-classification', 'tiny-sentiment')
            .then((h) => ({ backend: h.backend, reason: h.fallbackReason })),
        );
        const after = await window.recovery
          .outputs(ai)
          .catch((e: { code?: string; message: string }) => `${e.code}: ${e.message}`);
        const session = await window.settle(
          ai.session('conv-probe').then((s) => ({ backend: s.backend, reason: s.fallbackReason })),
        );
        await ai.dispose();
        return { want, classify, after, session };
      });
      console.log(`fallback: ${JSON.stringify(got.classify)}`);
      expectReferenceOutputs(got.want, 'wasm');
      const why =
        browser.mode === 'webgpu'
          ? /^WebGPU failed, fell back to WASM: .*injected session fault/
          : /^no WebGPU adapter in this worker$/;
      for (const loaded of [got.classify, got.session]) {
        expect(loaded.ok).toBe(true);
        const value = (loaded as { value: { backend: string; reason?: string } }).value;
        expect(value.backend).toBe('wasm');
        expect(value.reason).toMatch(why);
      }
      expect(got.after).toEqual(got.want);
    },
  );

  it('a raw session run that fails inside onnxruntime-web leaves that session, and the pipelines, working', async () => {
    const { page } = await openWithHelpers();
    const length = 5;
    const x = Array.from({ length: CIN * length }, (_, i) => Math.sin(i) * 0.5);
    const got = await page.evaluate(
      async ({ x, cin, length }) => {
        const conv = (session: SessionHandle, data: number[], len: number) =>
          window.settle(
            session
              .run({ x: { type: 'float32', data: Float32Array.from(data), dims: [1, cin, len] } })
              .then((out) => Array.from(out.y!.data as Float32Array)),
          );
        const fresh = window.airlock.createRuntime();
        const freshConv = await conv(await fresh.session('conv-probe'), x, length);
        const freshClassify = await (
          await fresh.pipeline('text-classification', 'tiny-sentiment')
        )('great film', { top_k: 2 });
        await fresh.dispose();

        const ai = window.airlock.createRuntime();
        const session = await ai.session('conv-probe');
        const classify = await ai.pipeline('text-classification', 'tiny-sentiment');
        // a zero-length input passes the checks of names, types and fixed dims; Conv refuses it
        const failedRun = await conv(session, [], 0);
        const convAfter = await conv(session, x, length);
        const classifyAfter = await window.settle(classify('great film', { top_k: 2 }));
        const failedPipeline = await window.settle(classify('great film', { top_k: -1 }));
        const convAfterPipeline = await conv(session, x, length);
        await ai.dispose();
        return { freshConv, freshClassify, failedRun, convAfter, classifyAfter, failedPipeline, convAfterPipeline };
      },
      { x, cin: CIN, length },
    );
    console.log(`failed raw run: ${JSON.stringify(got.failedRun)}`);
    expect(got.failedRun.ok === false && got.failedRun.code).toBe('BAD_INPUT');
    expect(got.failedPipeline.ok === false && got.failedPipeline.code).toBe('BAD_INPUT');
    const rows = Array.from({ length: CIN }, (_, c) => x.slice(c * length, (c + 1) * length));
    expect(got.freshConv.ok).toBe(true);
    expect(maxAbsDiff((got.freshConv as { value: number[] }).value, convReference(rows).flat())).toBeLessThan(1e-5);
    expect(got.convAfter).toEqual(got.freshConv);
    expect(got.convAfterPipeline).toEqual(got.freshConv);
    expect(got.classifyAfter).toEqual({ ok: true, value: got.freshClassify });
  });
});
