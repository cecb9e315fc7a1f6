// The portal's landing page: the tool cards, the navigation with the backend in use, and the
// models table, which must equal models/index.json (written by the portal's build with the
// library's own index writer) with each model's stored flag from the store.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { ModelsIndex } from '../../src/manifest/models-index.js';
import { useBrowser } from '../support/browser.js';
import { MODELS_DIR, PORTAL_BUILD } from '../support/paths.js';
import { screenshots } from '../support/portal.js';

const browser = useBrowser({ appDir: PORTAL_BUILD });

const size = (bytes: number) => (bytes >= 1e6 ? `${(bytes / 1e6).toFixed(1)} MB` : `${(bytes / 1e3).toFixed(1)} kB`);

describe(`portal landing page (${browser.mode})`, () => {
  it('lists the tools, and the models of index.json with whether each is stored', async () => {
    const { page, errors } = await browser.open('/');
    expect(await page.textContent('#status')).toBe('ready');

    const cards = await page.$$eval('#tools a.card', (as) =>
      as.map((a) => [a.getAttribute('href'), a.querySelector('h2')?.textContent]),
    );
    expect(cards).toEqual([
      ['./ocr.html', 'Document OCR'],
      ['./speech.html', 'Speech detection'],
      ['./text.html', 'Text'],
      ['./models.html', 'Models and storage'],
      ['./privacy.html', 'Privacy'],
    ]);
    const nav = await page.$$eval('#nav li a', (as) =>
      as.map((a) => [a.getAttribute('href'), a.getAttribute('aria-current')]),
    );
    expect(nav).toEqual([
      ['./index.html', 'page'],
      ['./ocr.html', null],
      ['./speech.html', null],
      ['./text.html', null],
      ['./models.html', null],
      ['./privacy.html', null],
    ]);
    await page.waitForSelector('#nav-backend[data-backend]');
    expect(await page.getAttribute('#nav-backend', 'data-backend')).toBe(browser.expectedBackend);

    const index = JSON.parse(await readFile(join(MODELS_DIR, 'index.json'), 'utf8')) as ModelsIndex;
    const rows = () =>
      page.$$eval('#models tbody tr', (trs) =>
        trs.map((tr) => [...tr.querySelectorAll('td')].map((td) => td.dataset.stored ?? td.textContent)),
      );
    expect(index.models.map((m) => m.id)).toContain('paddleocr-v4');
    expect(await rows()).toEqual(index.models.map((m) => [m.id, m.task, size(m.size), m.license, 'false']));
    await screenshots(page, 'portal-landing', browser.mode);

    // the speech page stores silero-vad's model file (a raw session reads no NOTICE.txt, so
    // cache.has is false): back on the landing page it is the one marked as partly stored
    await page.click('#tools a[data-tool=speech]');
    await page.waitForFunction(() => document.getElementById('status')?.textContent?.startsWith('ready'), null, {
      timeout: 90_000,
    });
    await page.goto(new URL('/index.html', browser.origin).href); // not goBack: that may show the page as it was
    await page.waitForFunction(() => document.getElementById('status')?.textContent === 'ready');
    expect(await rows()).toEqual(
      index.models.map((m) => [m.id, m.task, size(m.size), m.license, m.id === 'silero-vad' ? 'partial' : 'false']),
    );
    expect(await page.textContent('#models tr[data-model=silero-vad] .tag')).toBe('files in use stored');
    expect(errors).toEqual([]);
  });
});
