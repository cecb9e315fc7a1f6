// Models from an origin of their own: the page names it (`modelOrigin`, or an absolute model base
// and `allowedOrigins`), the model server answers that page with CORS, and a cut download resumes
// with Range across origins. The evidence lists both origins as allowed, and nothing else.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { referenceGenerate } from '../../scripts/fixtures/tiny-lm.js';
import { serve, type RunningServer } from '../../src/node/serve/server.js';
import type { Evidence } from '../../src/page/audit/evidence.js';
import { useBrowser } from '../support/browser.js';
import { flakyModels } from '../support/misbehaving.js';
import { MODELS_DIR } from '../support/paths.js';

const PROMPT = 'Once upon a time there was a robot';
const flaky = flakyModels();
const browser = useBrowser();
let models: RunningServer;

beforeAll(async () => {
  models = await serve({ modelsDir: MODELS_DIR, before: [flaky.handler], corsOrigins: [browser.origin] });
});
afterAll(() => models?.close());
beforeEach(() => flaky.reset());

async function generate(page: import('playwright-core').Page, options: Record<string, unknown>) {
  return page.evaluate(
    async ({ options, prompt }) => {
      const ai = window.airlock.createRuntime({ ...options, cache: { chunkBytes: 1024 } });
      const out = await window.settle(
        ai
          .pipeline('text-generation', 'tiny-lm')
          .then(async (g) => ((await g(prompt)) as { generated_text: string }[])[0]!.generated_text),
      );
      const evidence = await ai.audit.export();
      await ai.dispose();
      return { out, evidence };
    },
    { options, prompt: PROMPT },
  );
}

const origins = (e: Evidence) => e.requests.byOrigin.map((o) => [o.origin, o.allowed]);

describe(`a model origin of its own (${browser.mode})`, () => {
  it('loads from modelOrigin with CORS, resuming a cut download with Range', async () => {
    const { page, recorder } = await browser.open('/', [models.origin]);
    const { out, evidence } = await generate(page, { modelOrigin: models.origin, modelBase: '/flaky/cut5000/' });
    expect(out).toEqual({ ok: true, value: PROMPT + referenceGenerate(PROMPT) });
    // the cut whole-file request, then one Range request that picked up after what was kept
    const onnx = flaky.requests.filter((r) => r.url.endsWith('/tiny-lm/onnx/model.onnx'));
    expect(onnx.at(-1)!.range).toMatch(/^bytes=\d+-$/);
    expect(onnx.at(-1)!.status).toBe(206);
    expect(evidence.policy).toMatchObject({
      modelOrigin: models.origin,
      allowedOrigins: [browser.origin, models.origin],
      modelBase: `${models.origin}/flaky/cut5000/`,
    });
    expect(origins(evidence)).toEqual([
      [browser.origin, true],
      [models.origin, true],
    ]);
    expect(evidence.models[0]!.manifest.url).toBe(`${models.origin}/flaky/cut5000/tiny-lm/manifest.json`);
    expect(evidence.egress.none).toBe(true);
    // the page's own origin served the worker and the runtime files, the model origin the rest
    const byOrigin = (o: string) =>
      recorder.requests.filter((r) => r.url.startsWith(o)).map((r) => new URL(r.url).pathname);
    expect(byOrigin(models.origin).every((p) => p.startsWith('/flaky/cut5000/tiny-lm/'))).toBe(true);
    expect(byOrigin(browser.origin).filter((p) => p.startsWith('/models/'))).toEqual([]);
  });

  it('takes an absolute model base on an origin in allowedOrigins, and refuses it otherwise', async () => {
    const { page, recorder } = await browser.open('/', [models.origin]);
    const base = `${models.origin}/flaky/ok/`;
    const refused = await generate(page, { modelBase: base });
    expect(refused.out).toMatchObject({
      ok: false,
      code: 'EGRESS_BLOCKED',
      details: { url: `${base}tiny-lm/manifest.json` },
    });
    expect(recorder.requests.filter((r) => r.url.startsWith(models.origin))).toEqual([]);
    const allowed = await generate(page, { modelBase: base, allowedOrigins: [models.origin] });
    expect(allowed.out).toEqual({ ok: true, value: PROMPT + referenceGenerate(PROMPT) });
    expect(origins(allowed.evidence)).toEqual([
      [browser.origin, true],
      [models.origin, true],
    ]);
  });

  it('fails with NETWORK, not silently, when the model origin does not allow the page (no CORS)', async () => {
    const strangers = await serve({ modelsDir: MODELS_DIR });
    try {
      const { page } = await browser.open('/', [strangers.origin]);
      const { out, evidence } = await generate(page, { modelOrigin: strangers.origin });
      expect(out).toMatchObject({ ok: false, code: 'NETWORK' });
      // the browser sent the request and refused the answer: the evidence lists it, allowed, status 0
      const listed = evidence.requests.byOrigin.find((o) => o.origin === strangers.origin)!;
      expect(listed.requests.map((r) => [new URL(r.url).pathname, r.status])).toEqual([
        ['/models/tiny-lm/manifest.json', 0],
      ]);
    } finally {
      await strangers.close();
    }
  });
});
