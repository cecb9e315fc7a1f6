// A model whose manifest lists files named like compressed ones (`.gz`, `.br`), served by the
// library's own server code: each comes as its own bytes, so it is stored, verified and the
// model loads. A server that adds Content-Encoding for such names gets them decoded by the
// browser, and they fail verification.
import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { reference } from '../../../scripts/fixtures/tiny-sentiment.js';
import { writeManifest } from '../../../src/node/manifest-writer.js';
import { createAirlockHandler } from '../../../src/node/serve/server.js';
import { useBrowser } from '../../support/browser.js';
import { BR, GZ } from '../../support/hostile-tree.js';
import { success } from '../../support/outcome.js';
import { MODELS_DIR } from '../../support/paths.js';

const ID = 'tiny-sentiment-gz';
const root = mkdtempSync(join(tmpdir(), 'airlock-gz-'));
cpSync(join(MODELS_DIR, 'tiny-sentiment'), join(root, ID), { recursive: true });
writeFileSync(join(root, ID, 'extra.json.gz'), GZ);
writeFileSync(join(root, ID, 'extra.br'), BR);
const manifest = await writeManifest(join(root, ID), {
  id: ID,
  task: 'text-classification',
  source: 'tiny-sentiment with files named .gz and .br (test)',
  license: 'MIT',
});
const total = manifest.files.reduce((n, f) => n + f.size, 0);

const browser = useBrowser({ before: createAirlockHandler({ modelsDir: root, modelsPath: '/gz-models/' }) });
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('files named .gz and .br', () => {
  it('are stored as their own bytes, verify, and the model loads', async () => {
    const { page, recorder } = await browser.open();
    const outcome = await page.evaluate(async (id) => {
      const ai = window.airlock.createRuntime({ modelBase: '/gz-models/' });
      const all = (async () => {
        const prefetched = await ai.cache.prefetch(id);
        const verified = await ai.cache.verify(id);
        const classify = await ai.pipeline('text-classification', id);
        return { prefetched, verified, out: await classify('great film', { top_k: 2 }) };
      })();
      try {
        return await window.settle(all);
      } finally {
        await ai.dispose();
      }
    }, ID);
    const got = success(outcome, 'prefetch, verify and load');
    expect(got.prefetched).toMatchObject({ modelId: ID, revision: manifest.revision, bytes: total });
    expect(got.verified?.ok).toBe(true);
    const hashOf = (path: string) => manifest.files.find((f) => f.path === path)!.sha256;
    expect(got.verified?.files.filter((f) => /\.(gz|br)$/.test(f.path))).toEqual([
      { path: 'extra.br', ok: true, sha256: hashOf('extra.br') },
      { path: 'extra.json.gz', ok: true, sha256: hashOf('extra.json.gz') },
    ]);
    const want = reference('great film');
    const out = got.out as { label: string; score: number }[];
    expect(out.map((o) => o.label)).toEqual(want.map((w) => w.label));
    out.forEach((o, i) => expect(o.score).toBeCloseTo(want[i]!.score, 4));
    expect(recorder.paths()).toEqual(
      expect.arrayContaining([`/gz-models/${ID}/extra.json.gz`, `/gz-models/${ID}/extra.br`]),
    );
  });
});
