// Raw onnxruntime-web sessions for any ONNX model, created from verified bytes.
import { ort } from './ort-env.js';
import type { Backend, TensorData } from './protocol.js';
import { fromOrtTensor, toOrtTensor } from './tensors.js';

/**
 * WebGPU runs with the NCHW layout. Under its default NHWC layout, onnxruntime-web's WebGPU
 * Conv shader reads inputs three channels at a time but indexes them as if four were packed,
 * which gives wrong numbers whenever the input channel count is a multiple of 3 but not of 4
 * (Silero VAD's first encoder Conv has 129: speech probability 0.103 instead of 0.124 on the
 * first frame of a tone). NCHW takes a shader without that fault.
 */
const WEBGPU: ort.InferenceSession.WebGpuExecutionProviderOption = { name: 'webgpu', preferredLayout: 'NCHW' };

export async function createSession(bytes: Uint8Array, backend: Backend): Promise<ort.InferenceSession> {
  return ort.InferenceSession.create(bytes, {
    executionProviders: [backend === 'webgpu' ? WEBGPU : 'wasm'],
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
