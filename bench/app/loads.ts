// Rows 3 and 4: time to first result of a big-gather model, from the moment the page asks for it
// (worker start included) to the first output, through Airlock and through the references.
import { createRuntime } from '../../src/index.js';
import type { BenchConfig } from './config.js';
import { modelBase, runtimeBase } from './config.js';
import { gatherFeeds } from './inputs.js';
import { REF_CACHE, REF_DB, type ModelFiles, type RefSource, type Tensor } from './protocol.js';
import { buffersOfFeeds, startReference } from './reference.js';

export const LOAD_STORE = 'bench-loads';

export interface LoadResult {
  ms: number;
  /** the first row's first values and the last row's, to check against the formula */
  firstValues: number[];
  /** ms from the start at which each progress phase was first seen (Airlock only) */
  phases?: Record<string, number>;
}

const gatherFiles = (id: string): ModelFiles => ({
  model: `${modelBase()}${id}/onnx/model.onnx`,
  data: [{ path: 'model.onnx_data', url: `${modelBase()}${id}/onnx/model.onnx_data` }],
});

function valuesOf(rows: Tensor, cols: number): number[] {
  const data = rows.data as Float32Array;
  return [...data.slice(0, 4), ...data.slice(cols, cols + 4)].map(Number);
}

export async function airlockLoad(config: BenchConfig, id: string, rows: number, cols: number): Promise<LoadResult> {
  const phases: Record<string, number> = {};
  const t0 = performance.now();
  const ai = createRuntime({ device: config.device, cache: { name: LOAD_STORE } });
  const session = await ai.session(id, { onProgress: (p) => (phases[p.phase] ??= performance.now() - t0) });
  const out = await session.run(gatherFeeds(rows));
  const ms = performance.now() - t0;
  await ai.dispose();
  return { ms, firstValues: valuesOf(out.rows as Tensor, cols), phases };
}

export async function prefetchAirlock(id: string): Promise<void> {
  const ai = createRuntime({ cache: { name: LOAD_STORE } });
  await ai.cache.prefetch(id);
  await ai.dispose();
}

export async function referenceLoad(
  config: BenchConfig,
  id: string,
  source: RefSource,
  rows: number,
  cols: number,
  threads: number,
): Promise<LoadResult> {
  const t0 = performance.now();
  const ref = startReference();
  await ref.call({ op: 'init', runtimeBase: runtimeBase(), modelBase: modelBase(), threads, backend: config.device });
  const handle = await ref.call<number>({ op: 'session', files: gatherFiles(id), source });
  const feeds = gatherFeeds(rows);
  const out = await ref.call<Record<string, Tensor>>({ op: 'run', handle, feeds }, buffersOfFeeds(feeds));
  const ms = performance.now() - t0;
  ref.terminate();
  return { ms, firstValues: valuesOf(out.rows!, cols) };
}

/** Stores the model for a warm reference load: in the Cache API, or as raw IndexedDB records. */
export async function fillReference(
  config: BenchConfig,
  id: string,
  source: 'cache' | 'idb',
  rows: number,
  cols: number,
): Promise<void> {
  if (source === 'cache') {
    await referenceLoad(config, id, 'cache-cold', rows, cols, 1);
    return;
  }
  const ref = startReference();
  await ref.call({ op: 'fill-idb', files: gatherFiles(id) });
  ref.terminate();
}

function deleteDb(name: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const req = indexedDB.deleteDatabase(name);
    req.onsuccess = () => resolve();
    req.onerror = () => reject(req.error ?? new Error(`${name} could not be deleted`));
    req.onblocked = () => reject(new Error(`${name} is still open`));
  });
}

/** Nothing stored: no Airlock store, no Cache API cache, no raw records. */
export async function clearStored(): Promise<void> {
  await deleteDb(LOAD_STORE);
  await deleteDb(REF_DB);
  await caches.delete(REF_CACHE);
}
