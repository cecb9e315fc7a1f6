// `npm run bench [-- --quick] [-- --webgpu] [-- --only inference,cold,...] [-- --reps N]`: Airlock
// side by side with the plain ways, in headless Chromium on loopback; results in bench/results/.
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, platform, release, totalmem } from 'node:os';
import { join, resolve } from 'node:path';
import { format, resolveConfig } from 'prettier';
import { bigGatherRows } from '../scripts/fixtures/big-gather.js';
import { copyNpmModels } from '../scripts/copy-npm-models.js';
import { MODELS_DIR, ROOT } from '../test/support/paths.js';
import { openBench } from './lib/browser.js';
import { BENCH_APP, BENCH_MODELS, buildBenchApp, gatherId, writeGatherModels } from './lib/build.js';
import { renderChart } from './lib/chart.js';
import { FLOORS } from './lib/floors.js';
import { ratiosOf } from './lib/ratios.js';
import { barsOf, floorKinds, passOf, tableOf, type Results, type Rows } from './lib/report.js';
import type { RunSettings, SuiteContext } from './suites/context.js';
import { runInference } from './suites/inference.js';
import { runColdLoads, runWarmLoads } from './suites/loads.js';
import { runLongTasks } from './suites/long-tasks.js';
import { runMemory } from './suites/memory.js';
import { measurePageKB } from './suites/page-size.js';
import { runStore } from './suites/store.js';

const SUITES = ['inference', 'longtasks', 'warm', 'cold', 'memory', 'store', 'page'] as const;
type Suite = (typeof SUITES)[number];

function parseArgs(argv: string[]): { settings: RunSettings; only: Set<Suite> } {
  const quick = argv.includes('--quick');
  const value = (flag: string) => {
    const i = argv.indexOf(flag);
    return i >= 0 ? argv[i + 1] : undefined;
  };
  const only = new Set((value('--only')?.split(',') ?? SUITES) as Suite[]);
  for (const s of only) if (!SUITES.includes(s)) throw new Error(`unknown suite ${s}; known: ${SUITES.join(', ')}`);
  const reps = Number(value('--reps') ?? (quick ? 1 : 5));
  return {
    only,
    settings: {
      quick,
      device: argv.includes('--webgpu') ? 'webgpu' : 'wasm',
      repetitions: reps,
      warmSizes: quick ? [16, 64] : [16, 64, 256],
      coldSizes: quick ? [16, 64] : [16, 64, 256, 512],
      bigSize: quick ? 64 : 256,
    },
  };
}

const git = (...args: string[]) => execFileSync('git', args, { cwd: ROOT, encoding: 'utf8' }).trim();

/** Runs the chosen suites in order, each on fresh pages; fails if any request left loopback. */
async function runSuites(ctx: SuiteContext, only: Set<Suite>): Promise<Rows> {
  const { browser, settings } = ctx;
  const rows: Rows = {};
  // the external data's bytes; the .onnx adds a few hundred
  const bigBytes = (mib: number) => bigGatherRows(mib) * 1024;
  const threadPage = await browser.fresh('/');
  ctx.threads = await threadPage.evaluate(() => window.bench.wasmThreads());
  const step = async <T>(name: Suite, run: () => Promise<T>): Promise<T | undefined> => {
    if (!only.has(name)) return undefined;
    ctx.log(`${name}:`);
    return run();
  };
  rows.inference = await step('inference', () => runInference(ctx));
  rows.longTasks = await step('longtasks', () => runLongTasks(ctx));
  rows.warmLoads = await step('warm', () => runWarmLoads(ctx));
  rows.coldLoads = await step('cold', () => runColdLoads(ctx));
  rows.memory = await step('memory', () => runMemory(ctx, bigBytes(settings.bigSize)));
  rows.store = await step('store', () => runStore(ctx, bigBytes(settings.bigSize)));
  rows.page = await step('page', () => measurePageKB());
  const foreign = browser.recorder.foreign();
  if (foreign.length > 0) throw new Error(`requests left 127.0.0.1: ${foreign.map((r) => r.url).join(', ')}`);
  return rows;
}

