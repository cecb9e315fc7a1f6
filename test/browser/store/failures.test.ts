// The store against an origin that misbehaves: cut connections resume with Range requests, wrong
// bodies leave nothing behind, and a chunk changed behind the store's back is caught. After each
// case the database itself is read (with plain IndexedDB and WebCrypto) to see what it holds.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { referenceGenerate } from '../../../scripts/fixtures/tiny-lm.js';
import type { Manifest } from '../../../src/manifest/types.js';
import type { Page } from 'playwright-core';
import { useBrowser } from '../../support/browser.js';
import { generateIn } from '../../support/generate.js';
import { flakyModels } from '../../support/misbehaving.js';
import { storedFile, storeOf } from '../../support/model-store.js';
import { failure } from '../../support/outcome.js';
import { MODELS_DIR } from '../../support/paths.js';

const flaky = flakyModels();
const browser = useBrowser({ before: [flaky.handler] });
const PROMPT = 'Once upon a time there was a robot';
const manifest = JSON.parse(readFileSync(join(MODELS_DIR, 'tiny-lm/manifest.json'), 'utf8')) as Manifest;
const onnx = manifest.files.find((f) => f.path === 'onnx/model.onnx')!;
const onnxBytes = readFileSync(join(MODELS_DIR, 'tiny-lm', onnx.path));
const sha256 = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');
/** the requests for the model file, as the origin saw them */
const onnxRequests = () => flaky.requests.filter((r) => r.url.endsWith('/tiny-lm/onnx/model.onnx'));

/** In the page: loads tiny-lm from `base` (1 kB chunks) and generates, or says which error it got. */
const generateFrom = (page: Page, base: string, options: { revalidate?: boolean } = {}) =>
  generateIn(page, { base, prompt: PROMPT, ...options });
const STORY = { ok: true, value: PROMPT + referenceGenerate(PROMPT) };
/** the model file's URL under a base of the misbehaving origin */
const onnxUrl = (base: string) => `${browser.origin}${base}tiny-lm/onnx/model.onnx`;

beforeEach(() => {
  flaky.reset();
  flaky.down(false);
});

