// A store failure while transformers.js streams a file out of the store: the page hears
// STORAGE_FAILED (as for any other read), and the next load works.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Manifest } from '../../../src/manifest/types.js';
import { useBrowser } from '../../support/browser.js';
import { MODELS_DIR } from '../../support/paths.js';

const browser = useBrowser();
const manifest = JSON.parse(readFileSync(join(MODELS_DIR, 'tiny-sentiment/manifest.json'), 'utf8')) as Manifest;
const onnx = manifest.files.find((f) => f.path === 'onnx/model.onnx')!;

describe('a store read that fails while a pipeline streams its model file', () => {
  it('is STORAGE_FAILED naming the browser error, and the next load works', async () => {
    const { page } = await browser.open();
    const got = await page.evaluate(async (sha) => {
      // chunks of 1 KiB: the 2 KiB model file is streamed in several chunks
      const ai = window.airlock.createRuntime({
        workerUrl: `${window.testWorkerUrl}?close-db-reading=${sha}`,
        cache: { chunkBytes: 1024 },
      });
      const failed = await window.settle(ai.pipeline('text-classification', 'tiny-sentiment'));
      const retried = await window.settle(
        ai.pipeline('text-classification', 'tiny-sentiment').then((classify) => classify('great film')),
      );
      await ai.dispose();
      return { failed, retried };
    }, onnx.sha256);
    console.log(`stream failure: ${JSON.stringify(got.failed)}`);
    expect(got.failed.ok).toBe(false);
    const failed = got.failed as { code: string; details: Record<string, unknown> };
    expect(failed.code).toBe('STORAGE_FAILED');
    expect(failed.details).toMatchObject({ name: 'InvalidStateError' });
    expect(got.retried).toMatchObject({ ok: true, value: [{ label: 'POSITIVE' }] });
  });
});
