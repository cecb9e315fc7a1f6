// Row 5: peak memory of the worker (JS heap and ArrayBuffers) and of the renderer processes
// (resident, above where they started) while a model of `bigSize` MiB downloads, loads cold and
// loads warm; the reference load of the same model beside it. One sample run each.
import { BIG_GATHER_COLS, bigGatherRows } from '../../scripts/fixtures/big-gather.js';
import { sampleWorkerHeap, type HeapReport } from '../../test/support/heap.js';
import { gatherId } from '../lib/build.js';
import { config, type SuiteContext } from './context.js';

export interface MemoryFigures {
  /** peak worker JS heap + ArrayBuffers, in bytes */
  worker: number;
  /** peak renderer resident memory above its start, in bytes */
  renderer: number | null;
}

export interface MemoryRow {
  fileBytes: number;
  download: MemoryFigures;
  coldLoad: MemoryFigures;
  warmLoad: MemoryFigures;
  referenceColdLoad: MemoryFigures;
  /** the larger of the worker's and the renderer's peak during the download, over the file size */
  downloadRatio: number;
}

const figures = (r: HeapReport): MemoryFigures => ({
  worker: r.peakUsed + (r.peakBackingStore ?? 0),
  renderer: r.rendererRss && r.rendererRss.peak - r.rendererRss.start,
});

export async function runMemory(ctx: SuiteContext, fileBytes: number): Promise<MemoryRow> {
  const mib = ctx.settings.bigSize;
  const id = gatherId(mib);
  const rows = bigGatherRows(mib);
  const c = config(ctx);
  const sampled = async (
    path: string,
    before: (p: import('playwright-core').Page) => Promise<unknown>,
    work: (p: import('playwright-core').Page) => Promise<unknown>,
  ) => {
    const page = await ctx.browser.fresh(path);
    await before(page);
    const sampler = await sampleWorkerHeap(page, { collectGarbageFirst: true });
    await work(page);
    return figures(await sampler.stop());
  };
  const clear = (p: import('playwright-core').Page) => p.evaluate(() => window.bench.clearStored());
  const nothing = () => Promise.resolve();
  const download = await sampled('/', clear, (p) => p.evaluate((id) => window.bench.prefetchAirlock(id), id));
  const warmLoad = await sampled('/', nothing, (p) =>
    p.evaluate(([c, id, r, k]) => window.bench.airlockLoad(c, id, r, k), [c, id, rows, BIG_GATHER_COLS] as const),
  );
  const coldLoad = await sampled('/', clear, (p) =>
    p.evaluate(([c, id, r, k]) => window.bench.airlockLoad(c, id, r, k), [c, id, rows, BIG_GATHER_COLS] as const),
  );
  const referenceColdLoad = await sampled('/', clear, (p) =>
    p.evaluate(([c, id, r, k, t]) => window.bench.referenceLoad(c, id, 'fetch', r, k, t), [
      c,
      id,
      rows,
      BIG_GATHER_COLS,
      ctx.threads,
    ] as const),
  );
  const downloadRatio = Math.max(download.worker, download.renderer ?? 0) / fileBytes;
  const mb = (n: number | null) => (n === null ? '?' : `${(n / 2 ** 20).toFixed(0)} MiB`);
  ctx.log(
    `  download: worker ${mb(download.worker)}, renderer +${mb(download.renderer)} (${downloadRatio.toFixed(2)}x); cold load: worker ${mb(coldLoad.worker)}, renderer +${mb(coldLoad.renderer)}; warm: worker ${mb(warmLoad.worker)}, renderer +${mb(warmLoad.renderer)}`,
  );
  return { fileBytes, download, coldLoad, warmLoad, referenceColdLoad, downloadRatio };
}
