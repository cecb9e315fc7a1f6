// The bench page: the scenarios the Node harness calls through page.evaluate.
import { createRuntime } from '../../src/index.js';
import { prepareCalls, timeCalls } from './calls.js';
import type { BenchConfig } from './config.js';
import { imageFeeds, LM_PROMPT, lmOptions } from './inputs.js';
import { airlockLoad, clearStored, fillReference, prefetchAirlock, referenceLoad } from './loads.js';
import { longTasksDuring } from './long-tasks.js';
import storeWorkerUrl from './store-worker.ts?worker&url';
import type { StoreRequest } from './store-worker.js';

/** One store measurement in a worker of its own (so that no connection outlives it). */
function storeOp(req: StoreRequest): Promise<number | null> {
  const worker = new Worker(new URL(storeWorkerUrl, location.href), { type: 'module', name: 'store-bench' });
  return new Promise<number | null>((resolve, reject) => {
    worker.onmessage = (e: MessageEvent<{ ok: boolean; value: number | null; message: string }>) =>
      e.data.ok ? resolve(e.data.value) : reject(new Error(e.data.message));
    worker.onerror = (e) => reject(new Error(e.message));
    worker.postMessage({ ...req, id: 1 });
  }).finally(() => worker.terminate());
}

/** Long tasks on the page while Airlock's worker generates `tokens` tokens, and while it runs OCR detection. */
async function airlockLongTasks(config: BenchConfig, tokens: number, detSize: number) {
  const ai = createRuntime({ device: config.device, cache: { name: 'bench-calls' } });
  const lm = await ai.pipeline('text-generation', 'tiny-lm');
  const det = await ai.session('paddleocr-v4', { file: 'det.onnx' });
  const generation = await longTasksDuring(() => lm(LM_PROMPT, lmOptions(tokens)));
  // the input is made before the watch, as on the main-thread side: its loop is the page's own work
  const feeds = imageFeeds(detSize, detSize);
  const ocr = await longTasksDuring(() => det.run(feeds));
  await ai.dispose();
  return { generation, ocr };
}

/** The WASM threads Airlock picks on this page: the references get as many. */
async function wasmThreads(): Promise<number> {
  const ai = createRuntime({});
  const threads = (await ai.info()).wasmThreads;
  await ai.dispose();
  return threads;
}

const bench = {
  wasmThreads,
  prepareCalls,
  timeCalls,
  airlockLoad,
  prefetchAirlock,
  referenceLoad,
  fillReference,
  clearStored,
  storeOp,
  airlockLongTasks,
};

declare global {
  interface Window {
    bench: typeof bench;
  }
}

window.bench = bench;
document.getElementById('status')!.textContent = 'ready';
