// The portal's OCR page, used as a visitor would: pick a sample scan, read the lines it shows
// against the sample's ground truth, count the boxes drawn, check the backend it names, copy the
// text. On WASM every sample the page offers that is quick (the receipt, the label); under
// WebGPU only the 256×64 label: SwiftShader, the tests' WebGPU adapter, runs PaddleOCR 50-80×
// slower than WASM (FACTS.md), so a receipt would take minutes.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { useBrowser } from '../support/browser.js';
import { PORTAL_BUILD, ROOT } from '../support/paths.js';
import { screenshots } from '../support/portal.js';

const browser = useBrowser({ appDir: PORTAL_BUILD });
const truth = JSON.parse(readFileSync(resolve(ROOT, 'test/fixtures/ocr/truth.json'), 'utf8')) as Record<
  string,
  { lines: string[]; width: number; height: number }
>;
const SAMPLES = browser.mode === 'webgpu' ? ['label.png'] : ['label.png', 'receipt.png'];

async function readSample(page: Page, name: string) {
  await page.click(`#samples button[data-sample="${name}"]`);
  await page.waitForSelector('#lines[data-count], #ocr-out.error', { timeout: 100_000 });
  return {
    error: await page.textContent('#ocr-out.error').catch(() => null),
    lines: await page.$$eval('#lines li .text', (els) => els.map((e) => e.textContent)),
    confidences: await page.$$eval('#lines li .confidence', (els) => els.map((e) => e.textContent)),
    boxes: await page.getAttribute('#canvas', 'data-boxes'),
    size: await page.$eval('#canvas', (c) => [(c as HTMLCanvasElement).width, (c as HTMLCanvasElement).height]),
    backend: await page.getAttribute('#timings', 'data-backend'),
    timings: await page.textContent('#timings'),
  };
}

describe(`portal OCR page (${browser.mode})`, () => {
  it('reads the sample scans as their ground truth says, boxes drawn and backend shown', async () => {
    const { page, context, errors } = await browser.open('/ocr.html');
    await context.grantPermissions(['clipboard-read', 'clipboard-write']);
    expect(await page.getAttribute('#nav a[aria-current=page]', 'href')).toBe('./ocr.html');
    for (const name of SAMPLES) {
      const got = await readSample(page, name);
      const want = truth[name]!;
      expect(got.error).toBe(null);
      // the page lists the detector's lines (a receipt's item and price are two): word for word the truth
      const words = (lines: (string | null)[]) => lines.join(' ').split(/\s+/);
      expect(words(got.lines), name).toEqual(words(want.lines));
      expect(got.boxes).toBe(String(got.lines.length));
      expect(got.confidences).toHaveLength(got.lines.length);
      expect(got.size).toEqual([want.width, want.height]);
      for (const c of got.confidences) expect(Number(c.replace('%', ''))).toBeGreaterThanOrEqual(50);
      expect(got.backend).toBe(browser.expectedBackend);
      expect(got.timings).toMatch(
        new RegExp(
          `^${want.width}×${want.height} px · detect \\d+ ms · angle \\d+ ms · recognise \\d+ ms · total \\d+ ms · on ${browser.mode === 'webgpu' ? 'WebGPU' : 'WASM \\(CPU\\)'}$`,
        ),
      );
      if (name === SAMPLES.at(-1)) await screenshots(page, 'portal-ocr', browser.mode);
    }
    // the copied text puts lines side by side on one row: the truth's rows, exactly
    await page.click('#copy');
    await page.waitForFunction(() => document.getElementById('copy-out')?.textContent !== '');
    expect(await page.textContent('#copy-out')).toBe('Copied.');
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(truth[SAMPLES.at(-1)!]!.lines.join('\n'));
    expect(errors).toEqual([]);
  });
});
