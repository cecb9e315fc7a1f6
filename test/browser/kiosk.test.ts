// The offline kiosk (examples/kiosk) with the shell of `airlock({ offline: true })`: a first visit
// online, then the server stopped: a reload and a browser restart on the same profile still run
// the task with the known answer. A new build deployed replaces the old shell on the next visit.
// The service worker never answers a model request, and no request leaves loopback.
import { readFileSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, describe, expect, it } from 'vitest';
import { buildKiosk } from '../../scripts/build-kiosk.js';
import { serve, type RunningServer } from '../../src/node/serve/server.js';
import { STRICT_CSP } from '../../src/node/serve/headers.js';
import type { ShellManifest } from '../../src/shared/offline-shell.js';
import { chromiumArgs, chromiumPath } from '../support/chromium.js';
import { RequestRecorder } from '../support/egress.js';
import { useBrowser } from '../support/browser.js';
import { BUILD_DIR, MODELS_DIR, RESULTS_DIR, ROOT } from '../support/paths.js';

const SITE = resolve(BUILD_DIR, 'kiosk-site');
const TAMPERED_SITE = resolve(BUILD_DIR, 'kiosk-site-tampered');
/** the kiosk's sample scan (256×64, quick on WASM) and its ground truth */
const SAMPLE_TEXT = (
  JSON.parse(readFileSync(resolve(ROOT, 'test/fixtures/ocr/truth.json'), 'utf8')) as Record<string, { lines: string[] }>
)['label.png']!.lines.join('\n');

/** The manifest the plugin wrote into the built service worker. */
async function builtShell(site = SITE): Promise<ShellManifest> {
  const script = await readFile(join(site, 'kiosk/airlock-sw.js'), 'utf8');
  return JSON.parse(/^var shell = (\{.*\});$/m.exec(script)![1]!) as ShellManifest;
}

interface Session {
  context: BrowserContext;
  page: Page;
  recorder: RequestRecorder;
  /** URLs whose response came from the service worker */
  fromServiceWorker: string[];
}

async function launch(profile: string, origin: string): Promise<Session> {
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: chromiumPath(),
    headless: true,
    args: chromiumArgs(),
  });
  const recorder = new RequestRecorder(origin);
  await recorder.attach(context);
  const fromServiceWorker: string[] = [];
  context.on('response', (r) => r.fromServiceWorker() && fromServiceWorker.push(r.url()));
  const page = context.pages()[0] ?? (await context.newPage());
  return { context, page, recorder, fromServiceWorker };
}

const statusOf = (page: Page) => page.textContent('#status').catch(() => null);

async function waitReady(page: Page): Promise<void> {
  await expect.poll(() => statusOf(page), { timeout: 90_000, interval: 250 }).toBe('ready offline');
}

/** Runs the kiosk's task on its sample scan and returns the text it read and the backend it names. */
async function readSample(page: Page): Promise<{ text: string | null; backend: string | null }> {
  await page.click('#task-sample');
  await page.waitForSelector('#task-out[data-text], #task-out.error', { timeout: 60_000 });
  const meta = await page.textContent('#task-out .meta').catch(() => null);
  return {
    text: await page.getAttribute('#task-out', 'data-text'),
    backend: /\((\w+)\)$/.exec(meta ?? '')?.[1] ?? meta,
  };
}

/** Waits until no new service worker is installing: the update the browser or the page started is over. */
async function updateSettled(page: Page): Promise<void> {
  await page.evaluate(async () => {
    const registration = (await navigator.serviceWorker.getRegistration())!;
    await registration.update().catch(() => undefined);
    while (registration.installing || registration.waiting) await new Promise((r) => setTimeout(r, 100));
  });
}

