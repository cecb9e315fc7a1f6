// The portal demo, used as a person would: click, read the page, keep a screenshot.
import { mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { referenceGenerate } from '../../scripts/fixtures/tiny-lm.js';
import { reference as sentimentReference } from '../../scripts/fixtures/tiny-sentiment.js';
import { useBrowser } from '../support/browser.js';
import type { Evidence } from '../../src/page/audit/evidence.js';
import type { Manifest } from '../../src/manifest/types.js';
import { MODELS_DIR, PORTAL_BUILD, RESULTS_DIR } from '../support/paths.js';

const browser = useBrowser({ appDir: PORTAL_BUILD });

describe(`portal demo (${browser.mode})`, () => {
  it('classifies, continues the story and scores speech, on this origin only', async () => {
    const { page, errors, recorder } = await browser.open();
    await page.setViewportSize({ width: 1200, height: 800 });
    expect(await page.textContent('#status')).toBe('ready');

    const text = 'What a wonderful film, great acting!';
    await page.fill('#sentiment-text', text);
    await page.click('#sentiment-run');
    await page.waitForSelector('#sentiment-out[data-label]');
    const want = sentimentReference(text);
    expect(await page.getAttribute('#sentiment-out', 'data-label')).toBe(want[0]!.label);
    expect(await page.textContent('#sentiment-out')).toContain(want[0]!.score.toFixed(4));

    const prompt = 'Once upon a time there was a cat';
    await page.fill('#story-prompt', prompt);
    await page.click('#story-run');
    await page.waitForSelector('#story-out[data-done]');
    expect(await page.textContent('#story-out')).toBe(prompt + referenceGenerate(prompt));

    if (browser.mode === 'nogpu') {
      // a second of audio: 31 frames, too slow for SwiftShader's WebGPU in a test
      await page.click('button[data-signal=speech]');
      await page.waitForFunction(() => (document.getElementById('vad-out')?.textContent ?? '') !== '', null, {
        timeout: 60_000,
      });
      expect(await page.textContent('#vad-out')).toMatch(
        /^31 frames of 32 ms, mean speech probability 0\.\d{3} \(wasm\)$/,
      );
    }

    await page.waitForFunction(() => (document.getElementById('runtime-info')?.textContent ?? '').includes('tiny-lm'));
    // the store card lists the three models with their sizes, and re-hashes them on request
    const ids = ['silero-vad', 'tiny-lm', 'tiny-sentiment'];
    const manifests = await Promise.all(
      ids.map(async (id) => JSON.parse(await readFile(join(MODELS_DIR, id, 'manifest.json'), 'utf8')) as Manifest),
    );
    const rows = await page.$$eval('#store-models tbody tr', (trs) =>
      trs.map((tr) => [...tr.querySelectorAll('td')].map((td) => td.textContent)),
    );
    expect(rows.map((r) => r.slice(0, 3))).toEqual(
      manifests.map((m) => [
        m.id,
        m.revision.slice(0, 8),
        `${(m.files.reduce((n, f) => n + f.size, 0) / 1024).toFixed(0)} kB`,
      ]),
    );
    await page.click('#store-verify');
    await page.waitForSelector('#store-out[data-verified]');
    // the VAD runs as a raw session, which stores its .onnx file and not the NOTICE beside it
    const fileCount = manifests.reduce((n, m) => n + m.files.length, 0);
    expect(await page.textContent('#store-out')).toBe(
      `${fileCount - 1} stored files of 3 models re-hashed: all match their manifests. Not stored: NOTICE.txt.`,
    );
    // the audit card: nothing left this origin, and the evidence it saves lists what was fetched
    await page.waitForSelector('#audit-statement[data-none]');
    expect(await page.getAttribute('#audit-statement', 'data-none')).toBe('true');
    expect(await page.textContent('#audit-statement')).toMatch(
      new RegExp(
        `^All \\d+ request\\(s\\) the library made went to allowed origins \\(${browser.origin.replace(/\./g, '\\.')}\\)\\. No request was refused\\.$`,
      ),
    );
    expect(
      await page.$$eval('#audit-origins tbody tr', (trs) =>
        trs.map((tr) => [...tr.querySelectorAll('td')].slice(0, 2).map((td) => td.textContent)),
      ),
    ).toEqual([[browser.origin, 'allowed']]);
    const [download] = await Promise.all([page.waitForEvent('download'), page.click('#audit-export')]);
    const evidence = JSON.parse(await readFile(await download.path(), 'utf8')) as Evidence;
    expect(download.suggestedFilename()).toMatch(/^airlock-evidence-[\d-]+T[\d-]+Z\.json$/);
    expect(evidence.models.map((m) => m.modelId).sort()).toEqual(ids);
    for (const m of evidence.models)
      expect(m.manifest.revision).toBe(manifests.find((x) => x.id === m.modelId)!.revision);
    // what the browser fetched beyond the evidence is the page itself: its document, scripts (its
    // own and the chunk it shares with the portal's other pages) and style
    const listed = new Set(evidence.requests.byOrigin.flatMap((o) => o.requests.map((r) => r.url)));
    const unlisted = recorder.requests.filter((r) => !listed.has(r.url));
    expect(unlisted.map((r) => r.resourceType).sort()).toEqual(['document', 'script', 'script', 'stylesheet']);
    expect(evidence.requests.total).toBe(recorder.requests.length - unlisted.length);

    await mkdir(RESULTS_DIR, { recursive: true });
    await page.screenshot({ path: join(RESULTS_DIR, `portal-${browser.mode}.png`), fullPage: true });

    // a second visit loads every model from the store: the only model requests are manifests
    const before = recorder.requests.length;
    await page.reload();
    await page.waitForFunction(() => document.getElementById('status')?.textContent === 'ready', null, {
      timeout: 90_000,
    });
    const modelRequests = recorder.requests
      .slice(before)
      .filter((r) => r.url.includes('/models/'))
      .map((r) => new URL(r.url).pathname);
    expect(modelRequests.sort()).toEqual(ids.map((id) => `/models/${id}/manifest.json`));
    expect(errors).toEqual([]);
  });
});
