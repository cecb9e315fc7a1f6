// A transformers.js pipeline whose weights are ONNX external data, through the store: it runs, a
// changed stored data file ends the load at once with INTEGRITY_MISMATCH (transformers.js's own
// external-data loader would wait forever on a failed read) and is fetched again when the origin
// answers; and a store cleared in the middle of a download does not leave a wrong file behind.
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { withExternalData } from '../../../scripts/fixtures/onnx-graph.js';
import { referenceGenerate } from '../../../scripts/fixtures/tiny-lm.js';
import { writeManifest } from '../../../src/node/manifest-writer.js';
import { useBrowser } from '../../support/browser.js';
import { generateIn } from '../../support/generate.js';
import { flakyModels } from '../../support/misbehaving.js';
import { storeOf } from '../../support/model-store.js';
import { MODELS_DIR } from '../../support/paths.js';

const ID = 'tiny-lm-ext';
const root = mkdtempSync(join(tmpdir(), 'airlock-ext-'));
const dir = join(root, ID);
cpSync(join(MODELS_DIR, 'tiny-lm'), dir, { recursive: true });
const { model, data } = withExternalData(readFileSync(join(dir, 'onnx/model.onnx')), 'model.onnx_data');
writeFileSync(join(dir, 'onnx/model.onnx'), model);
writeFileSync(join(dir, 'onnx/model.onnx_data'), data);
const config = JSON.parse(readFileSync(join(dir, 'config.json'), 'utf8')) as Record<string, Record<string, unknown>>;
config['transformers.js_config'] = { ...config['transformers.js_config'], use_external_data_format: true };
writeFileSync(join(dir, 'config.json'), JSON.stringify(config, null, 2));
const manifest = await writeManifest(dir, {
  id: ID,
  task: 'text-generation',
  source: 'tiny-lm with its weights moved to external data (test)',
  license: 'MIT',
});
const dataFile = manifest.files.find((f) => f.path === 'onnx/model.onnx_data')!;

const flaky = flakyModels(root);
const browser = useBrowser({ before: [flaky.handler] });
afterAll(() => rmSync(root, { recursive: true, force: true }));
beforeEach(() => {
  flaky.reset();
  flaky.down(false);
});

const PROMPT = 'Once upon a time there was a cat';
const STORY = { ok: true, value: PROMPT + referenceGenerate(PROMPT) };

const generate = (page: Page) => generateIn(page, { base: '/flaky/ok/', prompt: PROMPT, id: ID });

describe('a pipeline with external data, through the store', () => {
  it('runs; a changed data file fails fast offline and is fetched again online', async () => {
    expect(data.byteLength).toBeGreaterThan(4096);
    const { page } = await browser.open();
    expect(await generate(page)).toEqual(STORY);
    expect(flaky.requests.map((r) => r.url).sort()).toEqual(
      manifest.files
        .map((f) => `/flaky/ok/${ID}/${f.path}`)
        .concat(`/flaky/ok/${ID}/manifest.json`)
        .sort(),
    );

    await page.evaluate((sha) => window.storeProbe.tamper('airlock-models', sha, 2, 7), dataFile.sha256);
    flaky.down(true);
    const t0 = performance.now();
    const offline = await generate(page);
    // the load ends with the failed read, not after some timeout
    expect(performance.now() - t0).toBeLessThan(10_000);
    expect(offline).toMatchObject({
      ok: false,
      code: 'INTEGRITY_MISMATCH',
      details: { path: dataFile.path, stored: true, expected: { size: dataFile.size, sha256: dataFile.sha256 } },
    });

    flaky.down(false);
    flaky.reset();
    expect(await generate(page)).toEqual(STORY);
    expect(flaky.requests.map((r) => r.url)).toEqual([
      `/flaky/ok/${ID}/manifest.json`,
      `/flaky/ok/${ID}/onnx/model.onnx_data`,
    ]);
  });

  it('a store cleared during a download: the download starts over and stores only verified bytes', async () => {
    const { page } = await browser.open();
    const got = await page.evaluate(async (id) => {
      const ai = window.airlock.createRuntime({ modelBase: '/flaky/slow1024/', cache: { chunkBytes: 1024 } });
      const other = window.airlock.createRuntime({ modelBase: '/flaky/slow1024/' });
      const prefetch = ai.cache.prefetch(id);
      // a few chunks in, another runtime of the page clears the store
      await new Promise((r) => setTimeout(r, 1500));
      await other.cache.clear();
      const result = await window.settle(prefetch.then((r) => r.modelId));
      const has = await ai.cache.has(id);
      await other.dispose();
      await ai.dispose();
      return { result, has };
    }, ID);
    expect(got).toEqual({ result: { ok: true, value: ID }, has: true });
    const store = (await storeOf(page))!;
    expect(store.files.map((f) => f.sha256).sort()).toEqual(manifest.files.map((f) => f.sha256).sort());
    expect(store.files.every((f) => f.state === 'complete' && f.chunkBytes === f.size && f.digest === f.sha256)).toBe(
      true,
    );
    expect(store.orphanChunks).toBe(0);
  });
});
