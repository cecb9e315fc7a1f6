// A large model (256 MiB of external data, generated) through the store: it downloads in chunks
// with the worker's memory bounded by the chunk size, not the file size, then loads as a raw
// session with its external data from the store and gives the reference rows.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  BIG_GATHER_COLS,
  bigGatherReference,
  bigGatherRows,
  writeBigGather,
} from '../../../scripts/fixtures/big-gather.js';
import type { Runtime } from '../../../src/index.js';
import { useBrowser } from '../../support/browser.js';
import { sampleWorkerHeap } from '../../support/heap.js';
import { flakyModels } from '../../support/misbehaving.js';
import { RESULTS_DIR } from '../../support/paths.js';

const MiB = 2 ** 20;
const MEGABYTES = 256;
const root = mkdtempSync(join(tmpdir(), 'airlock-large-'));
const { dataBytes, onnxBytes } = await writeBigGather(root, MEGABYTES);
const flaky = flakyModels(root);
const browser = useBrowser({ before: [flaky.handler] });
afterAll(() => rmSync(root, { recursive: true, force: true }));

declare global {
  interface Window {
    ai: Runtime;
  }
}

describe('a large model through the store', () => {
  it(
    `${MEGABYTES} MiB of external data: chunked download with bounded memory, then the reference rows`,
    { timeout: 600_000 },
    async () => {
      const { page } = await browser.open();
      const chunkBytes = 4 * MiB;

      const downloading = await sampleWorkerHeap(page, { collectGarbageFirst: true });
      const prefetch = await page.evaluate(async (chunkBytes) => {
        window.ai = window.airlock.createRuntime({ modelBase: '/flaky/ok/', cache: { chunkBytes } });
        const t0 = performance.now();
        const result = await window.ai.cache.prefetch('big-gather');
        return { ms: performance.now() - t0, bytes: result.bytes };
      }, chunkBytes);
      const downloadHeap = await downloading.stop();
      expect(prefetch.bytes).toBe(dataBytes + onnxBytes);

      const verify = await page.evaluate(async () => {
        const t0 = performance.now();
        const report = await window.ai.cache.verify('big-gather');
        return { ms: performance.now() - t0, ok: report?.ok };
      });
      expect(verify.ok).toBe(true);

      const ids = [0, 1, 12_345, bigGatherRows(MEGABYTES) - 1];
      const loading = await sampleWorkerHeap(page, { collectGarbageFirst: true });
      const run = await page.evaluate(async (ids) => {
        const t0 = performance.now();
        const session = await window.ai.session('big-gather');
        const loadMs = performance.now() - t0;
        const out = await session.run({
          ids: { type: 'int64', data: BigInt64Array.from(ids.map((i) => BigInt(i))), dims: [ids.length] },
        });
        await session.unload();
        return { loadMs, dims: out.rows!.dims, data: Array.from(out.rows!.data as Float32Array) };
      }, ids);
      const loadHeap = await loading.stop();
      await page.evaluate(() => window.ai.dispose());

      expect(run.dims).toEqual([ids.length, BIG_GATHER_COLS]);
      const expected = bigGatherReference(ids);
      expect(Math.max(...run.data.map((v, i) => Math.abs(v - expected[i]!)))).toBeLessThan(1e-6);

      // while downloading, the worker holds about a chunk and what is in flight, not the file
      const downloadPeak = downloadHeap.peakUsed + (downloadHeap.peakBackingStore ?? 0);
      expect(downloadHeap.samples).toBeGreaterThan(5);
      expect(downloadPeak).toBeLessThan(64 * MiB);

      const figures = {
        fileBytes: dataBytes + onnxBytes,
        chunkBytes,
        download: {
          ms: Math.round(prefetch.ms),
          peakJsHeap: downloadHeap.peakUsed,
          peakArrayBuffers: downloadHeap.peakBackingStore,
          samples: downloadHeap.samples,
          rendererRss: downloadHeap.rendererRss,
        },
        verifyMs: Math.round(verify.ms),
        load: {
          ms: Math.round(run.loadMs),
          peakJsHeap: loadHeap.peakUsed,
          peakArrayBuffers: loadHeap.peakBackingStore,
          samples: loadHeap.samples,
          rendererRss: loadHeap.rendererRss,
        },
      };
      mkdirSync(RESULTS_DIR, { recursive: true });
      writeFileSync(join(RESULTS_DIR, 'store-large.json'), `${JSON.stringify(figures, null, 2)}\n`);
      console.log(`store, ${MEGABYTES} MiB model:`, JSON.stringify(figures));
    },
  );
});
