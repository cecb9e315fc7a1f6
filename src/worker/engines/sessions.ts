// Raw onnxruntime-web sessions for any ONNX model, created from verified bytes.
import { AirlockError } from '../../errors.js';
import { probeWebGpu } from '../backend.js';
import { createDirect } from './chain-guard.js';
import { WEBGPU_PROVIDER, type ort } from './ort-env.js';
import type { Backend, TensorData } from '../../protocol/types.js';
import { fromOrtTensor, toOrtTensor } from './tensors.js';

/** External data files, by the name the model refers to them with. */
export type ExternalData = { path: string; data: Uint8Array }[];

export async function createSession(
  bytes: Uint8Array,
  backend: Backend,
  externalData: ExternalData = [],
): Promise<ort.InferenceSession> {
  const session = await createDirect(bytes, {
    ...(externalData.length > 0 && { externalData }),
    executionProviders: [backend === 'webgpu' ? WEBGPU_PROVIDER : 'wasm'],
    graphOptimizationLevel: 'all',
    // errors only: ORT's placement warnings are expected and would read as failures
    logSeverityLevel: 3,
  });
  if (backend === 'webgpu') await checkHalfPrecision(session);
  return session;
}

/**
 * A float16 input or output needs the adapter's shader-f16: without it onnxruntime-web creates
 * the session, but its first run fails ("Program Cast requires f16 but the device does not
 * support it"). Failing here instead lets `auto` fall back to WASM at load. A model that uses
 * float16 only inside is not seen here.
 */
async function checkHalfPrecision(session: ort.InferenceSession): Promise<void> {
  const half = [...session.inputMetadata, ...session.outputMetadata].find((m) => m.isTensor && m.type === 'float16');
  if (!half || (await probeWebGpu())?.shaderF16) return;
  await session.release();
  throw new Error(`"${half.name}" is float16, which needs the WebGPU feature shader-f16; this adapter lacks it`);
}

/**
 * onnxruntime-web takes 4-bit inputs but has no array for a 4-bit output: it would fail after
 * the run with "unsupported type". Say so before running.
 */
function checkOutputs(session: ort.InferenceSession): void {
  for (const m of session.outputMetadata) {
    if (m.isTensor && (m.type === 'int4' || m.type === 'uint4')) {
      throw new AirlockError(
        'BACKEND_UNAVAILABLE',
        `Output "${m.name}" is ${m.type}: onnxruntime-web cannot return 4-bit outputs`,
        { output: m.name, type: m.type },
      );
    }
  }
}

/** Runs a session on feeds already checked by `checkFeeds`. */
export async function runSession(
  session: ort.InferenceSession,
  feeds: Record<string, TensorData>,
): Promise<Record<string, TensorData>> {
  checkOutputs(session);
  const ortFeeds = Object.fromEntries(Object.entries(feeds).map(([name, t]) => [name, toOrtTensor(name, t)]));
  const results = await session.run(ortFeeds);
  const out: Record<string, TensorData> = {};
  for (const name of session.outputNames) out[name] = await fromOrtTensor(results[name]!);
  return out;
}