describe('the model store against a misbehaving origin', () => {
  it('resumes a cut connection with a Range request in the same load, and commits only verified bytes', async () => {
    const { page } = await browser.open();
    const got = await generateFrom(page, '/flaky/cut5000/');
    expect(got).toEqual(STORY);
    // whole-file requests are all cut (the browser may repeat one by itself); the rest came in
    // one Range request that started after what was kept
    const requests = onnxRequests();
    const resume = requests.at(-1)!;
    expect(
      requests.slice(0, -1).every((r) => r.range === undefined && r.status === 200 && r.bytesSent === 5000),
      JSON.stringify(requests),
    ).toBe(true);
    const resumedAt = Number(/^bytes=(\d+)-$/.exec(resume.range ?? '')?.[1]);
    expect(resumedAt).toBeGreaterThan(0);
    expect(resumedAt).toBeLessThanOrEqual(5000);
    expect(resume).toMatchObject({ status: 206, bytesSent: onnx.size - resumedAt });

    const store = await storeOf(page);
    const file = store!.files.find((f) => f.sha256 === onnx.sha256)!;
    expect(file).toMatchObject({
      state: 'complete',
      size: onnx.size,
      stored: onnx.size,
      chunkBytes: onnx.size,
      digest: onnx.sha256,
    });
    expect(store!.files.every((f) => f.state === 'complete' && f.digest === f.sha256)).toBe(true);
    expect(store!.files.map((f) => f.sha256).sort()).toEqual(manifest.files.map((f) => f.sha256).sort());
    expect(store!.orphanChunks).toBe(0);
  });

  it('keeps a verified prefix when the origin keeps failing, and finishes it later from any base', async () => {
    const { page } = await browser.open();
    const failed = await generateFrom(page, '/flaky/cutalways3000/');
    expect(failed).toMatchObject({ ok: false, code: 'NETWORK', details: { url: onnxUrl('/flaky/cutalways3000/') } });
    // a first try and retries, each from what was stored so far (the browser itself may also
    // repeat a request whose connection broke, and may drop the bytes it had in hand)
    const tries = onnxRequests();
    expect(tries.length, JSON.stringify(tries)).toBeGreaterThanOrEqual(3);
    expect(tries[0]!.range).toBeUndefined();
    const starts = tries.map((r) => Number(/^bytes=(\d+)-$/.exec(r.range ?? '')?.[1] ?? 0));
    expect(starts).toEqual([...starts].sort((a, b) => a - b));
    expect(starts.at(-1)).toBeGreaterThan(0);

    const partial = (await storedFile(page, onnx.sha256))!;
    expect(partial.state).toBe('partial');
    expect(partial.stored).toBeGreaterThan(3000);
    expect(partial.stored).toBeLessThan(onnx.size);
    // what is stored is exactly the start of the real file
    expect(partial.chunkBytes).toBe(partial.stored);
    expect(partial.digest).toBe(sha256(onnxBytes.subarray(0, partial.stored)));
    expect((await storeOf(page))!.models).toEqual([]);

    // files are stored by hash: a healthy base with the same manifest picks up the same bytes
    flaky.reset();
    expect(await generateFrom(page, '/flaky/ok/')).toEqual(STORY);
    expect(onnxRequests().map((r) => r.range)).toEqual([`bytes=${partial.stored}-`]);
    expect(await storedFile(page, onnx.sha256)).toMatchObject({ state: 'complete', digest: onnx.sha256 });
  });

  it('starts over when the origin ignores Range, and still verifies the whole file', async () => {
    const { page } = await browser.open();
    await generateFrom(page, '/flaky/cutalways3000/');
    const stored = (await storedFile(page, onnx.sha256))!.stored;
    expect(stored).toBeGreaterThan(0);
    flaky.reset();
    expect(await generateFrom(page, '/flaky/norange/')).toEqual(STORY);
    expect(onnxRequests()).toEqual([
      { url: '/flaky/norange/tiny-lm/onnx/model.onnx', range: `bytes=${stored}-`, status: 200, bytesSent: onnx.size },
    ]);
    const file = (await storedFile(page, onnx.sha256))!;
    expect(file).toMatchObject({ state: 'complete', chunkBytes: onnx.size, digest: onnx.sha256 });
  });

  it('stores nothing of a wrong body or a failing status', async () => {
    const { page } = await browser.open();
    // every file but the manifest is bad, so the load stops at the first one
    const first = manifest.files[0]!;
    const mismatch = {
      code: 'INTEGRITY_MISMATCH',
      details: { path: first.path, expected: { size: first.size, sha256: first.sha256 } },
    };
    const cases = {
      html: mismatch,
      flip: mismatch,
      status500: {
        code: 'NETWORK',
        details: { url: `${browser.origin}/flaky/status500/tiny-lm/${first.path}`, status: 500 },
      },
    };
    for (const [mode, expected] of Object.entries(cases)) {
      const got = await generateFrom(page, `/flaky/${mode}/`);
      expect(got, mode).toMatchObject({ ok: false, ...expected });
      // of the bad file there is no record and no chunk; nothing else was reached
      const store = (await storeOf(page))!;
      expect([store.files, store.orphanChunks, store.models], mode).toEqual([[], 0, []]);
    }
    // the HTML page's 50 bytes were counted against the manifest, not taken as the file
    expect(failure(await generateFrom(page, '/flaky/html/'), 'html').details).toMatchObject({
      expected: { size: first.size, sha256: first.sha256 },
      actual: { size: 50 },
    });
  });

  it('gives NETWORK when the origin goes away mid-file, keeps the prefix, and resumes when it is back', async () => {
    const { page } = await browser.open();
    // the origin dies while the model file is on its way (1 kB every 100 ms)
    const watcher = setInterval(() => (onnxRequests()[0]?.bytesSent ?? 0) >= 4096 && flaky.down(true), 5);
    const failed = await generateFrom(page, '/flaky/slow1024/');
    clearInterval(watcher);
    // the request failed outright, or its body broke off: NETWORK for the model file either way
    expect(failed).toMatchObject({ ok: false, code: 'NETWORK', details: { url: onnxUrl('/flaky/slow1024/') } });
    // the chunks that had arrived stayed
    const stored = (await storedFile(page, onnx.sha256))!.stored;
    expect(stored).toBeGreaterThanOrEqual(2048);

    flaky.down(false);
    flaky.reset();
    expect(await generateFrom(page, '/flaky/ok/')).toEqual(STORY);
    expect(onnxRequests().map((r) => r.range)).toEqual([`bytes=${stored}-`]);
  });

  it('catches a chunk changed behind its back: verify() drops it, a load fetches it again, offline it refuses', async () => {
    const { page } = await browser.open();
    expect(await generateFrom(page, '/flaky/ok/')).toEqual(STORY);
    await page.evaluate((sha) => window.storeProbe.tamper('airlock-models', sha, 3, 10), onnx.sha256);

    const report = await page.evaluate(async () => {
      const ai = window.airlock.createRuntime({ modelBase: '/flaky/ok/' });
      const before = await ai.cache.has('tiny-lm');
      const checked = await ai.cache.verify('tiny-lm');
      const after = await ai.cache.has('tiny-lm');
      const { verifications } = await ai.audit.export();
      await ai.dispose();
      return { before, checked, after, verifications };
    });
    expect(report.before).toBe(true);
    expect(report.checked!.ok).toBe(false);
    expect(report.checked!.files.filter((f) => !f.ok)).toEqual([
      { path: 'onnx/model.onnx', sha256: onnx.sha256, ok: false, problem: 'mismatch' },
    ]);
    expect(report.checked!.files.filter((f) => f.ok)).toHaveLength(manifest.files.length - 1);
    expect(report.after).toBe(false);
    expect(await storedFile(page, onnx.sha256)).toBeUndefined();
    // the audit trail has each file's check, the failed one with what was wrong
    expect(report.verifications.total).toBe(manifest.files.length);
    expect(report.verifications.events.filter((v) => !v.ok)).toEqual([
      expect.objectContaining({
        modelId: 'tiny-lm',
        path: 'onnx/model.onnx',
        sha256: onnx.sha256,
        ok: false,
        stage: 'check',
        problem: 'mismatch',
      }),
    ]);

    // a load fetches the dropped file again, and only that file
    flaky.reset();
    expect(await generateFrom(page, '/flaky/ok/')).toEqual(STORY);
    expect(flaky.requests.map((r) => r.url)).toEqual([
      '/flaky/ok/tiny-lm/manifest.json',
      '/flaky/ok/tiny-lm/onnx/model.onnx',
    ]);

    // changed again, caught on load this time (every read re-hashes): online it heals itself...
    await page.evaluate((sha) => window.storeProbe.tamper('airlock-models', sha, 0, 0), onnx.sha256);
    flaky.reset();
    const healed = await page.evaluate(async (prompt) => {
      const ai = window.airlock.createRuntime({ modelBase: '/flaky/ok/', cache: { chunkBytes: 1024 } });
      const generate = await ai.pipeline('text-generation', 'tiny-lm');
      const text = ((await generate(prompt)) as { generated_text: string }[])[0]!.generated_text;
      const evidence = await ai.audit.export();
      await ai.dispose();
      const checks = evidence.verifications.events.filter((v) => v.path === 'onnx/model.onnx');
      return {
        text,
        checks: checks.map((v) => [v.stage, v.ok, v.actual ?? null]),
        source: evidence.models[0]!.files.find((f) => f.path === 'onnx/model.onnx')!.source,
      };
    }, PROMPT);
    expect(healed.text).toBe(PROMPT + referenceGenerate(PROMPT));
    // on the record: the read that failed (with the hash it found), the download, the read that passed
    expect(healed.checks).toEqual([
      ['read', false, expect.stringMatching(/^[0-9a-f]{64}$/)],
      ['download', true, null],
      ['read', true, null],
    ]);
    expect(healed.checks[0]![2]).not.toBe(onnx.sha256);
    expect(healed.source).toBe('network');
    expect(flaky.requests.map((r) => r.url)).toEqual([
      '/flaky/ok/tiny-lm/manifest.json',
      '/flaky/ok/tiny-lm/onnx/model.onnx',
    ]);
    // ...and with the origin gone it refuses rather than run changed bytes
    await page.evaluate((sha) => window.storeProbe.tamper('airlock-models', sha, 0, 0), onnx.sha256);
    flaky.down(true);
    const offline = await generateFrom(page, '/flaky/ok/');
    expect(offline).toMatchObject({
      ok: false,
      code: 'INTEGRITY_MISMATCH',
      details: { path: 'onnx/model.onnx', stored: true, expected: { size: onnx.size, sha256: onnx.sha256 } },
    });
  });
});
