// The store over time and across pages: two pages share one download, a page closed mid-download
// is resumed by the next, a stored model runs with its origin gone, a new revision fetches only
// what changed, an older database is upgraded in place, and the `cache` API says what it holds.
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { referenceGenerate } from '../../../scripts/fixtures/tiny-lm.js';
import { reference as sentimentReference } from '../../../scripts/fixtures/tiny-sentiment.js';
import { writeManifest } from '../../../src/node/manifest-writer.js';
import type { Manifest } from '../../../src/manifest/types.js';
import { openAnother, useBrowser } from '../../support/browser.js';
import { generateIn } from '../../support/generate.js';
import { flakyModels } from '../../support/misbehaving.js';
import { storedFile, storeOf } from '../../support/model-store.js';
import { MODELS_DIR } from '../../support/paths.js';
import { sileroReference } from '../../support/silero-reference.js';

// a model tree of its own: one test publishes a new revision of a model in it
const root = mkdtempSync(join(tmpdir(), 'airlock-store-'));
for (const id of ['tiny-lm', 'tiny-sentiment', 'silero-vad'])
  cpSync(join(MODELS_DIR, id), join(root, id), { recursive: true });
const manifestOf = (id: string) => JSON.parse(readFileSync(join(root, id, 'manifest.json'), 'utf8')) as Manifest;

const flaky = flakyModels(root);
const browser = useBrowser({ before: [flaky.handler] });
const PROMPT = 'Once upon a time there was a robot';
const STORY = { ok: true, value: PROMPT + referenceGenerate(PROMPT) };

afterAll(() => rmSync(root, { recursive: true, force: true }));

beforeEach(() => {
  flaky.reset();
  flaky.down(false);
});

/** In the page: tiny-lm from `base` (4 kB chunks), generating from PROMPT. */
const generate = (page: Page, base: string, options: { revalidate?: boolean } = {}) =>
  generateIn(page, { base, prompt: PROMPT, chunkBytes: 4096, ...options });

/** Silero's speech probability for one frame of silence, run from the store. */
function runSilero(page: Page, base: string) {
  return page.evaluate(async (base) => {
    const ai = window.airlock.createRuntime({ modelBase: base, cache: { chunkBytes: 65536 } });
    try {
      const vad = await ai.session('silero-vad');
      const out = await vad.run({
        input: { type: 'float32', data: new Float32Array(512), dims: [1, 512] },
        state: { type: 'float32', data: new Float32Array(256), dims: [2, 1, 128] },
        sr: { type: 'int64', data: BigInt64Array.from([16000n]), dims: [] },
      });
      return (out.output!.data as Float32Array)[0]!;
    } finally {
      await ai.dispose();
    }
  }, base);
}

