// Row 6: the store's write (download, hash, chunks) and verified read back, in MB/s, against
// plain IndexedDB puts and gets of the same bytes in chunks of the same size.
import type { StoreRequest } from '../app/store-worker.js';
import { gatherId } from '../lib/build.js';
import { rotation } from '../lib/rotate.js';
import { compare, megabytesPerSecond, type Comparison } from '../lib/stats.js';
import type { SuiteContext } from './context.js';

export interface StoreRow {
  fileBytes: number;
  chunkBytes: number;
  write: Comparison;
  read: Comparison;
}

const CHUNK = 4 * 2 ** 20;

export async function runStore(ctx: SuiteContext, fileBytes: number): Promise<StoreRow> {
  const page = await ctx.browser.fresh('/');
  const manifestUrl = new URL(`/models/${gatherId(ctx.settings.bigSize)}/manifest.json`, ctx.browser.origin).href;
  const op = (o: StoreRequest['op']) =>
    page.evaluate((req) => window.bench.storeOp(req), { op: o, manifestUrl, chunkBytes: CHUNK } as StoreRequest);
  const rate = (o: StoreRequest['op']) => async () => megabytesPerSecond(fileBytes, (await op(o))!);
  const writes = { airlock: [] as number[], raw: [] as number[] };
  const reads = { airlock: [] as number[], raw: [] as number[] };
  const sides = ['airlock', 'raw'] as const;
  // both written afresh, then both read back; the sides take turns going first
  for (let i = 0; i < ctx.settings.repetitions; i++) {
    await page.evaluate(() => window.bench.storeOp({ op: 'clear' }));
    for (const s of rotation(i, sides)) writes[s].push(await rate(`${s}-write`)());
    for (const s of rotation(i, sides)) reads[s].push(await rate(`${s}-read`)());
  }
  await page.evaluate(() => window.bench.storeOp({ op: 'clear' }));
  const write = compare(writes.airlock, writes.raw);
  const read = compare(reads.airlock, reads.raw);
  ctx.log(
    `  write ${write.airlock.median.toFixed(0)} vs ${write.reference.median.toFixed(0)} MB/s (${write.ratio.toFixed(2)}), read ${read.airlock.median.toFixed(0)} vs ${read.reference.median.toFixed(0)} MB/s (${read.ratio.toFixed(2)})`,
  );
  return { fileBytes, chunkBytes: CHUNK, write, read };
}
