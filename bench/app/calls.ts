// Row 1: per-call latency of the same calls on the same bytes, through Airlock and through
// onnxruntime-web / transformers.js in a plain worker. Each side's models are loaded once.
import { createRuntime, type PipelineHandle, type Runtime, type SessionHandle } from '../../src/index.js';
import type { BenchConfig } from './config.js';
import { modelBase, runtimeBase } from './config.js';
import { CLASSIFIER_INPUT, imageFeeds, LM_PROMPT, lmOptions, sileroFeeds } from './inputs.js';
import type { Tensor } from './protocol.js';
import { buffersOfFeeds, startReference, type Reference } from './reference.js';

export type CallName = 'silero' | 'ocrRec' | 'classifier' | 'lm';

interface Sides {
  ai: Runtime;
  airlock: { silero: SessionHandle; rec: SessionHandle; classify: PipelineHandle; lm: PipelineHandle };
  ref: Reference;
  handles: { silero: number; rec: number; classify: number; lm: number };
}

let sides: Sides | undefined;

const files = (id: string, file: string) => ({ model: `${modelBase()}${id}/${file}`, data: [] });

export async function prepareCalls(config: BenchConfig): Promise<{ wasmThreads: number; backends: string[] }> {
  const ai = createRuntime({ device: config.device, cache: { name: 'bench-calls' } });
  const airlock = {
    silero: await ai.session('silero-vad'),
    rec: await ai.session('paddleocr-v4', { file: 'rec.onnx' }),
    classify: await ai.pipeline('text-classification', 'tiny-sentiment'),
    lm: await ai.pipeline('text-generation', 'tiny-lm'),
  };
  const info = await ai.info();
  const ref = startReference();
  await ref.call({
    op: 'init',
    runtimeBase: runtimeBase(),
    modelBase: modelBase(),
    threads: info.wasmThreads,
    backend: config.device,
  });
  const handles = {
    silero: await ref.call<number>({
      op: 'session',
      files: files('silero-vad', 'silero_vad_v5.onnx'),
      source: 'fetch',
    }),
    rec: await ref.call<number>({ op: 'session', files: files('paddleocr-v4', 'rec.onnx'), source: 'fetch' }),
    classify: await ref.call<number>({
      op: 'pipeline',
      task: 'text-classification',
      model: 'tiny-sentiment',
      dtype: 'fp32',
    }),
    lm: await ref.call<number>({ op: 'pipeline', task: 'text-generation', model: 'tiny-lm', dtype: 'fp32' }),
  };
  sides = { ai, airlock, ref, handles };
  return { wasmThreads: info.wasmThreads, backends: info.models.map((m) => `${m.modelId}:${m.backend}`) };
}

type Side = 'airlock' | 'reference';

/** The call `name` on one side. */
function callOf(side: Side, name: CallName, tokens: number): () => Promise<unknown> {
  if (!sides) throw new Error('prepareCalls first');
  const { airlock, ref, handles } = sides;
  const runs: Record<CallName, () => Promise<unknown>> =
    side === 'airlock'
      ? {
          silero: () => airlock.silero.run(sileroFeeds()),
          ocrRec: () => airlock.rec.run(imageFeeds(48, 320)),
          classifier: () => airlock.classify(CLASSIFIER_INPUT),
          lm: () => airlock.lm(LM_PROMPT, lmOptions(tokens)),
        }
      : {
          silero: () => refRun(ref, handles.silero, sileroFeeds()),
          ocrRec: () => refRun(ref, handles.rec, imageFeeds(48, 320)),
          classifier: () => ref.call({ op: 'call', handle: handles.classify, args: [CLASSIFIER_INPUT] }),
          lm: () => ref.call({ op: 'call', handle: handles.lm, args: [LM_PROMPT, lmOptions(tokens)] }),
        };
  return runs[name];
}

export interface PairedTiming {
  /** mean ms per call (for the LM: tokens per second) on each side */
  airlock: number;
  reference: number;
  checks: { airlock: unknown; reference: unknown };
}

/**
 * One repetition: `n` calls on each side, in `blocks` alternating blocks (ABBA order), so that
 * both sides meet the same state of a noisy machine; each side's mean per call (LM: tokens/s).
 */
export async function timeCalls(name: CallName, n: number, blocks: number, tokens = 32): Promise<PairedTiming> {
  const run = { airlock: callOf('airlock', name, tokens), reference: callOf('reference', name, tokens) };
  const checks = { airlock: await run.airlock(), reference: await run.reference() }; // both sides warm
  const ms = { airlock: 0, reference: 0 };
  const perBlock = Math.max(1, Math.round(n / blocks));
  for (let b = 0; b < blocks; b++) {
    for (const side of (b % 2 === 0 ? ['airlock', 'reference'] : ['reference', 'airlock']) as Side[]) {
      const t0 = performance.now();
      for (let i = 0; i < perBlock; i++) checks[side] = await run[side]();
      ms[side] += performance.now() - t0;
    }
  }
  const value = (total: number) =>
    name === 'lm' ? (tokens * 1000 * perBlock * blocks) / total : total / (perBlock * blocks);
  return {
    airlock: value(ms.airlock),
    reference: value(ms.reference),
    checks: { airlock: summary(checks.airlock), reference: summary(checks.reference) },
  };
}

function refRun(ref: Reference, handle: number, feeds: Record<string, Tensor>): Promise<unknown> {
  return ref.call({ op: 'run', handle, feeds }, buffersOfFeeds(feeds));
}

/** A small, comparable digest of a call's output: the first numbers, or the text. */
function summary(out: unknown): unknown {
  const first: unknown = Array.isArray(out) ? out[0] : out;
  if (first && typeof first === 'object') {
    const values = Object.values(first as Record<string, unknown>);
    const tensor = values.find((v): v is Tensor => typeof v === 'object' && v !== null && 'data' in v);
    if (tensor)
      return Array.from(tensor.data as Float32Array)
        .slice(0, 4)
        .map(Number);
    return first;
  }
  return out;
}
