// Row 2's reference: transformers.js and onnxruntime-web on the page's main thread, the way many
// examples run them, and the long tasks the page sees while they work.
import { env, pipeline } from '@huggingface/transformers';
import * as ort from 'onnxruntime-web/webgpu';
import { modelBase, runtimeBase } from './config.js';
import { imageFeeds, LM_PROMPT, lmOptions } from './inputs.js';
import { longTasksDuring } from './long-tasks.js';

async function mainThreadLongTasks(device: 'wasm' | 'webgpu', tokens: number, detSize: number) {
  env.allowLocalModels = false;
  env.remoteHost = modelBase();
  env.remotePathTemplate = '{model}/';
  env.useBrowserCache = false;
  env.useWasmCache = false;
  env.backends.onnx.wasm!.wasmPaths = runtimeBase();
  env.backends.onnx.wasm!.numThreads = 1;
  ort.env.wasm.wasmPaths = runtimeBase();
  const lm = (await pipeline('text-generation', 'tiny-lm', { device, dtype: 'fp32' })) as unknown as (
    ...a: unknown[]
  ) => Promise<unknown>;
  const bytes = new Uint8Array(await (await fetch(`${modelBase()}paddleocr-v4/det.onnx`)).arrayBuffer());
  const det = await ort.InferenceSession.create(bytes, {
    executionProviders: [device === 'webgpu' ? { name: 'webgpu', preferredLayout: 'NCHW' } : 'wasm'],
  });
  const generation = await longTasksDuring(() => lm(LM_PROMPT, lmOptions(tokens)));
  const feeds = imageFeeds(detSize, detSize);
  const ocr = await longTasksDuring(() => det.run({ x: new ort.Tensor('float32', feeds.x!.data, feeds.x!.dims) }));
  return { generation, ocr };
}

declare global {
  interface Window {
    mainThreadLongTasks: typeof mainThreadLongTasks;
  }
}

window.mainThreadLongTasks = mainThreadLongTasks;
document.getElementById('status')!.textContent = 'ready';
