// The package as an app gets it: `npm pack`, installed with a plain `npm install` into a fresh Vite app that uses
// `airlock/vite`, built and previewed (and run on the dev server), in Chromium. Everything the page
// and its worker request must come from the app's own origin, the ORT runtime files included.
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { lstat, mkdir, mkdtemp, readFile, readdir, rm, symlink, writeFile } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { Browser } from 'playwright-core';
import { build, createLogger, createServer, preview } from 'vite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { reference } from '../../scripts/fixtures/tiny-sentiment.js';
import { ortDistDir } from '../../src/node/ort-files.js';
import { STRICT_CSP } from '../../src/node/serve/headers.js';
import { launchChromium } from '../support/chromium.js';
import { RequestRecorder } from '../support/egress.js';
import { MODELS_DIR, ROOT } from '../support/paths.js';

const run = promisify(execFile);
const TEXTS = ['great film', 'terrible film'];
const RUNTIME = ['ort-wasm-simd-threaded.asyncify.mjs', 'ort-wasm-simd-threaded.asyncify.wasm'];
const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

const APP_FILES: Record<string, string> = {
  'package.json': JSON.stringify({ name: 'consumer', private: true, type: 'module' }),
  'index.html': `<!doctype html>
<html lang="en">
  <head><meta charset="utf-8" /><title>consumer</title></head>
  <body>
    <p id="status">loading</p>
    <pre id="result"></pre>
    <script type="module" src="./main.ts"></script>
  </body>
</html>
`,
  'main.ts': `import { createRuntime } from 'airlock';

const status = document.getElementById('status')!;
try {
  const ai = createRuntime();
  const classify = await ai.pipeline('text-classification', 'tiny-sentiment');
  const results = [];
  for (const text of ${JSON.stringify(TEXTS)}) results.push(((await classify(text)) as { label: string; score: number }[])[0]);
  const evidence = await ai.audit.export();
  document.getElementById('result')!.textContent = JSON.stringify({ results, backend: classify.backend, noEgress: evidence.egress.none, requests: evidence.requests.total });
  status.textContent = 'ready';
} catch (e) {
  status.textContent = 'failed: ' + String(e);
}
`,
  'vite.config.ts': `import { defineConfig } from 'vite';
import airlock, { STRICT_CSP } from 'airlock/vite';

export default defineConfig({
  plugins: [airlock({ modelsDir: ${JSON.stringify(MODELS_DIR)}, csp: STRICT_CSP })],
  build: { target: 'es2022' },
});
`,
};

let tmp: string;
let app: string;
let tarball: string;
let browser: Browser;
/** the size of the app's node_modules after installing the package */
let installedBytes: number;

/** npm's settings from the environment (`npm test` passes this checkout's .npmrc on): none reach the app's install. */
function plainEnv(): NodeJS.ProcessEnv {
  return Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^npm_|^ONNXRUNTIME_NODE_INSTALL$/i.test(k)));
}

/** Bytes on disk under a folder, links not followed. */
async function folderBytes(dir: string): Promise<number> {
  let total = 0;
  for (const entry of await readdir(dir, { withFileTypes: true, recursive: true })) {
    if (entry.isFile()) total += (await lstat(join(entry.parentPath, entry.name))).size;
  }
  return total;
}

/**
 * Installs the tarball as an app on an intranet machine would: a plain `npm install <tarball>`,
 * its dependencies from the registry, no npm settings. Vite, the app's own tool, is linked from
 * this checkout afterwards.
 */
async function install(): Promise<void> {
  await mkdir(app, { recursive: true });
  for (const [name, text] of Object.entries(APP_FILES)) await writeFile(join(app, name), text);
  await run('npm', ['install', '--no-audit', '--no-fund', tarball], { cwd: app, env: plainEnv(), maxBuffer: 16 * 2 ** 20 });
  installedBytes = await folderBytes(join(app, 'node_modules'));
  await symlink(join(ROOT, 'node_modules', 'vite'), join(app, 'node_modules', 'vite'), 'dir');
}

interface Visit {
  status: string;
  result: { results: { label: string; score: number }[]; backend: string; noEgress: boolean; requests: number } | null;
  isolated: boolean;
  /** the page's Content-Security-Policy header, if any */
  csp: string | null;
  paths: string[];
  foreign: string[];
  errors: string[];
}

async function visit(origin: string): Promise<Visit> {
  const context = await browser.newContext();
  try {
    const recorder = new RequestRecorder(origin);
    await recorder.attach(context);
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
    page.on('pageerror', (e) => errors.push(String(e)));
    await page.goto(`${origin}/`);
    await page.waitForFunction(() => !document.getElementById('status')?.textContent?.startsWith('loading'), null, { timeout: 60_000 });
    const text = (await page.textContent('#result')) || 'null';
    return {
      status: (await page.textContent('#status')) ?? '',
      result: JSON.parse(text) as Visit['result'],
      isolated: await page.evaluate(() => crossOriginIsolated),
      csp: await page.evaluate(async () => (await fetch(location.href)).headers.get('content-security-policy')),
      paths: recorder.paths(),
      foreign: recorder.foreign().map((r) => r.url),
      errors,
    };
  } finally {
    await context.close();
  }
}

