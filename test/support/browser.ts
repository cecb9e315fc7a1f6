// The browser-test harness: one server and one Chromium per test file, a fresh context per
// test, and after every test a check that no request left the server's origin.
import { afterAll, afterEach, beforeAll, expect } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { openAccessLog, type AccessLog } from '../../src/node/access-log.js';
import { serve, type Handler, type RunningServer } from '../../src/node/serve/server.js';
import { gpuMode, launchChromium, type GpuMode } from './chromium.js';
import { RequestRecorder } from './egress.js';
import { APP_BUILD, MODELS_DIR } from './paths.js';

export interface OpenedPage {
  page: Page;
  context: BrowserContext;
  recorder: RequestRecorder;
  /** console errors and uncaught exceptions, for failure messages */
  errors: string[];
}

export interface BrowserHarness {
  readonly mode: GpuMode;
  /** the backend `device: 'auto'` takes in this mode */
  readonly expectedBackend: 'webgpu' | 'wasm';
  readonly origin: string;
  /** `alsoAllowed`: further origins this test talks to on purpose, e.g. a model origin of its own */
  open(path?: string, alsoAllowed?: readonly string[]): Promise<OpenedPage>;
}

export interface HarnessOptions {
  before?: Handler[];
  appDir?: string;
  isolate?: boolean;
  csp?: string;
  accessLog?: string;
  collector?: Handler;
}

/** The test server on loopback, with the access log attached when the test asks for one. */
async function startServer(options: HarnessOptions): Promise<{ server: RunningServer; accessLog?: AccessLog }> {
  const server = await serve({
    modelsDir: MODELS_DIR,
    appDir: options.appDir ?? APP_BUILD,
    before: options.before ?? [],
    isolate: options.isolate ?? true,
    ...(options.csp && { csp: options.csp }),
    ...(options.collector && { collector: options.collector }),
  });
  if (!options.accessLog) return { server };
  const accessLog = await openAccessLog(options.accessLog, (e) => console.error(e));
  accessLog.attach(server.server);
  return { server, accessLog };
}

export function useBrowser(options: HarnessOptions = {}): BrowserHarness {
  let server: RunningServer | undefined;
  let accessLog: AccessLog | undefined;
  let browser: Browser | undefined;
  const opened: OpenedPage[] = [];

  beforeAll(async () => {
    ({ server, accessLog } = await startServer(options));
    browser = await launchChromium();
  });

  afterEach(async () => {
    const pages = opened.splice(0);
    for (const p of pages) await p.context.close();
    for (const p of pages) {
      expect(p.recorder.foreign(), 'requests that left the test origin').toEqual([]);
    }
  });

  afterAll(async () => {
    await browser?.close();
    await accessLog?.close();
    await server?.close();
  });

  const mode = gpuMode();
  return {
    mode,
    expectedBackend: mode === 'webgpu' ? 'webgpu' : 'wasm',
    get origin() {
      if (!server) throw new Error('server not started');
      return server.origin;
    },
    async open(path = '/', alsoAllowed: readonly string[] = []) {
      if (!server || !browser) throw new Error('harness not started');
      const context = await browser.newContext();
      const recorder = new RequestRecorder(server.origin, alsoAllowed);
      await recorder.attach(context);
      const page = await context.newPage();
      const errors: string[] = [];
      page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
      page.on('pageerror', (e) => errors.push(String(e)));
      const entry = { page, context, recorder, errors };
      opened.push(entry);
      await page.goto(new URL(path, server.origin).href);
      // both the test page and the demo say "ready" once their models are loaded
      await page.waitForFunction(() => document.getElementById('status')?.textContent?.startsWith('ready'), null, {
        timeout: 90_000,
      });
      return entry;
    },
  };
}

/** A second page of the test page in a context that `open` made (two tabs of one origin). */
export async function openAnother(context: BrowserContext, origin: string): Promise<Page> {
  const page = await context.newPage();
  await page.goto(`${origin}/`);
  await page.waitForFunction(() => document.getElementById('status')?.textContent === 'ready');
  return page;
}
