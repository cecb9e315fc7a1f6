// One Silero v5 step on an onnxruntime-web session: `input` [1, 576] (or [1, 512] bare),
// `state` [2, 1, 128], `sr` 16000 → `output` [1, 1], `stateN`, which goes back in as the state.
import { ort } from '../../engines/ort-env.js';
import { VAD_RATE } from '../../../shared/vad.js';
import type { VadStep } from './frames.js';

export type SileroState = ort.Tensor;

export function initialState(): SileroState {
  return new ort.Tensor('float32', new Float32Array(2 * 128), [2, 1, 128]);
}

export function sileroStep(session: ort.InferenceSession): VadStep<SileroState> {
  const sr = new ort.Tensor('int64', BigInt64Array.from([BigInt(VAD_RATE)]), []);
  return async (input, state) => {
    const out = await session.run({ input: new ort.Tensor('float32', input, [1, input.length]), state, sr });
    const probability = (out.output!.data as Float32Array)[0]!;
    out.output!.dispose();
    state.dispose();
    return { probability, state: out.stateN! };
  };
}