function expectRanLocally(got: Visit): void {
  expect(got.status).toBe('ready');
  expect(got.result!.results.map((r) => r.label)).toEqual(TEXTS.map((t) => reference(t)[0]!.label));
  got.result!.results.forEach((r, i) => expect(r.score).toBeCloseTo(reference(TEXTS[i]!)[0]!.score, 4));
  expect(got.result!.backend).toBe('wasm');
  // the library's own evidence agrees: every one of its requests stayed on the origin
  expect(got.result!.noEgress).toBe(true);
  expect(got.result!.requests).toBeGreaterThanOrEqual(RUNTIME.length + 1);
  // the plugin's headers make the page cross-origin isolated (WASM threads)
  expect(got.isolated).toBe(true);
  // ORT's runtime came from the app's origin at the default runtimeBase, and only that pair
  expect(got.paths.filter((p) => /ort-wasm/.test(p)).sort()).toEqual(RUNTIME.map((f) => `/airlock/ort/${f}`));
  expect(got.foreign).toEqual([]);
  expect(got.errors).toEqual([]);
}

beforeAll(async () => {
  tmp = await mkdtemp(join(tmpdir(), 'airlock-consumer-'));
  app = join(tmp, 'app');
  // prepack builds dist/ first, so the tarball holds what this checkout builds
  await run('npm', ['pack', '--pack-destination', tmp], { cwd: ROOT, maxBuffer: 64 * 2 ** 20 });
  const packed = (await readdir(tmp)).filter((f) => f.endsWith('.tgz'));
  expect(packed).toHaveLength(1);
  tarball = join(tmp, packed[0]!);
  await install();
  browser = await launchChromium('nogpu');
}, 120_000);

afterAll(async () => {
  await browser?.close();
  if (tmp) await rm(tmp, { recursive: true, force: true });
});

describe('the packed library in a Vite app', () => {
  it('packs the built library and the plugin, and no sources, tests or models', async () => {
    const { stdout } = await run('tar', ['-tzf', tarball]);
    const files = stdout.split('\n').filter(Boolean).map((f) => f.replace(/^package\//, ''));
    for (const f of ['package.json', 'README.md', 'LICENSE', 'dist/index.js', 'dist/worker.js', 'dist/vite.js', 'dist/types/index.d.ts', 'dist/types/vite/index.d.ts']) {
      expect(files, f).toContain(f);
    }
    expect(files.filter((f) => !/^(dist\/|package\.json$|README\.md$|LICENSE$)/.test(f))).toEqual([]);
    // the one runtime pair the worker loads ships with it; no other engine file, no model
    expect(files.filter((f) => /\.wasm$|\.onnx$|^dist\/ort\//.test(f)).sort()).toEqual(RUNTIME.map((f) => `dist/ort/${f}`));
  });

  it('installs from the registry alone: no Node engine, no image library, node_modules under 100 MB', () => {
    // the worker bundle carries transformers.js and onnxruntime-web's JavaScript: an app installs neither
    for (const name of ['onnxruntime-node', 'sharp', '@huggingface/transformers', 'onnxruntime-web']) {
      expect(existsSync(join(app, 'node_modules', name)), name).toBe(false);
    }
    expect(installedBytes).toBeLessThan(100 * 2 ** 20);
  });

  it('builds with the runtime files in the output, and runs from vite preview on its own origin', async () => {
    const configFile = join(app, 'vite.config.ts');
    const warnings: string[] = [];
    const logger = createLogger('warn');
    // Rolldown's note that plugins were slow says how busy this machine was, not what the package is
    logger.warn = logger.warnOnce = (msg) => void (msg.includes('[PLUGIN_TIMINGS]') || warnings.push(msg));
    await build({ root: app, configFile, customLogger: logger });
    // an app's build of the package is quiet: nothing it cannot resolve, nothing too large
    expect(warnings).toEqual([]);
    for (const name of RUNTIME) {
      expect(sha256(await readFile(join(app, 'dist/airlock/ort', name))), name).toBe(sha256(await readFile(join(ortDistDir(), name))));
    }
    const server = await preview({ root: app, configFile, logLevel: 'error', preview: { host: '127.0.0.1', port: 0, strictPort: true } });
    try {
      const got = await visit(`http://127.0.0.1:${(server.httpServer.address() as AddressInfo).port}`);
      expectRanLocally(got);
      // the built app runs under the strict policy (a violation would be a console error)
      expect(got.csp).toBe(STRICT_CSP);
    } finally {
      await server.close();
    }
  });

  it('runs on the vite dev server', async () => {
    const server = await createServer({ root: app, configFile: join(app, 'vite.config.ts'), logLevel: 'error', server: { host: '127.0.0.1', port: 0, strictPort: true } });
    await server.listen();
    try {
      expectRanLocally(await visit(`http://127.0.0.1:${(server.httpServer!.address() as AddressInfo).port}`));
    } finally {
      await server.close();
    }
  });
});
