// The inputs every side gets, made the same way each time (no randomness: same bytes, same work).
import type { Tensor } from './protocol.js';

export const LM_PROMPT = 'Once upon a time there was a cat';
export const CLASSIFIER_INPUT = 'great film';

/**
 * A Silero VAD frame as the model takes it: 64 samples of context (the previous frame's last),
 * then 512 new ones, of a 440 Hz tone at 16 kHz; with its state and rate.
 */
export function sileroFeeds(): Record<string, Tensor> {
  const frame = new Float32Array(576);
  for (let i = 0; i < frame.length; i++) frame[i] = 0.3 * Math.sin((2 * Math.PI * 440 * i) / 16000);
  return {
    input: { type: 'float32', data: frame, dims: [1, 576] },
    state: { type: 'float32', data: new Float32Array(256), dims: [2, 1, 128] },
    sr: { type: 'int64', data: BigInt64Array.from([16000n]), dims: [] },
  };
}

/** An image batch of `width` x `height` in [0, 1), a smooth pattern (PaddleOCR det and rec take [N,3,H,W]). */
export function imageFeeds(height: number, width: number): Record<string, Tensor> {
  const data = new Float32Array(3 * height * width);
  for (let i = 0; i < data.length; i++) data[i] = ((i * 37) % 255) / 255;
  return { x: { type: 'float32', data, dims: [1, 3, height, width] } };
}

/** ids of the first and last rows of a big-gather table. */
export function gatherFeeds(rows: number): Record<string, Tensor> {
  return { ids: { type: 'int64', data: BigInt64Array.from([0n, BigInt(rows - 1)]), dims: [2] } };
}

export function lmOptions(tokens: number): Record<string, unknown> {
  return { max_new_tokens: tokens, min_new_tokens: tokens, do_sample: false };
}
