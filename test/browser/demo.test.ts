// The portal demo, used as a person would: click, read the page, keep a screenshot.
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { referenceGenerate } from '../../scripts/fixtures/tiny-lm.js';
import { reference as sentimentReference } from '../../scripts/fixtures/tiny-sentiment.js';
import { useBrowser } from '../support/browser.js';
import { PORTAL_BUILD, RESULTS_DIR } from '../support/paths.js';

const browser = useBrowser({ appDir: PORTAL_BUILD });

describe(`portal demo (${browser.mode})`, () => {
  it('classifies, continues the story and scores speech, on this origin only', async () => {
    const { page, errors } = await browser.open();
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
      await page.waitForFunction(() => (document.getElementById('vad-out')?.textContent ?? '') !== '', null, { timeout: 60_000 });
      expect(await page.textContent('#vad-out')).toMatch(/^31 frames of 32 ms, mean speech probability 0\.\d{3} \(wasm\)$/);
    }

    await page.waitForFunction(() => (document.getElementById('runtime-info')?.textContent ?? '').includes('tiny-lm'));
    await mkdir(RESULTS_DIR, { recursive: true });
    await page.screenshot({ path: join(RESULTS_DIR, `portal-${browser.mode}.png`), fullPage: true });
    expect(errors).toEqual([]);
  });
});
