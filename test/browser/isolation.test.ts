// A page without cross-origin isolation still works, on one WASM thread, and info() says why.
import { describe, expect, it } from 'vitest';
import { reference as sentimentReference } from '../../scripts/fixtures/tiny-sentiment.js';
import { useBrowser } from '../support/browser.js';

const browser = useBrowser({ isolate: false });

describe(`without cross-origin isolation (${browser.mode})`, () => {
  it('runs on one thread and notes it', async () => {
    const { page } = await browser.open();
    const got = await page.evaluate(async () => {
      const ai = window.airlock.createRuntime({ device: 'wasm' });
      const classify = await ai.pipeline('text-classification', 'tiny-sentiment');
      const scores = (await classify('great film', { top_k: 2 })) as { label: string; score: number }[];
      const info = await ai.info();
      await ai.dispose();
      return { scores, info, pageIsolated: crossOriginIsolated };
    });
    expect(got.pageIsolated).toBe(false);
    expect(got.info.crossOriginIsolated).toBe(false);
    expect(got.info.wasmThreads).toBe(1);
    expect(got.info.device).toBe('wasm');
    expect(got.info.notes).toEqual(['The page is not cross-origin isolated (COOP/COEP): WASM runs on one thread.']);
    const want = sentimentReference('great film');
    got.scores.forEach((s, i) => expect(s.score).toBeCloseTo(want[i]!.score, 4));
  });
});