describe('offline kiosk', () => {
  const sessions: Session[] = [];
  let server: RunningServer | undefined;
  const profiles: string[] = [];
  // when set, the server answers the shell's stylesheet with other bytes than the build's
  let tamper = false;
  afterAll(async () => {
    for (const s of sessions) await s.context.close().catch(() => undefined);
    await server?.close();
    for (const p of profiles) await rm(p, { recursive: true, force: true });
  });

  const start = async (port = 0, appDir = SITE) =>
    (server = await serve({
      modelsDir: MODELS_DIR,
      appDir,
      port,
      csp: STRICT_CSP,
      before: [
        (req, res, next) => {
          if (!tamper || !req.url?.endsWith('.css')) return next();
          res.setHeader('Content-Type', 'text/css');
          res.end('body { color: red }\n');
        },
      ],
    }));
  const newProfile = async () => {
    profiles.push(await mkdtemp(join(tmpdir(), 'airlock-kiosk-')));
    return profiles.at(-1)!;
  };
  const checkSession = (s: Session) => {
    expect(s.recorder.foreign(), 'requests that left loopback').toEqual([]);
    expect(s.fromServiceWorker.filter((u) => new URL(u).pathname.startsWith('/models/'))).toEqual([]);
  };

  it('runs with the server gone, across a reload and a browser restart, and takes a new build', async () => {
    const want = { text: SAMPLE_TEXT, backend: 'wasm' };
    await buildKiosk(SITE, 'first edition');
    const first = await builtShell();
    const { origin } = await start();
    const port = Number(new URL(origin).port);
    const profile = await newProfile();

    // first visit, online: the shell is cached and the model stored and verified
    const online = await launch(profile, origin);
    sessions.push(online);
    await online.page.goto(`${origin}/kiosk/`);
    await waitReady(online.page);
    expect(await online.page.textContent('#build-id')).toBe(first.buildId);
    expect(await online.page.evaluate(() => caches.keys())).toEqual([`airlock-shell-${first.buildId}`]);
    const cachedUrls = await online.page.evaluate(
      async (name) => (await (await caches.open(name)).keys()).map((r) => new URL(r.url).pathname).sort(),
      `airlock-shell-${first.buildId}`,
    );
    expect(cachedUrls).toEqual(first.files.map((f) => f.url).sort());
    // the model came from the network, into the store, not through the service worker's cache
    const modelPaths = online.recorder.paths().filter((p) => p.startsWith('/models/paddleocr-v4/'));
    expect(modelPaths).toContain('/models/paddleocr-v4/manifest.json');
    // online, the task reads the sample as its ground truth says
    expect(await readSample(online.page)).toEqual(want);

    // the server stops: a reload comes from the shell, the model from the store
    await server!.close();
    await online.page.reload();
    await waitReady(online.page);
    expect(await readSample(online.page)).toEqual(want);
    // every file of the shell, the runtime files too, came from the service worker's cache
    const served = new Set(online.fromServiceWorker.map((u) => new URL(u).pathname));
    expect(first.files.map((f) => f.url.replace(/index\.html$/, '')).filter((u) => !served.has(u))).toEqual([]);
    checkSession(online);
    await mkdir(RESULTS_DIR, { recursive: true });
    for (const [width, height] of [
      [1280, 800],
      [420, 900],
    ] as const) {
      await online.page.setViewportSize({ width, height });
      await online.page.screenshot({ path: join(RESULTS_DIR, `kiosk-offline-${width}x${height}.png`) });
    }
    await online.context.close();

    // a browser restart on the same profile, the server still gone
    const restarted = await launch(profile, origin);
    sessions.push(restarted);
    await restarted.page.goto(`${origin}/kiosk/`);
    await waitReady(restarted.page);
    expect(await restarted.page.textContent('#edition')).toBe('first edition');
    expect(await readSample(restarted.page)).toEqual(want);
    checkSession(restarted);

    // a new build deployed, the server back: the next visit installs it and the page reloads into it
    await buildKiosk(SITE, 'second edition');
    const second = await builtShell();
    expect(second.buildId).not.toBe(first.buildId);
    await start(port);
    await restarted.page.goto(`${origin}/kiosk/`);
    await expect
      .poll(() => restarted.page.textContent('#edition').catch(() => null), { timeout: 60_000 })
      .toBe('second edition');
    await waitReady(restarted.page);
    expect(await restarted.page.textContent('#build-id')).toBe(second.buildId);
    expect(await restarted.page.evaluate(() => caches.keys())).toEqual([`airlock-shell-${second.buildId}`]);
    checkSession(restarted);
  });

  it('does not go live with a file that fails its hash, on a first visit or an update', async () => {
    await buildKiosk(TAMPERED_SITE, 'first edition');
    const first = await builtShell(TAMPERED_SITE);
    const { origin } = await start(0, TAMPERED_SITE);
    const session = await launch(await newProfile(), origin);
    sessions.push(session);
    const { page } = session;

    // first visit with the stylesheet changed on the server: no shell, and the page says so
    tamper = true;
    await page.goto(`${origin}/kiosk/`);
    await expect.poll(() => statusOf(page), { timeout: 90_000, interval: 250 }).toBe('not ready offline');
    expect(await page.textContent('#missing')).toBe('missing: shell');
    expect(await page.evaluate(() => caches.keys())).toEqual([]);
    expect(await page.evaluate(async () => (await navigator.serviceWorker.getRegistration())?.active ?? null)).toBe(
      null,
    );

    // the right bytes: the shell installs
    tamper = false;
    await page.reload();
    await waitReady(page);
    expect(await page.textContent('#build-id')).toBe(first.buildId);

    // a new build whose stylesheet the server changes: the old shell stays, whole
    await buildKiosk(TAMPERED_SITE, 'second edition');
    const second = await builtShell(TAMPERED_SITE);
    tamper = true;
    await page.goto(`${origin}/kiosk/`);
    await waitReady(page);
    await updateSettled(page);
    expect(await page.evaluate(() => caches.keys())).toEqual([`airlock-shell-${first.buildId}`]);
    await page.reload();
    await waitReady(page);
    expect(await page.textContent('#edition')).toBe('first edition');
    expect(await page.textContent('#build-id')).toBe(first.buildId);
    expect(second.buildId).not.toBe(first.buildId);
    checkSession(session);
  });
});

