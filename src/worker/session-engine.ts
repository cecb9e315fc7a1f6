// Raw onnxruntime-web sessions for any ONNX model, created from verified bytes.
import { AirlockError } from '../errors.js';
import { ort } from './ort-env.js';
import type { Backend, TensorData } from './protocol.js';
import { fromOrtTensor, toOrtTensor } from './tensors.js';

export async function createSession(bytes: Uint8Array, backend: Backend): Promise<ort.InferenceSession> {
  // severity 3: errors only; ORT's placement warnings are expected and would read as failures
  return ort.InferenceSession.create(bytes, { executionProviders: [backend], graphOptimizationLevel: 'all', logSeverityLevel: 3 });
}

export async function runSession(session: ort.InferenceSession, feeds: Record<string, TensorData>): Promise<Record<string, TensorData>> {
  const missing = session.inputNames.filter((n) => !(n in feeds));
  const unknown = Object.keys(feeds).filter((n) => !session.inputNames.includes(n));
  if (missing.length || unknown.length) {
    throw new AirlockError('BAD_INPUT', `Inputs do not match the model: missing [${missing}], unknown [${unknown}]`, {
      expected: [...session.inputNames],
    });
  }
  const ortFeeds = Object.fromEntries(Object.entries(feeds).map(([name, t]) => [name, toOrtTensor(name, t)]));
  const results = await session.run(ortFeeds);
  const out: Record<string, TensorData> = {};
  for (const name of session.outputNames) out[name] = await fromOrtTensor(results[name]!);
  return out;
}
