// Speech detection's numbers, for the page and the worker alike: the knobs' defaults, Silero v5's
// frame, and the sample rates audio may have.
import type { VadSettings } from '../protocol/vad.js';

/**
 * The defaults of `@ricky0123/vad-web` 0.0.31 (its `defaultFrameProcessorOptions`, which it uses
 * for Silero v5 too). It counts times in whole 32 ms frames, rounding down, and so do we.
 */
export const VAD_DEFAULTS: Readonly<VadSettings> = Object.freeze({
  positiveSpeechThreshold: 0.3,
  negativeSpeechThreshold: 0.25,
  minSpeechMs: 400,
  redemptionMs: 1400,
  preSpeechPadMs: 800,
});

/** Silero v5 at 16 kHz: 512 new samples a frame (32 ms), each with the previous frame's last 64 in front. */
export const VAD_RATE = 16000;
export const VAD_FRAME = 512;
export const VAD_CONTEXT = 64;

/** The sample rates audio may have: from telephone quality to studio recorders. */
export const MIN_SAMPLE_RATE = 8000;
export const MAX_SAMPLE_RATE = 384000;
