// ai.files(): a model's other files come through the verified store: bytes as the manifest's
// SHA-256 says, a download and read in the audit trail, and available with the origin gone.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import type { Manifest } from '../../src/index.js';
import { useBrowser } from '../support/browser.js';
import { flakyModels } from '../support/misbehaving.js';
import { MODELS_DIR } from '../support/paths.js';

const flaky = flakyModels();
const browser = useBrowser({ before: [flaky.handler] });
const BASE = '/flaky/ok/';
const manifestOf = (id: string) =>
  JSON.parse(readFileSync(resolve(MODELS_DIR, id, 'manifest.json'), 'utf8')) as Manifest;
const ocr = manifestOf('paddleocr-v4');
const keys = ocr.files.find((f) => f.path === 'ppocr_keys_v1.txt')!;

afterEach(() => {
  flaky.reset();
  flaky.down(false);
});

interface Read {
  ok: boolean;
  code?: string;
  details?: Record<string, unknown>;
  message?: string;
  sha256?: string;
  size?: number;
  text?: string;
  verifications: { path: string; stage: string; ok: boolean }[];
}

/** Reads `path` of `id` as bytes and text in one fresh runtime; the digest, the text and the verifications it audited. */
function read(page: Page, id: string, path: string): Promise<Read> {
  return page.evaluate(
    async ({ id, path, base }) => {
      const ai = window.airlock.createRuntime({ modelBase: base });
      const hex = (b: ArrayBuffer) => [...new Uint8Array(b)].map((x) => x.toString(16).padStart(2, '0')).join('');
      try {
        const bytes = await ai.files(id).bytes(path);
        const text = await ai.files(id).text(path);
        const sha256 = hex(await crypto.subtle.digest('SHA-256', bytes));
        return { ok: true, sha256, size: bytes.byteLength, text, verifications: verifications() };
      } catch (e) {
        const { code, details, message } = e as { code: string; details: Record<string, unknown>; message: string };
        return { ok: false, code, details, message, verifications: verifications() };
      } finally {
        await ai.dispose();
      }
      function verifications() {
        return ai.audit
          .events()
          .flatMap((e) => (e.type === 'verification' ? [{ path: e.path, stage: e.stage, ok: e.ok }] : []));
      }
    },
    { id, path, base: BASE },
  );
}

describe('ai.files()', () => {
  it("reads the OCR dictionary verified: its SHA-256 is the manifest's, downloaded once, read verified each time", async () => {
    const { page } = await browser.open();
    const first = await read(page, 'paddleocr-v4', keys.path);
    expect(first).toMatchObject({ ok: true, sha256: keys.sha256, size: keys.size });
    expect(first.text).toBe(readFileSync(resolve(MODELS_DIR, 'paddleocr-v4', keys.path), 'utf8'));
    // first bytes(): stored (download) then read; text() reads the stored copy again
    expect(first.verifications).toEqual([
      { path: keys.path, stage: 'download', ok: true },
      { path: keys.path, stage: 'read', ok: true },
      { path: keys.path, stage: 'read', ok: true },
    ]);
    const fetched = flaky.requests.filter((r) => r.url.endsWith(keys.path));
    expect(fetched.length).toBe(1);
    // nothing but the dictionary (and the manifest) was downloaded for it
    expect(new Set(flaky.requests.map((r) => r.url.split('/').pop()))).toEqual(new Set(['manifest.json', keys.path]));
  });

  it('reads a stored file with the origin down, and cannot read one never stored', async () => {
    const { page } = await browser.open();
    expect((await read(page, 'paddleocr-v4', keys.path)).ok).toBe(true);
    flaky.down(true);
    const offline = await read(page, 'paddleocr-v4', keys.path);
    expect(offline).toMatchObject({ ok: true, sha256: keys.sha256, size: keys.size });
    expect(offline.verifications).toEqual([
      { path: keys.path, stage: 'read', ok: true },
      { path: keys.path, stage: 'read', ok: true },
    ]);
    const notice = await read(page, 'paddleocr-v4', 'NOTICE.txt');
    expect(notice.ok).toBe(false);
    expect(notice.code).toBe('NETWORK');
  });

  it('parses JSON files with json()', async () => {
    const { page } = await browser.open();
    const config = await page.evaluate(async (base) => {
      const ai = window.airlock.createRuntime({ modelBase: base });
      try {
        return await ai.files('tiny-sentiment').json('config.json');
      } finally {
        await ai.dispose();
      }
    }, BASE);
    expect(config).toEqual(JSON.parse(readFileSync(resolve(MODELS_DIR, 'tiny-sentiment', 'config.json'), 'utf8')));
  });

  it('refuses a path the manifest does not list with BAD_INPUT naming it, and the worker keeps working', async () => {
    const { page } = await browser.open();
    for (const path of ['missing.txt', '../tiny-lm/config.json', 'manifest.json']) {
      const refused = await read(page, 'paddleocr-v4', path);
      expect(refused).toMatchObject({
        ok: false,
        code: 'BAD_INPUT',
        details: { option: 'path', value: path, modelId: 'paddleocr-v4' },
      });
      expect(refused.message).toContain(path);
      expect(refused.verifications).toEqual([]);
    }
    expect(flaky.requests.filter((r) => !r.url.endsWith('manifest.json'))).toEqual([]);
    expect(await read(page, 'paddleocr-v4', keys.path)).toMatchObject({ ok: true, sha256: keys.sha256 });
  });
});
