// The portal's models page, used as a person would: the origin's index (as `airlock index` builds
// it from models/) or none, a prefetch with its bytes, the stored table against the manifests,
// verify, delete, and the storage the browser reports.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { buildIndex, type ModelsIndex } from '../../src/node/models-index.js';
import { STRICT_CSP } from '../../src/node/serve/headers.js';
import type { Manifest } from '../../src/manifest/types.js';
import { useBrowser } from '../support/browser.js';
import { MODELS_DIR, PORTAL_BUILD } from '../support/paths.js';
import { overflowsSideways, portalShots } from '../support/portal-shots.js';

// the index the origin serves: the one `airlock index` would write for models/, or none (a 404)
let served: ModelsIndex | null = null;
function indexRoute(req: IncomingMessage, res: ServerResponse, next: () => void): void {
  if (req.url?.split('?')[0] !== '/models/index.json') return next();
  if (!served) return void res.writeHead(404, { 'content-type': 'text/plain' }).end('not found\n');
  res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(served));
}

const browser = useBrowser({ appDir: PORTAL_BUILD, csp: STRICT_CSP, before: [indexRoute] });

let index: ModelsIndex;
beforeAll(async () => {
  index = await buildIndex(MODELS_DIR);
});

const manifest = async (id: string) =>
  JSON.parse(await readFile(join(MODELS_DIR, id, 'manifest.json'), 'utf8')) as Manifest;
const bytesOf = (m: Manifest) => m.files.reduce((n, f) => n + f.size, 0);
const kB = (n: number) => `${(n / 1024).toFixed(1)} kB`;

const rows = (page: Page, table: string) =>
  page.$$eval(`#${table} tbody tr`, (trs) =>
    trs.map((tr): Record<string, unknown> => ({
      ...(tr as HTMLElement).dataset,
      cells: [...tr.querySelectorAll('td')].slice(0, 3).map((td) => td.textContent),
    })),
  );

async function reload(page: Page): Promise<void> {
  await page.reload();
  await page.waitForFunction(() => document.getElementById('status')?.textContent === 'ready');
}

describe(`portal models page (${browser.mode})`, () => {
  it('prefetches a model with its bytes, lists it as its manifest says, verifies and deletes it', async () => {
    served = index;
    const { page, errors } = await browser.open('/models.html');
    expect(await rows(page, 'stored-models')).toEqual([]);
    expect(await page.isVisible('#stored-empty')).toBe(true);
    expect((await rows(page, 'offered-models')).map((r) => r.model)).toEqual(index.models.map((m) => m.id));
    expect(await page.textContent('#offered-note')).toBe(
      `${index.models.length} models offered; ${index.models.length} not stored here.`,
    );

    const want = await manifest('tiny-embed');
    await page.click('#offered-models tr[data-model="tiny-embed"] button');
    await page.waitForSelector('#verify-out[data-model="tiny-embed"][data-total]');
    // the bar's last event: every byte of the manifest's files, downloaded and verified
    expect(await page.$eval('#verify-out', (e) => ({ ...(e as HTMLElement).dataset }))).toEqual({
      model: 'tiny-embed',
      loaded: String(bytesOf(want)),
      total: String(bytesOf(want)),
    });
    await page.waitForFunction(() => !document.querySelector('#offered-models tr[data-model="tiny-embed"]'));
    expect(await rows(page, 'stored-models')).toEqual([
      {
        model: 'tiny-embed',
        bytes: String(bytesOf(want)),
        revision: want.revision,
        cells: ['tiny-embed', kB(bytesOf(want)), want.revision.slice(0, 12)],
      },
    ]);
    expect(await page.textContent('#offered-note')).toBe(
      `${index.models.length} models offered; ${index.models.length - 1} not stored here.`,
    );

    await page.click('#stored-models tr[data-model="tiny-embed"] button:text("Verify")');
    await page.waitForSelector('#verify-out[data-ok]');
    expect(await page.getAttribute('#verify-out', 'data-ok')).toBe('true');
    expect(await page.$$eval('#verify-out li', (lis) => lis.map((li) => li.textContent))).toEqual(
      want.files.map((f) => `✓ ${f.path} · sha256 ${f.sha256.slice(0, 12)}…`),
    );
    expect(await page.textContent('#verify-out strong')).toBe(
      `tiny-embed: all ${want.files.length} stored files match their manifest hashes.`,
    );

    // storage as the browser estimates it, and persistence as it answers
    const browserSays = await page.evaluate(async () => ({
      usage: (await navigator.storage.estimate()).usage ?? 0,
      persisted: await navigator.storage.persisted(),
    }));
    const info = await page.$eval('#storage-info', (e) => ({ ...(e as HTMLElement).dataset }));
    expect(Number(info.usage)).toBeGreaterThan(0);
    expect(info.persisted).toBe(String(browserSays.persisted));
    expect(await page.$$eval('#storage-info dt', (dts) => dts.map((d) => d.textContent))).toEqual([
      'used',
      'available',
      'quota',
      'persistence',
    ]);
    expect(await page.$$eval('#storage-info dd', (dds) => dds[3]!.textContent)).toBe(
      browserSays.persisted ? 'granted: kept under storage pressure' : 'not granted: the browser may clear it',
    );
    await portalShots(page, `portal-models-${browser.mode}`);
    expect(await overflowsSideways(page)).toBe(false);

    await page.click('#stored-models tr[data-model="tiny-embed"] button:text("Delete")');
    await page.waitForSelector('#offered-models tr[data-model="tiny-embed"]');
    expect(await rows(page, 'stored-models')).toEqual([]);
    // gone from the store itself, not only from the table
    await reload(page);
    expect(await rows(page, 'stored-models')).toEqual([]);
    expect(errors).toEqual([]);
  });

  it('without an index on the origin says so and still lists what is stored', async () => {
    served = null;
    const { page, errors } = await browser.open('/text.html');
    await page.goto(new URL('/models.html', browser.origin).href);
    await page.waitForFunction(() => document.getElementById('status')?.textContent === 'ready');
    expect(await page.textContent('#offered-note')).toBe(
      'The origin publishes no model index: run airlock index on its model folder.',
    );
    expect(await rows(page, 'offered-models')).toEqual([]);
    const ids = ['tiny-embed', 'tiny-lm', 'tiny-sentiment'];
    const manifests = await Promise.all(ids.map(manifest));
    expect(await rows(page, 'stored-models')).toEqual(
      manifests.map((m) => ({
        model: m.id,
        bytes: String(bytesOf(m)),
        revision: m.revision,
        cells: [m.id, kB(bytesOf(m)), m.revision.slice(0, 12)],
      })),
    );
    await portalShots(page, `portal-models-noindex-${browser.mode}`);
    expect(errors).toEqual([]);
  });
});
