// The portal's privacy page, used as a person would, under the strict CSP: after a run the live
// log lists the model's requests with their origin and the bytes the server sent, the backend
// card says where it ran, the egress statement says nothing left, and the evidence file it saves
// (a Blob URL through an <a download>) counts the same requests.
import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import type { Evidence } from '../../src/page/audit/evidence.js';
import type { Manifest } from '../../src/manifest/types.js';
import { STRICT_CSP } from '../../src/node/serve/headers.js';
import { useBrowser } from '../support/browser.js';
import { MODELS_DIR, PORTAL_BUILD } from '../support/paths.js';
import { overflowsSideways, portalShots } from '../support/portal-shots.js';

const browser = useBrowser({ appDir: PORTAL_BUILD, csp: STRICT_CSP });

const requestRows = (page: Page) =>
  page.$$eval('#log-events tr[data-type=request]', (trs) =>
    trs.map((tr) => {
      const d = (tr as HTMLElement).dataset;
      return { url: d.url!, origin: d.origin!, bytes: Number(d.bytes) };
    }),
  );

/** Runs the page's classification and waits until the statement counts every logged request. */
async function runAndSettle(page: Page): Promise<void> {
  await page.click('#try-run');
  await page.waitForSelector('#try-out[data-done]');
  await page.waitForFunction(
    () =>
      document.getElementById('egress-statement')?.dataset.requests ===
      String(document.querySelectorAll('#log-events tr[data-type=request]').length),
  );
}

describe(`portal privacy page (${browser.mode})`, () => {
  it('logs the model’s requests with the bytes served, says nothing left, and exports the same evidence', async () => {
    const { page, errors, recorder } = await browser.open('/privacy.html');
    const base = `${browser.origin}/models/tiny-sentiment/`;
    expect((await requestRows(page)).filter((r) => r.url.startsWith(base))).toEqual([]);
    await runAndSettle(page);

    // every model file the worker fetched is in the log, with the origin and the bytes on disk
    const manifest = JSON.parse(
      await readFile(join(MODELS_DIR, 'tiny-sentiment', 'manifest.json'), 'utf8'),
    ) as Manifest;
    const logged = (await requestRows(page)).filter((r) => r.url.startsWith(base));
    const fetched = recorder.requests.filter((r) => r.url.startsWith(base)).map((r) => r.url);
    expect(logged.map((r) => r.url).sort()).toEqual([...new Set(fetched)].sort());
    expect(logged.map((r) => r.url.slice(base.length)).sort()).toEqual(
      ['manifest.json', ...manifest.files.map((f) => f.path)].sort(),
    );
    for (const r of logged) {
      expect(r.origin, r.url).toBe(browser.origin);
      expect(r.bytes, r.url).toBe((await stat(join(MODELS_DIR, 'tiny-sentiment', r.url.slice(base.length)))).size);
    }
    const load = page.locator('#log-events tr[data-type=load]');
    expect(await load.locator('td').nth(3).textContent()).toBe(
      `tiny-sentiment on ${browser.expectedBackend === 'webgpu' ? 'WebGPU' : 'WASM (CPU)'}, ${manifest.files.length} files`,
    );
    expect(await load.locator('td').nth(5).textContent()).toBe('network');

    const statement = page.locator('#egress-statement');
    expect(await statement.getAttribute('data-none')).toBe('true');
    expect(await statement.textContent()).toMatch(
      new RegExp(
        `^All \\d+ request\\(s\\) the library made went to allowed origins \\(${browser.origin.replace(/\./g, '\\.')}\\)\\. No request was refused\\.$`,
      ),
    );
    const backend = await page.$$eval('#backend-info dt', (dts) =>
      Object.fromEntries(dts.map((dt) => [dt.textContent, dt.nextElementSibling?.textContent])),
    );
    expect(backend['WebGPU adapter']).toBe(browser.mode === 'webgpu' ? 'google swiftshader (software)' : 'none');
    expect(backend['cross-origin isolated']).toBe('yes');
    // without an adapter, `auto` says why the model runs on WASM
    expect(backend['tiny-sentiment']).toMatch(
      browser.mode === 'webgpu' ? /^WebGPU$/ : /^WASM \(CPU\) \(fell back: .+\)$/,
    );

    const [download] = await Promise.all([page.waitForEvent('download'), page.click('#export')]);
    expect(download.suggestedFilename()).toMatch(/^airlock-evidence-[\d-]+T[\d-]+Z\.json$/);
    const evidence = JSON.parse(await readFile(await download.path(), 'utf8')) as Evidence;
    const rows = await requestRows(page);
    expect(evidence.requests.total).toBe(rows.length);
    expect(evidence.requests.byOrigin.flatMap((o) => o.requests.map((r) => r.url)).sort()).toEqual(
      rows.map((r) => r.url).sort(),
    );
    expect(evidence.egress.none).toBe(true);
    expect(await page.getAttribute('#export-out', 'data-requests')).toBe(String(rows.length));
    await portalShots(page, `portal-privacy-${browser.mode}`);
    expect(await overflowsSideways(page)).toBe(false);

    // a second visit loads from the store: the log says so, and only the manifest is fetched again
    await page.reload();
    await page.waitForFunction(() => document.getElementById('status')?.textContent === 'ready');
    await runAndSettle(page);
    expect((await requestRows(page)).filter((r) => r.url.startsWith(base)).map((r) => r.url)).toEqual([
      `${base}manifest.json`,
    ]);
    expect(await page.locator('#log-events tr[data-type=load] td').nth(5).textContent()).toBe('store');
    expect(errors).toEqual([]);
  });
});
