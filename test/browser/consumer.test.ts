// The package as an app gets it: `npm pack`, installed once with a plain `npm install` into a fresh
// folder, and used from there by one app per way of shipping it: Vite with `airlock/vite` (built and
// previewed, and on the dev server), webpack 5, esbuild, Rollup, and a plain page with no build,
// in Chromium. Everything each page and its worker request must come from the app's own origin,
// the ORT runtime files included, and no build may warn about the package.
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
import { ortDistDir } from '../../src/node/ort-files.js';
import { STRICT_CSP } from '../../src/node/serve/headers.js';
import { serve } from '../../src/node/serve/server.js';
import { staticDir } from '../../src/node/serve/static-files.js';
import { launchChromium } from '../support/chromium.js';
import { esbuildApp, listing, plainApp, rollupApp, webpackApp, type BuiltApp } from '../support/consumer/apps.js';
import { expectRanLocally, RUNTIME, TEXTS, visit } from '../support/consumer/visit.js';
import { MODELS_DIR, ROOT } from '../support/paths.js';

const run = promisify(execFile);
const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');
/** the app's own tools, linked from this checkout after the install (exact versions: package.json) */
const BUNDLERS = [
  'vite',
  'webpack',
  'esbuild',
  'rollup',
  '@rollup/plugin-node-resolve',
  '@web/rollup-plugin-import-meta-assets',
];

