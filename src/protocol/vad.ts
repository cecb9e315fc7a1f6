// Speech detection's types, shared by the page and the worker: the knobs, their defaults, and
// what a call or a stream answers.

/** The knobs of speech detection; each a time in milliseconds or a speech probability (0–1). */
export interface VadSettings {
  /** a frame whose speech probability reaches this is speech */
  positiveSpeechThreshold: number;
  /** during speech, a frame below this counts towards its end (redemption) */
  negativeSpeechThreshold: number;
  /** speech shorter than this (counted in speech frames) is dropped as a misfire */
  minSpeechMs: number;
  /** how long the probability must stay below `negativeSpeechThreshold` before speech ends; the end includes it */
  redemptionMs: number;
  /** how much audio before the first speech frame a segment starts with */
  preSpeechPadMs: number;
}

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

/** A stretch of speech, in seconds from the start of the audio. */
export interface SpeechSegment {
  start: number;
  end: number;
}

/** What a stream yields as it happens: a segment's start (once it is long enough to count), and its end. */
export type VadEvent = { type: 'speech-start'; at: number } | { type: 'speech-end'; start: number; end: number };

/** Silero v5 at 16 kHz: 512 new samples a frame (32 ms), each with the previous frame's last 64 in front. */
export const VAD_RATE = 16000;
export const VAD_FRAME = 512;
export const VAD_CONTEXT = 64;

/** The sample rates audio may have: from telephone quality to studio recorders. */
export const MIN_SAMPLE_RATE = 8000;
export const MAX_SAMPLE_RATE = 384000;
