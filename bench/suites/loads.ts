// Rows 3 and 4: warm and cold loads of generated big-gather models, time to first result.
// Each measurement is a fresh page (a fresh worker on each side); the sides take turns.
import type { Page } from 'playwright-core';
import { BIG_GATHER_COLS, bigGatherReference, bigGatherRows } from '../../scripts/fixtures/big-gather.js';
import type { LoadResult } from '../app/loads.js';
import type { RefSource } from '../app/protocol.js';
import { gatherId } from '../lib/build.js';
import { inTurn } from '../lib/rotate.js';
import { compare, summarize, type Comparison, type Summary } from '../lib/stats.js';
import { config, type SuiteContext } from './context.js';

export interface LoadSize {
  mib: number;
  airlock: Summary;
  references: Record<string, Summary>;
  /** Airlock against each reference */
  against: Record<string, Comparison>;
  /** Airlock's median ms at which each phase was first reported */
  phases: Record<string, number>;
}

/** The first result must be the table's rows: a load that gets wrong bytes is no load. */
function checked(r: LoadResult, mib: number): LoadResult {
  const rows = bigGatherRows(mib);
  const ref = bigGatherReference([0, rows - 1]);
  const expected = [...ref.slice(0, 4), ...ref.slice(BIG_GATHER_COLS, BIG_GATHER_COLS + 4)];
  if (r.firstValues.some((v, i) => Math.abs(v - expected[i]!) > 1e-6))
    throw new Error(`big-gather-${mib}: wrong first result ${r.firstValues.join(',')}`);
  return r;
}

async function measure(ctx: SuiteContext, page: Page, side: 'airlock' | RefSource, mib: number): Promise<LoadResult> {
  const id = gatherId(mib);
  const rows = bigGatherRows(mib);
  const c = config(ctx);
  const r =
    side === 'airlock'
      ? await page.evaluate(([c, id, rows, cols]) => window.bench.airlockLoad(c, id, rows, cols), [
          c,
          id,
          rows,
          BIG_GATHER_COLS,
        ] as const)
      : await page.evaluate(([c, id, s, rows, cols, t]) => window.bench.referenceLoad(c, id, s, rows, cols, t), [
          c,
          id,
          side,
          rows,
          BIG_GATHER_COLS,
          ctx.threads,
        ] as const);
  return checked(r, mib);
}

function medianPhases(all: Record<string, number>[]): Record<string, number> {
  const keys = new Set(all.flatMap((p) => Object.keys(p)));
  return Object.fromEntries(
    [...keys].map((k) => [k, summarize(all.map((p) => p[k] ?? Number.NaN).filter(Number.isFinite)).median]),
  );
}

async function sizeRow(
  ctx: SuiteContext,
  mib: number,
  sides: Record<string, () => Promise<LoadResult>>,
): Promise<LoadSize> {
  const phases: Record<string, number>[] = [];
  const timed = Object.fromEntries(
    Object.entries(sides).map(([k, run]) => [
      k,
      async () => {
        const r = await run();
        if (r.phases) phases.push(r.phases);
        return r.ms;
      },
    ]),
  );
  const got = await inTurn(ctx.settings.repetitions, timed);
  const { airlock, ...refs } = got;
  const against = Object.fromEntries(Object.entries(refs).map(([k, v]) => [k, compare(airlock!, v)]));
  const line = Object.entries(against)
    .map(([k, c]) => `${k} ${c.reference.median.toFixed(0)} ms (${c.ratio.toFixed(2)})`)
    .join(', ');
  ctx.log(`  ${mib} MiB: Airlock ${summarize(airlock!).median.toFixed(0)} ms; ${line}`);
  return {
    mib,
    airlock: summarize(airlock!),
    references: Object.fromEntries(Object.entries(refs).map(([k, v]) => [k, summarize(v)])),
    against,
    phases: medianPhases(phases),
  };
}

export async function runWarmLoads(ctx: SuiteContext): Promise<LoadSize[]> {
  const out: LoadSize[] = [];
  for (const mib of ctx.settings.warmSizes) {
    const setup = await ctx.browser.fresh('/');
    const id = gatherId(mib);
    const rows = bigGatherRows(mib);
    await setup.evaluate(() => window.bench.clearStored());
    await setup.evaluate((id) => window.bench.prefetchAirlock(id), id);
    for (const s of ['cache', 'idb'] as const)
      await setup.evaluate(([c, id, s, r, k]) => window.bench.fillReference(c, id, s, r, k), [
        config(ctx),
        id,
        s,
        rows,
        BIG_GATHER_COLS,
      ] as const);
    const fresh = (side: 'airlock' | RefSource) => async () => measure(ctx, await ctx.browser.fresh('/'), side, mib);
    out.push(await sizeRow(ctx, mib, { airlock: fresh('airlock'), cacheApi: fresh('cache'), indexedDb: fresh('idb') }));
  }
  return out;
}

export async function runColdLoads(ctx: SuiteContext): Promise<LoadSize[]> {
  const out: LoadSize[] = [];
  for (const mib of ctx.settings.coldSizes) {
    const cold = (side: 'airlock' | RefSource) => async () => {
      const page = await ctx.browser.fresh('/');
      await page.evaluate(() => window.bench.clearStored());
      return measure(ctx, page, side, mib);
    };
    out.push(
      await sizeRow(ctx, mib, {
        airlock: cold('airlock'),
        transformersJs: cold('cache-cold'),
        plainFetch: cold('fetch'),
      }),
    );
  }
  return out;
}