const VITE_FILES: Record<string, string> = {
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
let viteApp: string;
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
 * its dependencies from the registry, no npm settings. The bundlers, the apps' own tools, are
 * linked from this checkout afterwards; every app below lives in a folder of this one.
 */
async function install(): Promise<void> {
  await mkdir(app, { recursive: true });
  await writeFile(join(app, 'package.json'), JSON.stringify({ name: 'consumer', private: true, type: 'module' }));
  await run('npm', ['install', '--no-audit', '--no-fund', tarball], {
    cwd: app,
    env: plainEnv(),
    maxBuffer: 16 * 2 ** 20,
  });
  installedBytes = await folderBytes(join(app, 'node_modules'));
  for (const name of BUNDLERS) {
    await mkdir(join(app, 'node_modules', name, '..'), { recursive: true });
    await symlink(join(ROOT, 'node_modules', name), join(app, 'node_modules', name), 'dir');
  }
  await mkdir(viteApp);
  for (const [name, text] of Object.entries(VITE_FILES)) await writeFile(join(viteApp, name), text);
}

beforeAll(async () => {
  tmp = await mkdtemp(join(tmpdir(), 'airlock-consumer-'));
  app = join(tmp, 'app');
  viteApp = join(app, 'vite');
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
    const files = stdout
      .split('\n')
      .filter(Boolean)
      .map((f) => f.replace(/^package\//, ''));
    for (const f of [
      'package.json',
      'README.md',
      'LICENSE',
      'dist/index.js',
      'dist/worker.js',
      'dist/vite.js',
      'dist/types/index.d.ts',
      'dist/types/vite/index.d.ts',
    ]) {
      expect(files, f).toContain(f);
    }
    expect(files.filter((f) => !/^(dist\/|package\.json$|README\.md$|LICENSE$)/.test(f))).toEqual([]);
    // the one runtime pair the worker loads ships with it; no other engine file, no model
    expect(files.filter((f) => /\.wasm$|\.onnx$|^dist\/ort\//.test(f)).sort()).toEqual(
      RUNTIME.map((f) => `dist/ort/${f}`),
    );
  });

  it('installs from the registry alone: no Node engine, no image library, node_modules under 100 MB', () => {
    // the worker bundle carries transformers.js and onnxruntime-web's JavaScript: an app installs neither
    for (const name of ['onnxruntime-node', 'sharp', '@huggingface/transformers', 'onnxruntime-web']) {
      expect(existsSync(join(app, 'node_modules', name)), name).toBe(false);
    }
    expect(installedBytes).toBeLessThan(100 * 2 ** 20);
  });

  it('builds with the runtime files in the output, and runs from vite preview on its own origin', async () => {
    const configFile = join(viteApp, 'vite.config.ts');
    const warnings: string[] = [];
    const logger = createLogger('warn');
    // Rolldown's note that plugins were slow says how busy this machine was, not what the package is
    logger.warn = logger.warnOnce = (msg) => void (msg.includes('[PLUGIN_TIMINGS]') || warnings.push(msg));
    await build({ root: viteApp, configFile, customLogger: logger });
    // an app's build of the package is quiet: nothing it cannot resolve, nothing too large
    expect(warnings).toEqual([]);
    for (const name of RUNTIME) {
      expect(sha256(await readFile(join(viteApp, 'dist/airlock/ort', name))), name).toBe(
        sha256(await readFile(join(ortDistDir(), name))),
      );
    }
    const server = await preview({
      root: viteApp,
      configFile,
      logLevel: 'error',
      preview: { host: '127.0.0.1', port: 0, strictPort: true },
    });
    try {
      const got = await visit(browser, `http://127.0.0.1:${(server.httpServer.address() as AddressInfo).port}`);
      expectRanLocally(got);
      // the built app runs under the strict policy (a violation would be a console error)
      expect(got.csp).toBe(STRICT_CSP);
    } finally {
      await server.close();
    }
  });

  it('runs on the vite dev server', async () => {
    const server = await createServer({
      root: viteApp,
      configFile: join(viteApp, 'vite.config.ts'),
      logLevel: 'error',
      server: { host: '127.0.0.1', port: 0, strictPort: true },
    });
    await server.listen();
    try {
      expectRanLocally(await visit(browser, `http://127.0.0.1:${(server.httpServer!.address() as AddressInfo).port}`));
    } finally {
      await server.close();
    }
  });
});

/**
 * An app's files as static files on 127.0.0.1 with the recommended headers (COOP, COEP, CORP,
 * nosniff) and the strict CSP. The server's own runtime files are switched off, so that what the
 * page gets at its runtimeBase is what the app's folder holds.
 */
async function servedApp(built: BuiltApp): Promise<void> {
  const server = await serve({
    modelsDir: MODELS_DIR,
    runtimeFiles: [],
    before: [staticDir(built.dir, { index: true })],
    csp: STRICT_CSP,
  });
  try {
    const got = await visit(browser, server.origin);
    expectRanLocally(got, built.runtimeBase);
    expect(got.csp).toBe(STRICT_CSP);
    // the worker came from the page's origin, where the build or `airlock runtime` put it
    expect(got.paths, JSON.stringify(await listing(built.dir))).toContain(built.workerPath);
    expect(await readFile(join(built.dir, built.workerPath), 'utf8')).toMatch(/InferenceSession/);
  } finally {
    await server.close();
  }
}

describe('the packed library in apps of other bundlers, and in none', () => {
  it('webpack 5 bundles the worker it finds through new URL, and builds without a warning', async () => {
    const built = await webpackApp(app);
    expect(built.warnings).toEqual([]);
    await servedApp(built);
  });

  it('esbuild bundles the page; the worker is the one airlock runtime wrote, named by workerUrl', async () => {
    const built = await esbuildApp(app);
    expect(built.warnings).toEqual([]);
    expect(built.workerPath).toBe('/airlock/ort/worker.js');
    await servedApp(built);
  });

  it('Rollup with node-resolve and the import-meta-assets plugin copies the worker, which imports nothing', async () => {
    const built = await rollupApp(app);
    expect(built.warnings).toEqual([]);
    await servedApp(built);
  });

  it('a page with no build imports createRuntime from the files airlock runtime wrote', async () => {
    const built = await plainApp(app);
    expect(built.workerPath).toBe('/vendor/airlock/worker.js');
    await servedApp(built);
  });
});
