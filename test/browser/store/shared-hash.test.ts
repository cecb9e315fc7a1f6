// Files are stored by hash, so a manifest that gives a stored file's hash another size is wrong
// about that file: it is that manifest's error, never a reason to drop the good file that
// another model uses. (And the manifest caps set in createRuntime reach the worker.)
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { reference as sentimentReference } from '../../../scripts/fixtures/tiny-sentiment.js';
import { computeRevision } from '../../../src/manifest/revision.js';
import type { Manifest } from '../../../src/manifest/types.js';
import { useBrowser } from '../../support/browser.js';
import { flakyModels } from '../../support/misbehaving.js';
import { storedFile } from '../../support/model-store.js';
import type { Outcome } from '../../support/outcome.js';
import { MODELS_DIR } from '../../support/paths.js';

// model A is tiny-sentiment; model B lists A's model file by its hash, with a size one byte off
const root = mkdtempSync(join(tmpdir(), 'airlock-shared-hash-'));
cpSync(join(MODELS_DIR, 'tiny-sentiment'), join(root, 'tiny-sentiment'), { recursive: true });
const a = JSON.parse(readFileSync(join(root, 'tiny-sentiment', 'manifest.json'), 'utf8')) as Manifest;
const shared = a.files.find((f) => f.path === 'onnx/model.onnx')!;
const wrong = { path: 'onnx/model.onnx', size: shared.size + 1, sha256: shared.sha256 };
const b: Manifest = {
  schema: 1,
  id: 'wrong-size',
  task: 'raw',
  revision: computeRevision([wrong]),
  source: 'a manifest that gives a known hash another size (test)',
  license: 'MIT',
  files: [wrong],
};
mkdirSync(join(root, b.id, 'onnx'), { recursive: true });
cpSync(join(root, 'tiny-sentiment', shared.path), join(root, b.id, shared.path));
writeFileSync(join(root, b.id, 'manifest.json'), JSON.stringify(b));

const flaky = flakyModels(root);
const browser = useBrowser({ before: [flaky.handler] });
afterAll(() => rmSync(root, { recursive: true, force: true }));
beforeEach(() => {
  flaky.reset();
  flaky.down(false);
});

/** In the page, with a runtime on `base`: runs `what` on `ai.cache` and says what came of it. */
function cacheCall(
  page: Page,
  what: 'prefetch' | 'verify',
  id: string,
  cache: { maxManifestFiles?: number; maxManifestBytes?: number } = {},
): Promise<Outcome> {
  return page.evaluate(
    async ({ what, id, cache }) => {
      const ai = window.airlock.createRuntime({ modelBase: '/flaky/ok/', cache });
      try {
        return await window.settle<unknown>(what === 'prefetch' ? ai.cache.prefetch(id) : ai.cache.verify(id));
      } finally {
        await ai.dispose();
      }
    },
    { what, id, cache },
  );
}

/** A's file as the database holds it, read with plain IndexedDB and WebCrypto. */
const sharedFile = (page: Page) => storedFile(page, shared.sha256);

/** Classifies with A, offline when the origin is down; its labels, or the error. */
function classify(page: Page): Promise<Outcome> {
  return page.evaluate(async () => {
    const ai = window.airlock.createRuntime({ modelBase: '/flaky/ok/' });
    try {
      const labels = ai
        .pipeline('text-classification', 'tiny-sentiment')
        .then(async (run) => ((await run('great film', { top_k: 2 })) as { label: string }[]).map((l) => l.label));
      return await window.settle(labels);
    } finally {
      await ai.dispose();
    }
  });
}

/** A stays stored, verified, and runs with the origin gone. */
async function expectAIntact(page: Page) {
  expect(await sharedFile(page)).toMatchObject({
    state: 'complete',
    size: shared.size,
    stored: shared.size,
    digest: shared.sha256,
  });
  expect(await cacheCall(page, 'verify', a.id)).toMatchObject({ ok: true, value: { ok: true } });
  flaky.down(true);
  expect(await classify(page)).toEqual({ ok: true, value: sentimentReference('great film').map((l) => l.label) });
  flaky.down(false);
}

