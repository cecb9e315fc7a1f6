// The audit trail against what the browser really did: the evidence lists exactly the requests the
// recorder saw, models with their manifests' hashes, and no prompt; a foreign model base, runtime
// base or manifest entry is refused before any request; a request that bypasses the library
// turns the evidence's "no egress" statement false.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { CIN, reference as convReference } from '../../scripts/fixtures/conv-probe.js';
import { reference as sentimentReference } from '../../scripts/fixtures/tiny-sentiment.js';
import { computeRevision, type Manifest } from '../../src/manifest/index.js';
import type { Evidence } from '../../src/page/audit/evidence.js';
import type { Handler } from '../../src/node/serve/server.js';
import { useBrowser } from '../support/browser.js';
import { maxAbsDiff } from '../support/ort-reference.js';
import type { RequestRecorder } from '../support/egress.js';
import { MODELS_DIR, ROOT } from '../support/paths.js';

const FOREIGN = 'http://127.0.0.2:9';
const PROMPT = 'a secret prompt about great films';

const manifestOf = (id: string) =>
  JSON.parse(readFileSync(resolve(MODELS_DIR, id, 'manifest.json'), 'utf8')) as Manifest;
const versionOf = (pkg: string) =>
  (JSON.parse(readFileSync(resolve(ROOT, 'node_modules', pkg, 'package.json'), 'utf8')) as { version: string }).version;

// a manifest that is valid in every way but one: a file that lives on another origin
const elsewhere: Handler = (req, res, next) => {
  if (req.url !== '/evil/elsewhere/manifest.json') return next();
  const files = [{ path: `${FOREIGN}/model.onnx`, size: 4, sha256: '0'.repeat(64) }];
  const manifest = {
    schema: 1,
    id: 'elsewhere',
    task: 'text-classification',
    revision: computeRevision(files),
    source: 'test',
    license: 'MIT',
    files,
  };
  res.setHeader('Content-Type', 'application/json');
  res.end(JSON.stringify(manifest));
};

const browser = useBrowser({ before: [elsewhere] });

/** The recorder's requests from `from` on, as sorted URLs. */
function recorded(recorder: RequestRecorder, from: number): string[] {
  return recorder.requests
    .slice(from)
    .map((r) => r.url)
    .sort();
}

function listed(evidence: Evidence): string[] {
  return evidence.requests.byOrigin.flatMap((o) => o.requests.map((r) => r.url)).sort();
}

async function refusedLoad(page: Page, options: Record<string, unknown>, modelId = 'tiny-sentiment') {
  return page.evaluate(
    async ({ options, modelId }) => {
      const ai = window.airlock.createRuntime(options);
      const outcome = await window.settle(ai.pipeline('text-classification', modelId));
      const evidence = await ai.audit.export();
      await ai.dispose();
      return { outcome, evidence };
    },
    { options, modelId },
  );
}

