// Raw onnxruntime-web sessions for any ONNX model, created from verified bytes.
import { createDirect } from './chain-guard.js';
import { WEBGPU_PROVIDER, type ort } from './ort-env.js';
import type { Backend, TensorData } from './protocol.js';
import { fromOrtTensor, toOrtTensor } from './tensors.js';

/** External data files, by the name the model refers to them with. */
export type ExternalData = { path: string; data: Uint8Array }[];

export async function createSession(bytes: Uint8Array, backend: Backend, externalData: ExternalData = []): Promise<ort.InferenceSession> {
  return createDirect(bytes, {
    ...(externalData.length > 0 && { externalData }),
    executionProviders: [backend === 'webgpu' ? WEBGPU_PROVIDER : 'wasm'],
    graphOptimizationLevel: 'all',
    // errors only: ORT's placement warnings are expected and would read as failures
    logSeverityLevel: 3,
  });
}

/** Runs a session on feeds already checked by `checkFeeds`. */
export async function runSession(session: ort.InferenceSession, feeds: Record<string, TensorData>): Promise<Record<string, TensorData>> {
  const ortFeeds = Object.fromEntries(Object.entries(feeds).map(([name, t]) => [name, toOrtTensor(name, t)]));
  const results = await session.run(ortFeeds);
  const out: Record<string, TensorData> = {};
  for (const name of session.outputNames) out[name] = await fromOrtTensor(results[name]!);
  return out;
}
