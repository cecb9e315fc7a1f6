// The bench's browser: Debian's Chromium headless with a profile on disk (so IndexedDB and the
// Cache API live on disk, as they do for users), the model server on loopback, and every request
// recorded: the run fails if one leaves 127.0.0.1's origin.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { serve, type Handler, type RunningServer } from '../../src/node/serve/server.js';
import { staticDir } from '../../src/node/serve/static-files.js';
import { chromiumArgs, chromiumPath, type GpuMode } from '../../test/support/chromium.js';
import { RequestRecorder } from '../../test/support/egress.js';
import { MODELS_DIR } from '../../test/support/paths.js';

export interface BenchBrowser {
  origin: string;
  context: BrowserContext;
  recorder: RequestRecorder;
  version: string;
  /** a fresh page at `path`, once it says ready; the previous one is closed */
  fresh(path?: string): Promise<Page>;
  close(): Promise<void>;
}

/** Serves `/models/<id>/` from `benchModels` for the ids it holds, before the regular models. */
function benchModelsHandler(benchModels: string, ids: readonly string[]): Handler {
  const files = staticDir(benchModels);
  return (req, res, next) => {
    const url = req.url ?? '';
    const id = /^\/models\/([^/]+)\//.exec(url)?.[1];
    if (!id || !ids.includes(id)) return next();
    const saved = req.url;
    req.url = url.slice('/models'.length);
    files(req, res, () => ((req.url = saved), next()));
  };
}

export async function openBench(
  mode: GpuMode,
  appDir: string,
  benchModels: string,
  benchIds: readonly string[],
): Promise<BenchBrowser> {
  const server: RunningServer = await serve({
    modelsDir: MODELS_DIR,
    appDir,
    before: [benchModelsHandler(benchModels, benchIds)],
    isolate: true,
  });
  const profile = mkdtempSync(join(tmpdir(), 'airlock-bench-profile-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: chromiumPath(),
    headless: true,
    args: chromiumArgs(mode),
  });
  const recorder = new RequestRecorder(server.origin);
  await recorder.attach(context);
  let current: Page | undefined;
  const errors: string[] = [];
  for (const p of context.pages()) await p.close();
  return {
    origin: server.origin,
    context,
    recorder,
    version: context.browser()?.version() ?? (await versionOf(context)),
    async fresh(path = '/') {
      await current?.close();
      const page = (current = await context.newPage());
      page.on('pageerror', (e) => errors.push(String(e)));
      await page.goto(new URL(path, server.origin).href);
      await page.waitForFunction(() => document.getElementById('status')?.textContent === 'ready', null, {
        timeout: 60_000,
      });
      return page;
    },
    async close() {
      await context.close();
      await server.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

async function versionOf(context: BrowserContext): Promise<string> {
  const page = await context.newPage();
  const ua = await page.evaluate(() => navigator.userAgent);
  await page.close();
  return /Chrome\/([\d.]+)/.exec(ua)?.[1] ?? 'unknown';
}