describe('one hash, two sizes in two manifests', () => {
  it('refuses the wrong manifest with MANIFEST_INVALID; the other model stays stored and loads offline', async () => {
    const { page } = await browser.open();
    expect(await cacheCall(page, 'prefetch', a.id)).toMatchObject({
      ok: true,
      value: { modelId: a.id, revision: a.revision },
    });

    flaky.reset();
    const got = await cacheCall(page, 'prefetch', b.id);
    expect(got).toMatchObject({
      ok: false,
      code: 'MANIFEST_INVALID',
      details: { modelId: b.id, path: wrong.path, sha256: shared.sha256, size: wrong.size, storedSize: shared.size },
    });
    // refused from the manifest alone: B's copy of the file was never asked for
    expect(flaky.requests.map((r) => r.url)).toEqual([`/flaky/ok/${b.id}/manifest.json`]);
    expect(await cacheCall(page, 'verify', b.id)).toEqual({ ok: true, value: null });
    await expectAIntact(page);
  });

  it('verify() of a wrong-size record left by an earlier build reports it and keeps the good file', async () => {
    const { page } = await browser.open();
    expect(await cacheCall(page, 'prefetch', a.id)).toMatchObject({ ok: true, value: { modelId: a.id } });
    // what an earlier build recorded for B (it answered 'complete' without comparing sizes)
    await page.evaluate(
      async ({ manifest, key }) => {
        const db = await new Promise<IDBDatabase>((done, fail) => {
          const req = indexedDB.open('airlock-models');
          req.onsuccess = () => done(req.result);
          req.onerror = () => fail(req.error ?? new Error('IndexedDB open failed'));
        });
        const tx = db.transaction('models', 'readwrite');
        tx.objectStore('models').put({
          key,
          id: manifest.id,
          modelBase: new URL('/flaky/ok/', location.href).href,
          manifest,
          bytes: manifest.files[0]!.size,
          storedAt: Date.now(),
          lastUsed: Date.now(),
        });
        await new Promise((done) => (tx.oncomplete = done));
        db.close();
      },
      { manifest: b, key: new URL(`/flaky/ok/${b.id}/`, browser.origin).href },
    );

    const report = await cacheCall(page, 'verify', b.id);
    expect(report).toEqual({
      ok: true,
      value: {
        id: b.id,
        revision: b.revision,
        ok: false,
        files: [{ path: wrong.path, sha256: shared.sha256, ok: false, problem: 'size' }],
        notStored: [],
      },
    });
    await expectAIntact(page);
  });
});

describe('manifest caps set in createRuntime', () => {
  it('refuses a manifest over cache.maxManifestFiles or cache.maxManifestBytes before any file is fetched', async () => {
    const { page } = await browser.open();
    const n = a.files.length;
    expect(await cacheCall(page, 'prefetch', a.id, { maxManifestFiles: n - 1 })).toMatchObject({
      ok: false,
      code: 'MANIFEST_INVALID',
      details: { modelId: a.id, files: n, maxFiles: n - 1 },
    });
    const bytes = readFileSync(join(root, a.id, 'manifest.json')).length;
    expect(await cacheCall(page, 'prefetch', a.id, { maxManifestBytes: bytes - 1 })).toMatchObject({
      ok: false,
      code: 'MANIFEST_INVALID',
      details: { modelId: a.id, maxBytes: bytes - 1 },
    });
    expect(flaky.requests.map((r) => r.url)).toEqual([
      `/flaky/ok/${a.id}/manifest.json`,
      `/flaky/ok/${a.id}/manifest.json`,
    ]);
    expect(await cacheCall(page, 'prefetch', a.id, { maxManifestFiles: n, maxManifestBytes: bytes })).toMatchObject({
      ok: true,
      value: { modelId: a.id, revision: a.revision },
    });
  });
});
