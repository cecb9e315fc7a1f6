// The store notes when a model was last used (for eviction). When that note cannot be written,
// the load still succeeds: the files were verified and the engine is built, and failing there
// would leave that engine without an owner.
import { describe, expect, it } from 'vitest';
import { useBrowser } from '../../support/browser.js';

const browser = useBrowser();

describe(`a store that cannot note a model's last use (${browser.mode})`, () => {
  it('still loads and runs the model, a pipeline and a raw session alike', async () => {
    const { page } = await browser.open();
    const got = await page.evaluate(async () => {
      const ai = window.airlock.createRuntime({
        workerUrl: `${window.testWorkerUrl}?fail-touch`,
        cache: { name: 'touch-failure' },
      });
      const classified = await window.settle(
        ai.pipeline('text-classification', 'tiny-sentiment').then((classify) => classify('great film')),
      );
      const ran = await window.settle(
        ai.session('silero-vad').then(async (s) => {
          const out = await s.run({
            input: { type: 'float32', data: new Float32Array(576), dims: [1, 576] },
            state: { type: 'float32', data: new Float32Array(256), dims: [2, 1, 128] },
            sr: { type: 'int64', data: new BigInt64Array([16000n]), dims: [] },
          });
          return out.stateN!.dims;
        }),
      );
      const stored = (await ai.cache.list()).map((m) => m.id).sort();
      await ai.dispose();
      return { classified, ran, stored };
    });
    expect(got.classified).toMatchObject({ ok: true, value: [{ label: 'POSITIVE' }] });
    expect(got.ran).toEqual({ ok: true, value: [2, 1, 128] });
    expect(got.stored).toEqual(['silero-vad', 'tiny-sentiment']);
  });
});