describe('offline shell calls on a page without a shell', () => {
  const browser = useBrowser();

  it('check their options, say a shell is missing, and prefetch the models', async () => {
    const { page } = await browser.open();
    const outcome = await page.evaluate(async () => {
      const { registerOfflineShell, offlineReadiness, createRuntime } = window.airlock;
      const ai = createRuntime();
      const code = (o: { ok: boolean; code?: string; details?: Record<string, unknown> }) =>
        o.ok ? 'ok' : `${o.code} ${String(o.details?.option)}`;
      const result = {
        foreignUrl: code(await window.settle(registerOfflineShell({ url: 'http://192.0.2.1/sw.js' }))),
        reload: code(await window.settle(registerOfflineShell({ reloadOnUpdate: 'yes' as never }))),
        missingScript: code(await window.settle(registerOfflineShell({ url: '/no-such-sw.js' }))),
        models: code(await window.settle(offlineReadiness(ai, { models: 'tiny-sentiment' as never }))),
        before: await offlineReadiness(ai, { models: ['tiny-sentiment'] }),
        after: await offlineReadiness(ai, { models: ['tiny-sentiment'], prefetch: true }),
      };
      await ai.dispose();
      return result;
    });
    expect(outcome).toEqual({
      foreignUrl: 'BAD_INPUT url',
      reload: 'BAD_INPUT reloadOnUpdate',
      missingScript: 'NETWORK url',
      models: 'BAD_INPUT models',
      before: {
        ready: false,
        shellCached: false,
        buildId: null,
        models: [{ id: 'tiny-sentiment', stored: false, verified: false }],
        missing: ['shell', 'tiny-sentiment'],
      },
      after: {
        ready: false,
        shellCached: false,
        buildId: null,
        models: [{ id: 'tiny-sentiment', stored: true, verified: true }],
        missing: ['shell'],
      },
    });
  });
});
