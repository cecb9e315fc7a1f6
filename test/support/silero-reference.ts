// Silero VAD run by onnxruntime-node (native CPU): the reference the browser's numbers must match.
import * as ort from 'onnxruntime-node';
import { resolve } from 'node:path';
import { MODELS_DIR } from './paths.js';

export const FRAME = 512;

export async function sileroReference(signal: Float32Array): Promise<number[]> {
  const session = await ort.InferenceSession.create(resolve(MODELS_DIR, 'silero-vad/silero_vad_v5.onnx'));
  let state = new Float32Array(2 * 128);
  const probs: number[] = [];
  for (let off = 0; off + FRAME <= signal.length; off += FRAME) {
    const out = await session.run({
      input: new ort.Tensor('float32', signal.slice(off, off + FRAME), [1, FRAME]),
      state: new ort.Tensor('float32', state, [2, 1, 128]),
      sr: new ort.Tensor('int64', BigInt64Array.from([16000n]), []),
    });
    probs.push((out.output!.data as Float32Array)[0]!);
    state = Float32Array.from(out.stateN!.data as Float32Array);
  }
  await session.release();
  return probs;
}