describe(`audit trail (${browser.mode})`, () => {
  it('lists exactly the requests the browser made, the models with their hashes, and no prompt', async () => {
    const { page, recorder } = await browser.open();
    const before = recorder.requests.length;
    const length = 4;
    const channels = Array.from({ length: CIN }, (_, c) => Array.from({ length }, (_, t) => Math.sin(c * length + t)));
    const x = channels.flat();
    const got = await page.evaluate(
      async ({ prompt, x, dims }) => {
        const live: string[] = [];
        const ai = window.airlock.createRuntime({ onAudit: (e) => live.push(e.type) });
        // each call's events reach the page before its result does
        const classify = await ai.pipeline('text-classification', 'tiny-sentiment');
        const afterLoad = live.includes('load');
        const label = ((await classify(prompt)) as { label: string }[])[0]!.label;
        const afterRun = live.includes('run');
        const conv = await ai.session('conv-probe');
        const y = Array.from(
          (await conv.run({ x: { type: 'float32', data: Float32Array.from(x), dims } })).y!.data as Float32Array,
        );
        const evidence = await ai.audit.export();
        const held = ai.audit.events().map((e) => e.type);
        await ai.dispose();
        return { label, y, evidence, live, held, afterLoad, afterRun };
      },
      { prompt: PROMPT, x, dims: [1, CIN, length] },
    );
    const { evidence } = got;
    expect(got.label).toBe(sentimentReference(PROMPT)[0]!.label);
    expect(maxAbsDiff(got.y, convReference(channels).flat())).toBeLessThan(1e-4);

    // every request the browser saw after the page was up, and nothing else
    expect(listed(evidence)).toEqual(recorded(recorder, before));
    expect(evidence.requests.total).toBe(recorder.requests.length - before);
    const paths = listed(evidence).map((u) => new URL(u).pathname);
    expect(paths.filter((p) => p.startsWith('/airlock/ort/')).sort()).toEqual([
      '/airlock/ort/ort-wasm-simd-threaded.asyncify.mjs',
      '/airlock/ort/ort-wasm-simd-threaded.asyncify.wasm',
    ]);
    expect(paths.filter((p) => p.startsWith('/assets/'))).toHaveLength(1); // the worker script
    expect(evidence.requests.byOrigin).toHaveLength(1);
    const own = evidence.requests.byOrigin[0]!;
    expect(own).toMatchObject({ origin: browser.origin, allowed: true });
    for (const r of own.requests) expect(r.status, r.url).toBe(200);
    // bytes as sent: each model file's size, as its manifest says (the session needs its .onnx only)
    const fetched = [
      ...manifestOf('tiny-sentiment').files.map((f) => ['tiny-sentiment', f] as const),
      ...manifestOf('conv-probe')
        .files.filter((f) => f.path.endsWith('.onnx'))
        .map((f) => ['conv-probe', f] as const),
    ];
    for (const [id, f] of fetched) {
      expect(
        own.requests.find((r) => r.url === `${browser.origin}/models/${id}/${f.path}`)?.bytes,
        `${id}/${f.path}`,
      ).toBe(f.size);
    }
    expect(evidence.egress).toMatchObject({ none: true, outsideRequests: 0, outsideOrigins: [] });
    expect(evidence.egress.statement).toMatch(
      new RegExp(
        `^All ${evidence.requests.total} request\\(s\\) the library made went to allowed origins \\(${browser.origin.replace(/\./g, '\\.')}\\)`,
      ),
    );

    // the models, with their manifests' provenance and every file's hash
    const sentiment = manifestOf('tiny-sentiment');
    const conv = manifestOf('conv-probe');
    expect(evidence.models.map((m) => [m.modelId, m.kind, m.manifest.revision])).toEqual([
      ['tiny-sentiment', 'pipeline', sentiment.revision],
      ['conv-probe', 'session', conv.revision],
    ]);
    expect(evidence.models[0]!.manifest).toEqual({
      url: `${browser.origin}/models/tiny-sentiment/manifest.json`,
      from: 'network',
      revision: sentiment.revision,
      source: sentiment.source,
      license: sentiment.license,
    });
    expect(evidence.models[0]!.files).toEqual(sentiment.files.map((f) => ({ ...f, source: 'network' })));
    const backend = browser.expectedBackend;
    expect(evidence.models.map((m) => m.backend)).toEqual([backend, backend]);
    // every downloaded file verified once as stored; the session's file again as read
    const verified = evidence.verifications.events.filter((v) => v.stage === 'download');
    expect(verified.map((v) => `${v.modelId}/${v.path} ${v.sha256}`).sort()).toEqual(
      [
        ...sentiment.files.map((f) => `tiny-sentiment/${f.path} ${f.sha256}`),
        ...conv.files.map((f) => `conv-probe/${f.path} ${f.sha256}`),
      ].sort(),
    );
    expect(evidence.verifications.failed).toBe(0);

    // versions, the policy, the runs: sizes, never the data
    expect(evidence.software).toMatchObject({
      library: { name: 'airlock', version: versionOf('..') },
      transformersJs: versionOf('@huggingface/transformers'),
      onnxruntimeWeb: versionOf('onnxruntime-web'),
    });
    expect(evidence.policy).toMatchObject({
      pageOrigin: browser.origin,
      modelOrigin: browser.origin,
      allowedOrigins: [browser.origin],
      modelBase: `${browser.origin}/models/`,
      runtimeBase: `${browser.origin}/airlock/ort/`,
    });
    expect(evidence.runs.events.map((r) => [r.modelId, r.ok, r.inputBytes])).toEqual([
      ['tiny-sentiment', true, new TextEncoder().encode(PROMPT).byteLength],
      // the tensor's data, its type name and its three dims
      ['conv-probe', true, CIN * length * 4 + 'float32'.length + 3 * 8],
    ]);
    expect(JSON.stringify(evidence)).not.toContain('secret');
    // and the prompt went nowhere: every request the browser saw was a GET for a file, none carried it
    expect(recorder.requests.filter((r) => r.method !== 'GET' || r.url.includes('secret'))).toEqual([]);
    expect(evidence.denials).toEqual([]);
    // the page heard every event as it happened, and the log holds them all
    expect([got.afterLoad, got.afterRun]).toEqual([true, true]);
    expect(got.live).toEqual(got.held);
    expect(got.held.filter((t) => t === 'worker')).toEqual(['worker']);
    expect(evidence.workers).toEqual({ started: 1, crashed: 0 });
    expect(evidence.requests.complete).toBe(true);
    expect(evidence.log).toEqual({ held: got.held.length, dropped: 0, maxEvents: 1000 });
  });

  it('refuses a model base, a runtime base or a manifest entry on another origin before any request', async () => {
    const { page, recorder } = await browser.open();
    const before = recorder.requests.length;
    const foreignModels = await refusedLoad(page, { modelBase: `${FOREIGN}/models/` });
    const foreignRuntime = await refusedLoad(page, { runtimeBase: `${FOREIGN}/ort/` });
    const foreignFile = await refusedLoad(page, { modelBase: '/evil/' }, 'elsewhere');

    expect(foreignModels.outcome).toMatchObject({
      ok: false,
      code: 'EGRESS_BLOCKED',
      details: { url: `${FOREIGN}/models/tiny-sentiment/manifest.json` },
    });
    expect(foreignModels.evidence.denials).toEqual([
      expect.objectContaining({
        url: `${FOREIGN}/models/tiny-sentiment/manifest.json`,
        reason: 'its origin is not in the policy',
      }),
    ]);
    expect(foreignRuntime.outcome).toMatchObject({
      ok: false,
      code: 'EGRESS_BLOCKED',
      details: { url: `${FOREIGN}/ort/` },
    });
    expect(foreignRuntime.evidence.denials).toEqual([expect.objectContaining({ url: `${FOREIGN}/ort/` })]);
    expect(foreignFile.outcome).toMatchObject({
      ok: false,
      code: 'EGRESS_BLOCKED',
      details: { url: `${FOREIGN}/model.onnx`, modelId: 'elsewhere' },
    });
    expect(foreignFile.evidence.denials).toEqual([
      expect.objectContaining({ url: `${FOREIGN}/model.onnx`, modelId: 'elsewhere' }),
    ]);
    for (const { evidence } of [foreignModels, foreignRuntime, foreignFile]) {
      expect(evidence.egress.none).toBe(true);
      expect(evidence.egress.statement).toMatch(/1 request\(s\) were refused by the policy before they were sent/);
      expect(evidence.models).toEqual([]);
    }
    // nothing went anywhere but the page's origin, and the evidence lists what did
    expect(recorder.foreign()).toEqual([]);
    expect([foreignModels, foreignRuntime, foreignFile].flatMap((r) => listed(r.evidence)).sort()).toEqual(
      recorded(recorder, before),
    );
  });

  it('says so when a request left the allowed origins', async () => {
    const { page, recorder } = await browser.open();
    const before = recorder.requests.length;
    const leak = `${FOREIGN}/leak?size=${PROMPT.length}`;
    const evidence = await page.evaluate(
      async ({ leak }) => {
        const ai = window.airlock.createRuntime({ workerUrl: window.testWorkerUrl });
        await ai.pipeline('text-classification', 'tiny-sentiment');
        // code in the worker that goes around the library's fetch
        new BroadcastChannel('airlock-test').postMessage({ bypass: leak });
        for (let i = 0; i < 100; i++) {
          const evidence = await ai.audit.export();
          if (!evidence.egress.none) return (await ai.dispose(), evidence);
          await new Promise((r) => setTimeout(r, 50));
        }
        throw new Error('the request never showed up in the evidence');
      },
      { leak },
    );
    expect(evidence.egress).toMatchObject({ none: false, outsideRequests: 1, outsideOrigins: [FOREIGN] });
    expect(evidence.egress.statement).toBe(
      `1 of ${evidence.requests.total} request(s) went outside the allowed origins: 1 to ${FOREIGN}. No request was refused.`,
    );
    const outside = evidence.requests.byOrigin.find((o) => o.origin === FOREIGN)!;
    expect(outside).toMatchObject({
      allowed: false,
      count: 1,
      requests: [expect.objectContaining({ url: leak, status: 0 })],
    });
    // the evidence and the recorder agree, the leak included (the browser blocked it here)
    expect(listed(evidence)).toEqual(recorded(recorder, before));
    const foreign = recorder.takeForeign();
    expect(foreign.map((r) => r.url)).toEqual([leak]);
    expect(foreign[0]!.failure).toMatch(/^net::ERR_BLOCKED_BY_CLIENT/);
  });
});
