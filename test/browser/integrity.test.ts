// What a misbehaving model origin can do: every bad body, status and redirect gives its error,
// no unverified byte reaches an engine, nothing leaves the origin, and the worker stays usable.
import { describe, expect, it } from 'vitest';
import { reference as sentimentReference } from '../../scripts/fixtures/tiny-sentiment.js';
import { useBrowser } from '../support/browser.js';
import { CASES, misbehavingModels } from '../support/misbehaving.js';

const FOREIGN = 'http://127.0.0.2:9';
const browser = useBrowser({ before: [misbehavingModels(FOREIGN)] });

describe(`a misbehaving model origin (${browser.mode})`, () => {
  it('gives each failure its code, loads nothing, and the next good load works', async () => {
    const { page, recorder } = await browser.open();
    const got = await page.evaluate(
      async (cases) => {
        const results: Record<string, { pipeline: string; session: string; loadedAfter: number }> = {};
        const outcome = (p: Promise<unknown>) =>
          p.then(
            () => 'loaded',
            (e: { code?: string; message: string }) => `${e.code}: ${e.message}`,
          );
        for (const c of cases) {
          const ai = window.airlock.createRuntime({ modelBase: `/bad/${c}/` });
          const pipeline = await outcome(ai.pipeline('text-classification', 'tiny-sentiment'));
          const session = await outcome(ai.session('conv-probe'));
          // the worker still answers, with nothing half-loaded in it
          results[c] = { pipeline, session, loadedAfter: (await ai.info()).models.length };
          await ai.dispose();
        }
        const ai = window.airlock.createRuntime();
        const classify = await ai.pipeline('text-classification', 'tiny-sentiment');
        const label = ((await classify('great film', { top_k: 1 })) as { label: string }[])[0]!.label;
        const models = (await ai.info()).models.length;
        await ai.dispose();
        return { results, label, models };
      },
      [...CASES],
    );

    const file = (model: string) =>
      new RegExp(`^INTEGRITY_MISMATCH: onnx/model\\.onnx of "${model}" does not match its manifest$`);
    const status = (model: string, code: number) =>
      new RegExp(`^NETWORK: onnx/model\\.onnx of "${model}" answered HTTP ${code}$`);
    const expected: Record<string, RegExp[]> = {
      flip: [file('tiny-sentiment'), file('conv-probe')],
      long: [file('tiny-sentiment'), file('conv-probe')],
      html: [file('tiny-sentiment'), file('conv-probe')],
      // the connection may drop before or after the headers arrive: either way, nothing is loaded
      short: [/^(NETWORK|INTEGRITY_MISMATCH): .*tiny-sentiment.*/, /^(NETWORK|INTEGRITY_MISMATCH): .*conv-probe.*/],
      status500: [status('tiny-sentiment', 500), status('conv-probe', 500)],
      missing: [status('tiny-sentiment', 404), status('conv-probe', 404)],
      redirect: [
        /^NETWORK: Request to http:\/\/127\.0\.0\.1:\d+\/bad\/redirect\/tiny-sentiment\/onnx\/model\.onnx failed/,
        /^NETWORK: Request to .*conv-probe\/onnx\/model\.onnx failed/,
      ],
    };
    for (const c of CASES) {
      const [pipelinePattern, sessionPattern] = expected[c]!;
      expect(got.results[c]!.pipeline, c).toMatch(pipelinePattern!);
      expect(got.results[c]!.session, c).toMatch(sessionPattern!);
      expect(got.results[c]!.loadedAfter, c).toBe(0);
    }
    expect(got.label).toBe(sentimentReference('great film')[0]!.label);
    expect(got.models).toBe(1);
    // the redirect was refused inside the browser: no request ever went to the other origin
    expect(recorder.requests.filter((r) => r.url.startsWith(FOREIGN))).toEqual([]);
  });
});
