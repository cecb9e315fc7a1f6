// Row 2: main-thread tasks over 50 ms during a long generation and an OCR detection call, with
// Airlock's worker, and with transformers.js / onnxruntime-web on the main thread.
import type { SuiteContext } from './context.js';

interface During {
  tasks: number[];
  ms: number;
}

export interface LongTaskRow {
  tokens: number;
  detSize: number;
  airlock: { generation: During; ocr: During };
  mainThread: { generation: During; ocr: During };
  /** Airlock's long tasks, both calls together */
  count: number;
}

export async function runLongTasks(ctx: SuiteContext): Promise<LongTaskRow> {
  const tokens = ctx.settings.quick ? 64 : 256;
  const detSize = ctx.settings.quick ? 320 : 640;
  const device = ctx.settings.device;
  const airlockPage = await ctx.browser.fresh('/');
  const airlock = await airlockPage.evaluate(
    ([d, t, s]) => window.bench.airlockLongTasks({ device: d, threads: 1 }, t, s),
    [device, tokens, detSize] as const,
  );
  const mainPage = await ctx.browser.fresh('/main-thread.html');
  const mainThread = await mainPage.evaluate(([d, t, s]) => window.mainThreadLongTasks(d, t, s), [
    device,
    tokens,
    detSize,
  ] as const);
  const count = airlock.generation.tasks.length + airlock.ocr.tasks.length;
  ctx.log(
    `  Airlock: ${count} long tasks; main thread: ${mainThread.generation.tasks.length} during generation, ${mainThread.ocr.tasks.length} during OCR`,
  );
  return { tokens, detSize, airlock, mainThread, count };
}
