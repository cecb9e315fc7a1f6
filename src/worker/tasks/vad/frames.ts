// Cuts 16 kHz audio into Silero v5's frames: 512 new samples each, with the previous frame's
// last 64 in front (as upstream's OnnxWrapper and vad-web feed it), carrying what is left over
// and the model's recurrent state from one chunk of a stream to the next.
import { VAD_CONTEXT, VAD_FRAME } from '../../../shared/vad.js';

/** One model step: a frame with its context in front, and the state, to a probability and the next state. */
export type VadStep<S> = (input: Float32Array, state: S) => Promise<{ probability: number; state: S }>;

export class Framer<S> {
  private context = new Float32Array(VAD_CONTEXT);
  private pending = new Float32Array(0);
  /** frames scored so far */
  frames = 0;

  constructor(
    private readonly step: VadStep<S>,
    private state: S,
    /** false feeds the bare 512 samples, for comparison only: the model was not trained that way */
    private readonly withContext = true,
  ) {}

  /** Scores every whole frame that `samples` completes; what remains waits for the next chunk. */
  async push(samples: Float32Array, onFrame: (probability: number, frame: number) => void): Promise<void> {
    const all = this.pending.length === 0 ? samples : concat(this.pending, samples);
    let offset = 0;
    for (; offset + VAD_FRAME <= all.length; offset += VAD_FRAME) {
      const frame = all.subarray(offset, offset + VAD_FRAME);
      const { probability, state } = await this.step(this.input(frame), this.state);
      this.state = state;
      onFrame(probability, this.frames++);
    }
    this.pending = all.slice(offset);
  }

  private input(frame: Float32Array): Float32Array {
    if (!this.withContext) return frame.slice();
    const input = new Float32Array(VAD_CONTEXT + VAD_FRAME);
    input.set(this.context, 0);
    input.set(frame, VAD_CONTEXT);
    this.context = frame.slice(VAD_FRAME - VAD_CONTEXT);
    return input;
  }
}

function concat(a: Float32Array, b: Float32Array): Float32Array {
  const out = new Float32Array(a.length + b.length);
  out.set(a, 0);
  out.set(b, a.length);
  return out;
}
