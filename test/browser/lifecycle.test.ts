// Lifecycle: several models at once, unload, dispose, a worker that dies, and the fallback
// from WebGPU to WASM.
import { describe, expect, it } from 'vitest';
import { referenceGenerate } from '../../scripts/fixtures/tiny-lm.js';
import { reference as sentimentReference } from '../../scripts/fixtures/tiny-sentiment.js';
import { useBrowser } from '../support/browser.js';
import { naming } from '../support/outcome.js';

const browser = useBrowser();
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
      const afterUnload = await window.settle(generate(cat));
      const still = ((await classify('great film', { top_k: 1 })) as { label: string }[])[0]!.label;
      await ai.dispose();
      return { before, order, story, after, afterUnload, still };
    }, CAT);
    expect(got.before).toEqual(['conv-probe', 'tiny-lm', 'tiny-sentiment']);
    expect(got.order).toEqual([0, 1, 2, 3]);
    expect(got.story).toBe(CAT + referenceGenerate(CAT));
    expect(got.after).toEqual(['tiny-sentiment']);
    expect(got.afterUnload).toEqual({
      ok: false,
      code: 'BAD_INPUT',
      message: naming('"tiny-lm"'),
      details: { modelId: 'tiny-lm' },
    });
    expect(got.still).toBe(sentimentReference('great film')[0]!.label);
  });

  it('rejects every call after dispose with DISPOSED', async () => {
    const { page } = await browser.open();
    const got = await page.evaluate(async () => {
      const ai = window.airlock.createRuntime();
      const classify = await ai.pipeline('text-classification', 'tiny-sentiment');
      await ai.dispose();
      const code = (p: Promise<unknown>) =>
        p.then(
          () => 'resolved',
          (e: { code?: string }) => e.code,
        );
      return [
        await code(classify('great')),
        await code(ai.info()),
        await code(ai.pipeline('text-classification', 'tiny-sentiment')),
      ];
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
      const evidence = await ai.audit.export();
      await ai.dispose();
      return {
        crashed,
        story,
        label,
        models,
        workers: evidence.workers,
        complete: evidence.requests.complete,
        statement: evidence.egress.statement,
      };
    }, CAT);
    expect(got.crashed).toBe('WORKER_CRASHED');
    // the evidence says so: a worker stopped, and what it sent just before may be missing
    expect(got.workers).toEqual({ started: 2, crashed: 1 });
    expect(got.complete).toBe(false);
    expect(got.statement).toMatch(/The worker stopped unexpectedly 1 time\(s\)/);
    expect(got.story).toBe(CAT + referenceGenerate(CAT));
    expect(got.label).toBe('POSITIVE');
    expect(got.models).toEqual(['tiny-lm', 'tiny-sentiment']);
  });

  it(
    browser.mode === 'webgpu'
      ? 'falls back to WASM when WebGPU session creation fails, and says why'
      : 'uses WASM when there is no adapter, and says why',
    async () => {
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
        return {
          backends: [classify.backend, session.backend],
          reasons: [classify.fallbackReason, session.fallbackReason],
          scores,
          info,
          forced,
        };
      });
      expect(got.backends).toEqual(['wasm', 'wasm']);
      const why =
        browser.mode === 'webgpu'
          ? /^WebGPU failed, fell back to WASM: .*injected fault/
          : /^no WebGPU adapter in this worker$/;
      for (const reason of got.reasons) expect(reason).toMatch(why);
      expect(got.info.models.map((m) => m.fallbackReason)).toEqual(got.reasons);
      const want = sentimentReference('great film');
      got.scores.forEach((s, i) => expect(s.score).toBeCloseTo(want[i]!.score, 4));
      // asking for WebGPU explicitly does not fall back: it fails with a clear code
      expect(got.forced).toBe('BACKEND_UNAVAILABLE');
      expect(got.info.webgpu === null).toBe(browser.mode === 'nogpu');
    },
  );

  it('handles unload and dispose while calls are in flight, and aborts of queued calls and loads', async () => {
    const { page } = await browser.open();
    const got = await page.evaluate(async (cat) => {
      const code = (p: Promise<unknown>) =>
        p.then(
          () => 'resolved',
          (e: unknown) => (e as { code?: string }).code ?? `uncoded: ${String(e)}`,
        );
      const ai = window.airlock.createRuntime();
      const generate = await ai.pipeline('text-generation', 'tiny-lm');
      const classify = await ai.pipeline('text-classification', 'tiny-sentiment');
      // a classification queued behind a long generation, aborted while it waits
      const long = generate(cat, { maxNewTokens: 300, minNewTokens: 300 });
      const queued = new AbortController();
      const waiting = code(classify('great film', { signal: queued.signal }));
      const t0 = performance.now();
      queued.abort();
      const queuedCode = await waiting;
      const queuedMs = performance.now() - t0;
      await long;
      // a load aborted while it runs
      const loadAbort = new AbortController();
      const loading = code(ai.pipeline('fill-mask', 'tiny-mlm', { signal: loadAbort.signal }));
      loadAbort.abort();
      const loadCode = await loading;
      // unload while a call on that model runs: the call finishes or fails cleanly, and the model is gone
      const running = code(generate(cat, { maxNewTokens: 32 }));
      await generate.unload();
      const duringUnload = await running;
      const modelsAfterUnload = (await ai.info()).models.map((m) => m.modelId);
      // dispose while a call is in flight
      const inFlight = code(classify('great film'));
      await ai.dispose();
      const duringDispose = await inFlight;
      // a stream on a task that does not generate says so
      const ai2 = window.airlock.createRuntime();
      const classify2 = await ai2.pipeline('text-classification', 'tiny-sentiment');
      let streamCode = 'none';
      try {
        for await (const _ of classify2.stream('great')) void _;
      } catch (e) {
        streamCode = (e as { code?: string }).code ?? 'uncoded';
      }
      // a view into a larger buffer is copied, not detached
      const conv = await ai2.session('conv-probe');
      const recording = new Float32Array(9 * 8).fill(0.25);
      await conv.run({ x: { type: 'float32', data: recording.subarray(0, 9 * 4), dims: [1, 9, 4] } });
      const recordingBytes = recording.byteLength;
      await ai2.dispose();
      return {
        queuedCode,
        queuedMs,
        loadCode,
        duringUnload,
        modelsAfterUnload,
        duringDispose,
        streamCode,
        recordingBytes,
      };
    }, CAT);
    expect(got.queuedCode).toBe('ABORTED');
    // it left the queue at once, long before the 300-token generation ahead of it ended
    expect(got.queuedMs).toBeLessThan(1000);
    expect(got.loadCode).toBe('ABORTED');
    expect(['resolved', 'BAD_INPUT']).toContain(got.duringUnload);
    expect(got.modelsAfterUnload).toEqual(['tiny-sentiment']);
    expect(got.duringDispose).toBe('DISPOSED');
    expect(got.streamCode).toBe('UNSUPPORTED_TASK');
    expect(got.recordingBytes).toBe(9 * 8 * 4);
  });
});
