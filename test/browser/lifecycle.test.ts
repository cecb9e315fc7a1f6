// Lifecycle: several models at once, unload, dispose, a worker that dies, and the fallback
// from WebGPU to WASM.
import { describe, expect, it } from 'vitest';
import { referenceGenerate } from '../../scripts/fixtures/tiny-lm.js';
import { reference as sentimentReference } from '../../scripts/fixtures/tiny-sentiment.js';
import { useBrowser } from '../support/browser.js';

const browser = useBrowser();
const expectedBackend = browser.mode === 'webgpu' ? 'webgpu' : 'wasm';
const CAT = 'Once upon a time there was a cat';

describe(`lifecycle (${browser.mode})`, () => {
  it('keeps several models loaded, runs calls to one model in order, and frees them on unload', async () => {
    const { page } = await browser.open();
    const got = await page.evaluate(async (cat) => {
      const ai = window.airlock.createRuntime();
      const classify = await ai.pipeline('text-classification', 'tiny-sentiment');
      const generate = await ai.pipeline('text-generation', 'tiny-lm');
      const vad = await ai.session('conv-probe');
      const before = (await ai.info()).models.map((m) => m.modelId).sort();
      // calls issued together resolve in the order they were made
      const order: number[] = [];
      await Promise.all([0, 1, 2, 3].map((i) => classify(i % 2 ? 'awful' : 'great').then(() => order.push(i))));
      const story = ((await generate(cat, { maxNewTokens: 32 })) as { generated_text: string }[])[0]!.generated_text;
      await ai.unload('tiny-lm');
      await vad.unload();
      const after = (await ai.info()).models.map((m) => m.modelId);
      const afterUnload = await generate(cat).then(() => 'ran', (e: { code?: string; message: string }) => `${e.code}: ${e.message}`);
      const still = ((await classify('great film', { top_k: 1 })) as { label: string }[])[0]!.label;
      await ai.dispose();
      return { before, order, story, after, afterUnload, still };
    }, CAT);
    expect(got.before).toEqual(['conv-probe', 'tiny-lm', 'tiny-sentiment']);
    expect(got.order).toEqual([0, 1, 2, 3]);
    expect(got.story).toBe(CAT + referenceGenerate(CAT));
    expect(got.after).toEqual(['tiny-sentiment']);
    expect(got.afterUnload).toBe('BAD_INPUT: Model "tiny-lm" was unloaded; load it again');
    expect(got.still).toBe(sentimentReference('great film')[0]!.label);
  });

  it('rejects every call after dispose with DISPOSED', async () => {
    const { page } = await browser.open();
    const got = await page.evaluate(async () => {
      const ai = window.airlock.createRuntime();
      const classify = await ai.pipeline('text-classification', 'tiny-sentiment');
      await ai.dispose();
      const code = (p: Promise<unknown>) => p.then(() => 'resolved', (e: { code?: string }) => e.code);
      return [await code(classify('great')), await code(ai.info()), await code(ai.pipeline('text-classification', 'tiny-sentiment'))];
    });
    expect(got).toEqual(['DISPOSED', 'DISPOSED', 'DISPOSED']);
  });

  it('rejects pending calls with WORKER_CRASHED when the worker dies, then starts a new one and reloads', async () => {
    const { page } = await browser.open();
    const got = await page.evaluate(async (cat) => {
      const ai = window.airlock.createRuntime({ workerUrl: window.testWorkerUrl });
      const generate = await ai.pipeline('text-generation', 'tiny-lm');
      const classify = await ai.pipeline('text-classification', 'tiny-sentiment');
      // a long generation is running when the worker exits
      const pending = generate(cat, { maxNewTokens: 400, minNewTokens: 400 }).then(
        () => 'finished',
        (e: { code?: string }) => e.code,
      );
      await new Promise((r) => setTimeout(r, 100));
      new BroadcastChannel('airlock-test').postMessage('exit');
      const crashed = await pending;
      // the next calls start a new worker and load their models again
      const story = ((await generate(cat, { maxNewTokens: 32 })) as { generated_text: string }[])[0]!.generated_text;
      const label = ((await classify('great film', { top_k: 1 })) as { label: string }[])[0]!.label;
      const models = (await ai.info()).models.map((m) => m.modelId).sort();
      await ai.dispose();
      return { crashed, story, label, models };
    }, CAT);
    expect(got.crashed).toBe('WORKER_CRASHED');
    expect(got.story).toBe(CAT + referenceGenerate(CAT));
    expect(got.label).toBe('POSITIVE');
    expect(got.models).toEqual(['tiny-lm', 'tiny-sentiment']);
  });

  it(browser.mode === 'webgpu' ? 'falls back to WASM when WebGPU session creation fails, and says why' : 'uses WASM when there is no adapter, and says why', async () => {
    const { page } = await browser.open();
    const got = await page.evaluate(async () => {
      const ai = window.airlock.createRuntime({ workerUrl: `${window.testWorkerUrl}?fail-webgpu` });
      const classify = await ai.pipeline('text-classification', 'tiny-sentiment');
      const session = await ai.session('conv-probe');
      const scores = (await classify('great film', { top_k: 2 })) as { label: string; score: number }[];
      const info = await ai.info();
      const forced = await ai.pipeline('text-classification', 'tiny-sentiment', { device: 'webgpu' }).then(
        () => 'loaded',
        (e: { code?: string }) => e.code,
      );
      await ai.dispose();
      return { backends: [classify.backend, session.backend], reasons: [classify.fallbackReason, session.fallbackReason], scores, info, forced };
    });
    expect(got.backends).toEqual(['wasm', 'wasm']);
    const why = browser.mode === 'webgpu' ? /^WebGPU failed, fell back to WASM: .*injected fault/ : /^no WebGPU adapter in this worker$/;
    for (const reason of got.reasons) expect(reason).toMatch(why);
    expect(got.info.models.map((m) => m.fallbackReason)).toEqual(got.reasons);
    const want = sentimentReference('great film');
    got.scores.forEach((s, i) => expect(s.score).toBeCloseTo(want[i]!.score, 4));
    // asking for WebGPU explicitly does not fall back: it fails with a clear code
    expect(got.forced).toBe('BACKEND_UNAVAILABLE');
    expect(got.info.webgpu === null).toBe(browser.mode === 'nogpu');
    expect(expectedBackend).toBe(browser.mode === 'webgpu' ? 'webgpu' : 'wasm');
  });
});