/** The run's record: the rows, their ratios against the floors, and where they were measured. */
function resultsOf(rows: Rows, ctx: SuiteContext, commit: string): Results {
  const { settings, browser } = ctx;
  const loadSize = settings.quick ? Math.max(...settings.warmSizes) : 256;
  const ratios = ratiosOf({
    verdicts: rows.inference?.verdicts,
    longTaskCount: rows.longTasks?.count,
    warmAgainstCache: rows.warmLoads && new Map(rows.warmLoads.map((s) => [s.mib, s.against.cacheApi!])),
    coldAgainstFetch: rows.coldLoads && new Map(rows.coldLoads.map((s) => [s.mib, s.against.plainFetch!])),
    loadSize,
    downloadMemoryRatio: rows.memory?.downloadRatio,
    store: rows.store,
    pageKB: rows.page?.kB,
  });
  return {
    schema: 'airlock-bench/1',
    date: new Date().toISOString(),
    commit,
    mode: settings.quick ? 'quick' : 'full',
    machine: {
      cpu: cpus()[0]?.model ?? 'unknown',
      cores: cpus().length,
      memoryGiB: Math.round(totalmem() / 2 ** 30),
      os: `${platform()} ${release()}`,
      node: process.version,
    },
    browser: { name: 'Chromium', version: browser.version, headless: true },
    backend: settings.device,
    wasmThreads: ctx.threads,
    repetitions: settings.repetitions,
    rows,
    ratios,
    floors: { ...FLOORS },
    floorKinds: floorKinds(),
    pass: passOf(ratios),
    shortCalls: (rows.inference?.verdicts ?? [])
      .filter((v) => v.short)
      .map((v) => ({ name: v.name, extraMs: v.extraMs, ok: v.ok })),
  };
}

/**
 * Writes the JSON (formatted as the project's formatter would, so the lint passes on committed
 * results) and the chart to bench/results/ and logs the table; returns the files' names.
 */
async function writeResults(results: Results, ctx: SuiteContext, partial: boolean): Promise<string> {
  const { settings, browser } = ctx;
  const { commit, ratios } = results;
  const dir = resolve(ROOT, 'bench/results');
  mkdirSync(dir, { recursive: true });
  const suffix = `${settings.quick ? '-quick' : ''}${settings.device === 'webgpu' ? '-webgpu' : ''}${partial ? '-partial' : ''}`;
  const file = join(dir, 'latest.json');
  const json = await format(JSON.stringify(results), { ...(await resolveConfig(file)), filepath: file });
  const name = `${results.date.slice(0, 10)}-${commit}${suffix}`;
  writeFileSync(join(dir, `${name}.json`), json);
  if (!partial) writeFileSync(join(dir, `latest${suffix}.json`), json);
  const title = `Airlock bench ${results.mode}, ${settings.device}, Chromium ${browser.version}, ${results.machine.cores} cores (${commit})`;
  writeFileSync(join(dir, `${partial ? name : `latest${suffix}`}.svg`), renderChart(title, barsOf(results)));
  ctx.log(`\n${tableOf(results)}\n`);
  ctx.log(`ratios: ${JSON.stringify(ratios)}`);
  ctx.log(`pass:   ${JSON.stringify(results.pass)}`);
  return `bench/results/${name}.json${partial ? '' : `, latest${suffix}.json, latest${suffix}.svg`}`;
}

async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  const { settings, only } = parseArgs(argv);
  // the code under test is what is checked out now: the commit is taken before anything is built
  const commit =
    git('rev-parse', '--short', 'HEAD') + (git('status', '--porcelain', '--untracked-files=no') ? '-dirty' : '');
  const log = (line: string) => console.log(line);
  const started = Date.now();
  const sizes = [...new Set([...settings.warmSizes, ...settings.coldSizes, settings.bigSize])].sort((a, b) => a - b);
  log(
    `bench: ${settings.quick ? 'quick' : 'full'}, ${settings.device}, ${settings.repetitions} repetition(s); models ${sizes.join(', ')} MiB`,
  );
  await copyNpmModels(MODELS_DIR);
  await writeGatherModels(sizes);
  await buildBenchApp();
  const browser = await openBench(
    settings.device === 'webgpu' ? 'webgpu' : 'nogpu',
    BENCH_APP,
    BENCH_MODELS,
    sizes.map(gatherId),
  );
  const ctx: SuiteContext = { browser, settings, threads: 1, log };
  let rows: Rows;
  try {
    rows = await runSuites(ctx, only);
  } finally {
    await browser.close();
  }
  // a run of some suites only is kept under its own name and never becomes the latest
  const written = await writeResults(resultsOf(rows, ctx, commit), ctx, argv.includes('--only'));
  log(`written: ${written} (${Math.round((Date.now() - started) / 1000)} s)`);
}

await main();
