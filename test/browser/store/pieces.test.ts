// Files checked piece by piece: a manifest that gives a file's pieces (here 2 KiB pieces of
// tiny-lm's 14 kB model file) has it stored one chunk per piece, each checked as it comes in; a
// wrong piece fails the download at that piece, a cut connection keeps only whole pieces and
// resumes after them, and a piece changed in the store is caught when it is read.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { referenceGenerate } from '../../../scripts/fixtures/tiny-lm.js';
import type { Handler } from '../../../src/node/serve/server.js';
import type { Manifest } from '../../../src/manifest/types.js';
import { useBrowser } from '../../support/browser.js';
import { generateIn } from '../../support/generate.js';
import { flakyModels } from '../../support/misbehaving.js';
import { storedFile } from '../../support/model-store.js';
import { MODELS_DIR } from '../../support/paths.js';

const PIECE = 2048;
const manifest = JSON.parse(readFileSync(join(MODELS_DIR, 'tiny-lm/manifest.json'), 'utf8')) as Manifest;
const onnx = manifest.files.find((f) => f.path === 'onnx/model.onnx')!;
const onnxBytes = readFileSync(join(MODELS_DIR, 'tiny-lm', onnx.path));
const sha256 = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');
const pieceDigests = Array.from({ length: Math.ceil(onnx.size / PIECE) }, (_, i) =>
  sha256(onnxBytes.subarray(i * PIECE, (i + 1) * PIECE)),
);

/**
 * `/pieced/<mode>/...` is `/flaky/<mode>/...` (see misbehaving.ts) with the model file's pieces in
 * the manifest, and only the model file served as `<mode>` says (the others as `ok`);
 * `/flaky/...` is served as it is.
 */
