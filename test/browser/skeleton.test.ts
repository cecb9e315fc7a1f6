// The walking skeleton: a worker runs the tiny classifier through transformers.js and Silero VAD
// through a raw onnxruntime-web session, with every byte from the test server's origin.
import { describe, expect, it } from 'vitest';
import { reference as sentimentReference } from '../../scripts/fixtures/tiny-sentiment.js';
import { useBrowser } from '../support/browser.js';
import { silence, speechLike, tone } from '../../scripts/fixtures/signals.js';
import { FRAME, sileroReference } from '../support/silero-reference.js';

const browser = useBrowser();

describe(`walking skeleton (${browser.mode})`, () => {
  it('classifies text in the worker, matching the reference to 1e-4', async () => {
    const { page, recorder } = await browser.open();
    const texts = ['great film', 'awful, boring plot', 'unbelievable!', 'I hate this very terrible movie'];
    const result = await page.evaluate(async (texts) => {
      const ai = window.airlock.createRuntime();
      const classify = await ai.pipeline('text-classification', 'tiny-sentiment');
      const outputs = [];
      for (const t of texts) outputs.push(await classify(t, { top_k: 2 }));
      const info = await ai.info();
      await ai.dispose();
      return { outputs, backend: classify.backend, info };
    }, texts);

    expect(result.backend).toBe(browser.expectedBackend);
    texts.forEach((t, i) => {
      const got = result.outputs[i] as { label: string; score: number }[];
      const want = sentimentReference(t);
      expect(got.map((g) => g.label)).toEqual(want.map((w) => w.label));
      got.forEach((g, j) => expect(g.score).toBeCloseTo(want[j]!.score, 4));
    });
    expect(result.info.crossOriginIsolated).toBe(true);
    if (browser.mode === 'webgpu') expect(result.info.webgpu?.architecture).toBe('swiftshader');
    else expect(result.info.webgpu).toBeNull();

    // exactly the manifest, the files it lists, and the ORT runtime: nothing else
    const fetched = new Set(recorder.paths().filter((p) => !p.startsWith('/assets/') && p !== '/'));
    expect(fetched).toEqual(
      new Set([
        '/models/tiny-sentiment/manifest.json',
        '/models/tiny-sentiment/config.json',
        '/models/tiny-sentiment/tokenizer.json',
        '/models/tiny-sentiment/tokenizer_config.json',
        '/models/tiny-sentiment/onnx/model.onnx',
        '/airlock/ort/ort-wasm-simd-threaded.asyncify.mjs',
        '/airlock/ort/ort-wasm-simd-threaded.asyncify.wasm',
      ]),
    );
  });

  it('runs Silero VAD as a raw session, matching native onnxruntime to 1e-4', async () => {
    const { page } = await browser.open();
    const seconds = 0.5;
    const n = Math.floor((16000 * seconds) / FRAME) * FRAME;
    const signals = { silence: silence(n), tone: tone(n), speech: speechLike(n) };
    const got = await page.evaluate(
      async ({ signals, frame }) => {
        const ai = window.airlock.createRuntime();
        const vad = await ai.session('silero-vad');
        const probs: Record<string, number[]> = {};
        for (const [name, samples] of Object.entries(signals)) {
          let state = new Float32Array(256);
          probs[name] = [];
          for (let off = 0; off + frame <= samples.length; off += frame) {
            const out = await vad.run({
              input: { type: 'float32', data: Float32Array.from(samples.slice(off, off + frame)), dims: [1, frame] },
              state: { type: 'float32', data: state, dims: [2, 1, 128] },
              sr: { type: 'int64', data: BigInt64Array.from([16000n]), dims: [] },
            });
            probs[name].push((out.output!.data as Float32Array)[0]!);
            state = out.stateN!.data as Float32Array<ArrayBuffer>;
          }
        }
        await ai.dispose();
        return { probs, backend: vad.backend, inputs: vad.inputNames, fallback: vad.fallbackReason };
      },
      { signals: Object.fromEntries(Object.entries(signals).map(([k, v]) => [k, Array.from(v)])), frame: FRAME },
    );

    expect(got.inputs).toEqual(['input', 'state', 'sr']);
    for (const [name, samples] of Object.entries(signals)) {
      const want = await sileroReference(samples);
      expect(got.probs[name]!.length).toBe(want.length);
      got.probs[name]!.forEach((p, i) => expect(p, `${name} frame ${i}`).toBeCloseTo(want[i]!, 4));
    }
    // the signals are told apart: speech scores high, silence and a pure tone low
    const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
    expect(mean(got.probs.speech!)).toBeGreaterThan(0.5);
    expect(mean(got.probs.silence!)).toBeLessThan(0.1);
    expect(mean(got.probs.tone!)).toBeLessThan(0.3);
    console.log(`silero backend=${got.backend} fallback=${got.fallback ?? '-'}`);
  });
});