describe('the model store across pages and time', () => {
  it('two pages loading one model at once download each file once, and both run it', async () => {
    const { page, context } = await browser.open();
    const second = await openAnother(context, browser.origin);
    // slow enough that both loads overlap
    const [a, b] = await Promise.all([generate(page, '/flaky/slow2048/'), generate(second, '/flaky/slow2048/')]);
    expect(a).toEqual(STORY);
    expect(b).toEqual(STORY);
    const files = flaky.requests
      .filter((r) => !r.url.endsWith('manifest.json'))
      .map((r) => r.url.replace('/flaky/slow2048/tiny-lm/', ''));
    expect(files.sort()).toEqual(
      manifestOf('tiny-lm')
        .files.map((f) => f.path)
        .sort(),
    );
    expect(flaky.requests.filter((r) => r.url.endsWith('manifest.json'))).toHaveLength(2);
  });

  it('a page closed mid-download leaves whole chunks that the next page resumes from', async () => {
    const { page, context } = await browser.open();
    const silero = manifestOf('silero-vad').files.find((f) => f.path.endsWith('.onnx'))!;
    await page.evaluate(() => {
      const ai = window.airlock.createRuntime({ modelBase: '/flaky/slow65536/', cache: { chunkBytes: 65536 } });
      void ai.cache.prefetch('silero-vad').catch(() => undefined);
    });
    const sent = () => flaky.requests.find((r) => r.url.endsWith('.onnx'))?.bytesSent ?? 0;
    await expect.poll(sent, { timeout: 30_000, interval: 50 }).toBeGreaterThan(600_000);
    await page.close();

    const next = await openAnother(context, browser.origin);
    const partial = (await storedFile(next, silero.sha256))!;
    expect(partial.state).toBe('partial');
    // only whole chunks were written, and every one of them holds the file's own bytes
    expect(partial.stored % 65536).toBe(0);
    expect(partial.stored).toBeGreaterThanOrEqual(6 * 65536);
    flaky.reset();
    const probability = await runSilero(next, '/flaky/ok/');
    const [expected] = await sileroReference(new Float32Array(512));
    expect(Math.abs(probability - expected!)).toBeLessThan(1e-4);
    expect(flaky.requests.filter((r) => r.url.endsWith('.onnx')).map((r) => r.range)).toEqual([
      `bytes=${partial.stored}-`,
    ]);
    expect(await storedFile(next, silero.sha256)).toMatchObject({ state: 'complete', digest: silero.sha256 });
  });

  it('runs a stored model with its origin gone; with revalidate off it makes no request at all', async () => {
    const { page } = await browser.open();
    expect(await generate(page, '/flaky/ok/')).toEqual(STORY);
    await page.reload();
    await page.waitForFunction(() => document.getElementById('status')?.textContent === 'ready');
    flaky.down(true);
    flaky.reset();
    expect(await generate(page, '/flaky/ok/')).toEqual(STORY);
    // it asked for a newer manifest, found nobody, and used the stored one (Chromium itself may
    // try a GET again once when a kept-alive connection drops)
    expect(flaky.requests.length).toBeGreaterThan(0);
    expect(new Set(flaky.requests.map((r) => `${r.url} ${r.status}`))).toEqual(
      new Set(['/flaky/ok/tiny-lm/manifest.json 0']),
    );
    flaky.reset();
    expect(await generate(page, '/flaky/ok/', { revalidate: false })).toEqual(STORY);
    expect(flaky.requests).toEqual([]);
  });

  it('a new revision fetches only the files that changed, and drops the old ones', async () => {
    const { page } = await browser.open();
    const classify = () =>
      page.evaluate(async () => {
        const ai = window.airlock.createRuntime({ modelBase: '/flaky/ok/' });
        const run = await ai.pipeline('text-classification', 'tiny-sentiment');
        const out = { labels: (await run('great film')) as { label: string }[], revision: run.revision };
        await ai.dispose();
        return out;
      });
    const before = await classify();
    expect(before.labels[0]!.label).toBe(sentimentReference('great film')[0]!.label);
    const oldConfig = manifestOf('tiny-sentiment').files.find((f) => f.path === 'config.json')!;

    // the admin publishes a revision with renamed labels
    const config = join(root, 'tiny-sentiment', 'config.json');
    writeFileSync(
      config,
      readFileSync(config, 'utf8').replace('"POSITIVE"', '"FAVOURABLE"').replace('"NEGATIVE"', '"UNFAVOURABLE"'),
    );
    const old = manifestOf('tiny-sentiment');
    const updated = await writeManifest(join(root, 'tiny-sentiment'), {
      id: old.id,
      task: old.task,
      source: old.source,
      license: old.license,
    });
    expect(updated.revision).not.toBe(old.revision);

    flaky.reset();
    const after = await classify();
    expect(after.revision).toBe(updated.revision);
    expect(after.labels[0]!.label).toBe(
      sentimentReference('great film')[0]!.label === 'POSITIVE' ? 'FAVOURABLE' : 'UNFAVOURABLE',
    );
    expect(flaky.requests.map((r) => r.url)).toEqual([
      '/flaky/ok/tiny-sentiment/manifest.json',
      '/flaky/ok/tiny-sentiment/config.json',
    ]);
    const store = (await storeOf(page))!;
    expect(store.models.map((m) => m.revision)).toEqual([updated.revision]);
    expect(store.files.map((f) => f.sha256).sort()).toEqual(updated.files.map((f) => f.sha256).sort());
    expect(store.files.some((f) => f.sha256 === oldConfig.sha256)).toBe(false);
  });

  it('upgrades a version 1 database in place: nothing is fetched again', async () => {
    const { page } = await browser.open();
    expect(await generate(page, '/flaky/ok/')).toEqual(STORY);
    await page.evaluate(() => window.storeProbe.downgradeToV1('airlock-models'));
    const v1 = (await storeOf(page))!;
    expect(v1.version).toBe(1);
    expect(v1.indexes).toEqual([]);
    flaky.reset();
    expect(await generate(page, '/flaky/ok/')).toEqual(STORY);
    expect(flaky.requests.map((r) => r.url)).toEqual(['/flaky/ok/tiny-lm/manifest.json']);
    const v2 = (await storeOf(page))!;
    expect(v2.version).toBe(2);
    expect(v2.indexes).toEqual(['by-last-used']);
    expect(v2.files).toEqual(v1.files);
    expect(v2.models.map((m) => m.id)).toEqual(['tiny-lm']);
  });

  it('the cache API lists, checks, prefetches with progress, deletes and clears', async () => {
    const { page } = await browser.open();
    const got = await page.evaluate(async () => {
      const ai = window.airlock.createRuntime({ modelBase: '/flaky/ok/', cache: { chunkBytes: 4096 } });
      const progress: { phase: string; file?: string; loaded: number; total: number }[] = [];
      const empty = { list: await ai.cache.list(), has: await ai.cache.has('tiny-lm') };
      const prefetched = await ai.cache.prefetch('tiny-lm', { onProgress: (p) => progress.push(p) });
      await ai.cache.prefetch('tiny-sentiment');
      const full = {
        list: await ai.cache.list(),
        has: await ai.cache.has('tiny-lm'),
        unknown: await ai.cache.has('no-such-model'),
      };
      const estimate = await ai.cache.estimate();
      const persisted = await ai.cache.persisted();
      const deleted = [await ai.cache.delete('tiny-lm'), await ai.cache.delete('tiny-lm')];
      const afterDelete = (await ai.cache.list()).map((m) => m.id);
      await ai.cache.clear();
      const afterClear = await ai.cache.list();
      await ai.dispose();
      return {
        empty,
        prefetched,
        progress,
        full,
        estimate,
        persisted,
        pagePersisted: await navigator.storage.persisted(),
        deleted,
        afterDelete,
        afterClear,
      };
    });
    const lm = manifestOf('tiny-lm');
    const total = lm.files.reduce((n, f) => n + f.size, 0);
    expect(got.empty).toEqual({ list: [], has: false });
    expect(got.prefetched).toEqual({ modelId: 'tiny-lm', revision: lm.revision, bytes: total, evicted: [] });
    expect(got.progress[0]).toEqual({ modelId: 'tiny-lm', phase: 'manifest', loaded: 0, total: 0 });
    expect(got.progress.at(-1)).toMatchObject({ loaded: total, total });
    // every file is reported verified once, with its own size
    expect(
      got.progress
        .filter((p) => p.phase === 'verify')
        .map((p) => p.file)
        .sort(),
    ).toEqual(lm.files.map((f) => f.path).sort());
    const loadedSeries = got.progress.map((p) => p.loaded);
    expect(loadedSeries).toEqual([...loadedSeries].sort((a, b) => a - b));
    expect(got.full.has).toBe(true);
    expect(got.full.unknown).toBe(false);
    expect(got.full.list.map((m) => [m.id, m.revision, m.bytes, m.complete]).sort()).toEqual(
      [
        ['tiny-lm', lm.revision, total, true],
        [
          'tiny-sentiment',
          manifestOf('tiny-sentiment').revision,
          manifestOf('tiny-sentiment').files.reduce((n, f) => n + f.size, 0),
          true,
        ],
      ].sort(),
    );
    expect(got.full.list.every((m) => m.modelBase === `${browser.origin}/flaky/ok/` && m.lastUsed >= m.storedAt)).toBe(
      true,
    );
    expect(got.estimate!.usage).toBeGreaterThan(total);
    expect(got.estimate!.available).toBe(got.estimate!.quota - got.estimate!.usage);
    expect(got.persisted).toBe(got.pagePersisted);
    expect(got.deleted).toEqual([true, false]);
    expect(got.afterDelete).toEqual(['tiny-sentiment']);
    expect(got.afterClear).toEqual([]);
    const store = (await storeOf(page))!;
    expect([store.models, store.files, store.orphanChunks]).toEqual([[], [], 0]);
  });
});