function piecedOrigin(flaky: ReturnType<typeof flakyModels>): Handler {
  const withPieces = {
    ...manifest,
    files: manifest.files.map((f) => (f === onnx ? { ...f, pieces: { bytes: PIECE, sha256: pieceDigests } } : f)),
  };
  return (req, res, next) => {
    const url = req.url ?? '';
    if (url.startsWith('/flaky/')) return flaky.handler(req, res, next);
    if (!url.startsWith('/pieced/')) return next();
    if (url.endsWith('/tiny-lm/manifest.json')) {
      res.setHeader('Content-Type', 'application/json');
      return res.end(JSON.stringify(withPieces));
    }
    req.url = url.endsWith('.onnx')
      ? url.replace('/pieced/', '/flaky/')
      : url.replace(/^\/pieced\/[a-z0-9]+\//, '/flaky/ok/');
    flaky.handler(req, res, next);
  };
}

const flaky = flakyModels();
const browser = useBrowser({ before: [piecedOrigin(flaky)] });
const PROMPT = 'Once upon a time there was a robot';
const STORY = { ok: true, value: PROMPT + referenceGenerate(PROMPT) };
const onnxRequests = () => flaky.requests.filter((r) => r.url.endsWith('/tiny-lm/onnx/model.onnx'));
const generateFrom = (page: Page, base: string) => generateIn(page, { base, prompt: PROMPT });
const pieceSizes = pieceDigests.map((_, i) => Math.min(PIECE, onnx.size - i * PIECE));

beforeEach(() => {
  flaky.reset();
  flaky.down(false);
});

describe('files checked piece by piece', () => {
  it('stores one chunk per piece, whatever the chunk size asked for, and generates from them', async () => {
    const { page } = await browser.open();
    expect(pieceDigests.length).toBe(7);
    expect(await generateFrom(page, '/pieced/ok/')).toEqual(STORY);
    const stored = await storedFile(page, onnx.sha256);
    expect(stored).toMatchObject({ state: 'complete', pieceBytes: PIECE, stored: onnx.size, digest: onnx.sha256 });
    // 2 KiB pieces, although the store's chunks are 1 kB here
    expect(stored!.chunkSizes).toEqual(pieceSizes);
    // read again from the store: each piece checked, the same story
    expect(await generateFrom(page, '/pieced/ok/')).toEqual(STORY);
    expect(onnxRequests()).toHaveLength(1);
  });

  it('fails a wrong piece as INTEGRITY_MISMATCH naming the piece, and keeps nothing of the file', async () => {
    const { page } = await browser.open();
    // flip changes the middle byte: offset 7021 lies in piece 3
    const got = await generateFrom(page, '/pieced/flip/');
    expect(got).toMatchObject({
      ok: false,
      code: 'INTEGRITY_MISMATCH',
      details: { path: onnx.path, actual: { piece: Math.floor((onnx.size >> 1) / PIECE) } },
    });
    expect(await storedFile(page, onnx.sha256)).toBeUndefined();
  });

  it('keeps only whole pieces of a cut connection and resumes after the last one', async () => {
    const { page } = await browser.open();
    // every whole-file request is cut after 5000 bytes: pieces 0 and 1 (4096 bytes) are kept
    expect(await generateFrom(page, '/pieced/cut5000/')).toEqual(STORY);
    const resume = onnxRequests().at(-1)!;
    expect(resume.range).toBe(`bytes=${2 * PIECE}-`);
    expect(resume).toMatchObject({ status: 206, bytesSent: onnx.size - 2 * PIECE });
    expect((await storedFile(page, onnx.sha256))!.chunkSizes).toEqual(pieceSizes);
  });

  it('catches a piece changed in the store when it is read, and fetches the file again', async () => {
    const { page } = await browser.open();
    expect(await generateFrom(page, '/pieced/ok/')).toEqual(STORY);
    await page.evaluate((sha) => window.storeProbe.tamper('airlock-models', sha, 5, 100), onnx.sha256);
    expect(await generateFrom(page, '/pieced/ok/')).toEqual(STORY);
    expect(onnxRequests()).toHaveLength(2);
    expect((await storedFile(page, onnx.sha256))!.digest).toBe(onnx.sha256);
  });

  it('cache.verify() checks a pieced file piece by piece and names the piece that changed', async () => {
    const { page } = await browser.open();
    expect(await generateFrom(page, '/pieced/ok/')).toEqual(STORY);
    const verify = () =>
      page.evaluate(async () => {
        const ai = window.airlock.createRuntime({ modelBase: '/pieced/ok/' });
        const report = await ai.cache.verify('tiny-lm');
        await ai.dispose();
        return report!.files.find((f) => f.path === 'onnx/model.onnx');
      });
    expect(await verify()).toEqual({ path: onnx.path, sha256: onnx.sha256, ok: true });
    await page.evaluate((sha) => window.storeProbe.tamper('airlock-models', sha, 5, 100), onnx.sha256);
    expect(await verify()).toEqual({ path: onnx.path, sha256: onnx.sha256, ok: false, problem: 'mismatch', piece: 5 });
    // the file was dropped: the next load fetches it again
    expect(await storedFile(page, onnx.sha256)).toBeUndefined();
    expect(await generateFrom(page, '/pieced/ok/')).toEqual(STORY);
    expect(onnxRequests()).toHaveLength(2);
  });

  it('reads a file stored without pieces by its whole SHA-256, without fetching it again', async () => {
    const { page } = await browser.open();
    expect(await generateFrom(page, '/flaky/ok/')).toEqual(STORY);
    expect((await storedFile(page, onnx.sha256))!.pieceBytes).toBeUndefined();
    expect(await generateFrom(page, '/pieced/ok/')).toEqual(STORY);
    expect(onnxRequests()).toHaveLength(1);
  });

  it('gives a raw session the bytes it checked piece by piece: kept from the download, then read back', async () => {
    const { page } = await browser.open();
    const openSession = () =>
      page.evaluate(async () => {
        const ai = window.airlock.createRuntime({ modelBase: '/pieced/ok/', cache: { chunkBytes: 1024 } });
        try {
          const session = await ai.session('tiny-lm');
          return { ok: true, inputs: [...session.inputNames].sort() };
        } catch (e) {
          return { ok: false, code: (e as { code?: string }).code };
        } finally {
          await ai.dispose();
        }
      });
    const first = await openSession();
    expect(first.ok).toBe(true);
    expect(first.inputs).toContain('input_ids');
    expect((await storedFile(page, onnx.sha256))!.chunkSizes).toEqual(pieceSizes);
    // read back from the store, each piece checked
    expect(await openSession()).toEqual(first);
    expect(onnxRequests()).toHaveLength(1);
    // a changed piece: the read catches it, and the load fetches the file again
    await page.evaluate((sha) => window.storeProbe.tamper('airlock-models', sha, 2, 7), onnx.sha256);
    expect(await openSession()).toEqual(first);
    expect(onnxRequests()).toHaveLength(2);
    expect((await storedFile(page, onnx.sha256))!.digest).toBe(onnx.sha256);
  });
});
