// An abort that comes while the runtime's first call is still starting its worker stops that
// call: the signal is checked again once the worker is up, before the call is sent.
import { describe, expect, it } from 'vitest';
import { useBrowser } from '../support/browser.js';

const browser = useBrowser();

describe(`an abort while the worker starts (${browser.mode})`, () => {
  it('stops a prefetch, a models() call and a load made as the first call of a runtime', async () => {
    const { page } = await browser.open();
    const got = await page.evaluate(async () => {
      type Runtime = ReturnType<typeof window.airlock.createRuntime>;
      // a store of its own for each call: nothing another call stored is counted
      const outcome = async (name: string, call: (ai: Runtime, signal: AbortSignal) => Promise<unknown>) => {
        const ai = window.airlock.createRuntime({ cache: { name } });
        const controller = new AbortController();
        let settled = false;
        const pending = call(ai, controller.signal).then(
          () => 'resolved',
          (e: { code?: string; message?: string }) => e.code ?? e.message ?? 'no code',
        );
        void pending.finally(() => (settled = true));
        // a turn of the event loop: the worker is still starting, nothing has answered
        await new Promise((r) => setTimeout(r, 0));
        const settledBeforeAbort = settled;
        controller.abort();
        const result = await pending;
        const stored = await ai.cache.has('tiny-sentiment');
        await ai.dispose();
        return { settledBeforeAbort, result, stored };
      };
      return {
        prefetch: await outcome('abort-prefetch', (ai, signal) => ai.cache.prefetch('tiny-sentiment', { signal })),
        models: await outcome('abort-models', (ai, signal) => ai.models({ signal })),
        load: await outcome('abort-load', (ai, signal) =>
          ai.pipeline('text-classification', 'tiny-sentiment', { signal }),
        ),
      };
    });
    const stopped = { settledBeforeAbort: false, result: 'ABORTED', stored: false };
    expect(got).toEqual({ prefetch: stopped, models: stopped, load: stopped });
  });
});
