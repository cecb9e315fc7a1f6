// Consumer apps of the packed package, one per way of shipping it: webpack 5, esbuild and Rollup
// builds, and a plain page with no build. Each is built (where there is a build) with the
// bundler's Node API, gets its runtime files from the installed package's `airlock runtime`,
// and reports every warning its build printed.
import { execFile } from 'node:child_process';
import { mkdir, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { build as esbuild } from 'esbuild';
import { nodeResolve } from '@rollup/plugin-node-resolve';
import { importMetaAssets } from '@web/rollup-plugin-import-meta-assets';
import { rollup } from 'rollup';
import webpack from 'webpack';
import { TEXTS } from './visit.js';

const run = promisify(execFile);

export interface BuiltApp {
  /** the folder to serve at `/` */
  dir: string;
  warnings: string[];
  /** where the page's worker script is served, as the app's build or `airlock runtime` put it */
  workerPath: string;
  runtimeBase: string;
}

/** The app's code: the classifier on TEXTS, its result in #result. No top-level await, no TypeScript. */
function mainSource(specifier: string, options: Record<string, string>): string {
  return `import { createRuntime } from '${specifier}';

const status = document.getElementById('status');
async function main() {
  const ai = createRuntime(${JSON.stringify(options)});
  const classify = await ai.pipeline('text-classification', 'tiny-sentiment');
  const results = [];
  for (const text of ${JSON.stringify(TEXTS)}) results.push((await classify(text))[0]);
  const evidence = await ai.audit.export();
  document.getElementById('result').textContent = JSON.stringify({ results, backend: classify.backend, noEgress: evidence.egress.none, requests: evidence.requests.total });
  status.textContent = 'ready';
}
main().catch((e) => { status.textContent = 'failed: ' + String(e); });
`;
}

const html = (script: string) => `<!doctype html>
<html lang="en">
  <head><meta charset="utf-8" /><title>consumer</title></head>
  <body>
    <p id="status">loading</p>
    <pre id="result"></pre>
    ${script}
  </body>
</html>
`;

async function writeFiles(dir: string, files: Record<string, string>): Promise<void> {
  for (const [name, text] of Object.entries(files)) {
    await mkdir(join(dir, name, '..'), { recursive: true });
    await writeFile(join(dir, name), text);
  }
}

/** `airlock runtime --out <dir> --base <base>` from the installed package, as an admin runs it. */
async function airlockRuntime(
  app: string,
  out: string,
  base: string,
): Promise<{ workerUrl: string; runtimeBase: string }> {
  const { stdout } = await run(
    process.execPath,
    [join(app, 'node_modules/airlock/dist/cli.js'), 'runtime', '--out', out, '--base', base, '--json'],
    { cwd: app },
  );
  return JSON.parse(stdout) as { workerUrl: string; runtimeBase: string };
}

export async function webpackApp(app: string): Promise<BuiltApp> {
  const dir = join(app, 'webpack');
  await writeFiles(dir, { 'src/main.js': mainSource('airlock', {}) });
  const stats = await new Promise<webpack.Stats>((done, fail) => {
    webpack(
      {
        mode: 'production',
        context: dir,
        entry: './src/main.js',
        output: { path: join(dir, 'dist'), clean: true },
        // the worker (`airlock.js`, from the Worker's name) loads off the main thread
        performance: { assetFilter: (name: string) => name !== 'airlock.js' && !name.endsWith('.map') },
      },
      (error, result) => (error || !result ? fail(error ?? new Error('no stats')) : done(result)),
    );
  });
  const { warnings = [], errors = [] } = stats.toJson({ all: false, warnings: true, errors: true });
  await writeFiles(join(dir, 'dist'), { 'index.html': html('<script defer src="./main.js"></script>') });
  const { runtimeBase } = await airlockRuntime(app, join(dir, 'dist/airlock/ort'), '/airlock/ort/');
  return {
    dir: join(dir, 'dist'),
    warnings: [...errors, ...warnings].map((w) => w.message),
    workerPath: '/airlock.js',
    runtimeBase,
  };
}

export async function esbuildApp(app: string): Promise<BuiltApp> {
  const dir = join(app, 'esbuild');
  const out = join(dir, 'dist');
  const runtime = await airlockRuntime(app, join(out, 'airlock/ort'), '/airlock/ort/');
  await writeFiles(dir, { 'src/main.js': mainSource('airlock', { workerUrl: runtime.workerUrl }) });
  const result = await esbuild({
    entryPoints: [join(dir, 'src/main.js')],
    bundle: true,
    format: 'esm',
    minify: true,
    outdir: out,
    logLevel: 'silent',
    absWorkingDir: dir,
  });
  await writeFiles(out, { 'index.html': html('<script type="module" src="./main.js"></script>') });
  return {
    dir: out,
    warnings: [...result.errors, ...result.warnings].map((w) => w.text),
    workerPath: runtime.workerUrl,
    runtimeBase: runtime.runtimeBase,
  };
}

export async function rollupApp(app: string): Promise<BuiltApp> {
  const dir = join(app, 'rollup');
  const out = join(dir, 'dist');
  await writeFiles(dir, { 'src/main.js': mainSource('airlock', {}) });
  const warnings: string[] = [];
  const bundle = await rollup({
    input: join(dir, 'src/main.js'),
    plugins: [nodeResolve({ browser: true }), importMetaAssets()],
    onwarn: (w) => void warnings.push(w.message),
  });
  const { output } = await bundle.write({ dir: out, format: 'es' });
  await bundle.close();
  await writeFiles(out, { 'index.html': html('<script type="module" src="./main.js"></script>') });
  const { runtimeBase } = await airlockRuntime(app, join(out, 'airlock/ort'), '/airlock/ort/');
  // Rollup's asset plugin copies the worker, which imports nothing, under a hashed name
  const worker = output.map((o) => o.fileName).filter((f) => /^assets\/worker-[\w-]+\.js$/.test(f));
  if (worker.length !== 1) throw new Error(`rollup emitted ${JSON.stringify(output.map((o) => o.fileName))}`);
  return { dir: out, warnings, workerPath: `/${worker[0]}`, runtimeBase };
}

export async function plainApp(app: string): Promise<BuiltApp> {
  const dir = join(app, 'plain');
  const runtime = await airlockRuntime(app, join(dir, 'vendor/airlock'), '/vendor/airlock/');
  // index.js finds worker.js beside it: the page names only where the runtime files are
  await writeFiles(dir, {
    'main.js': mainSource(runtime.runtimeBase.replace(/\/$/, '/index.js'), { runtimeBase: runtime.runtimeBase }),
    'index.html': html('<script type="module" src="./main.js"></script>'),
  });
  return { dir, warnings: [], workerPath: runtime.workerUrl, runtimeBase: runtime.runtimeBase };
}

/** the files an app's folder holds, for a failure message */
export const listing = async (dir: string) => (await readdir(dir, { recursive: true })).sort();
