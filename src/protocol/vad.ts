// Speech detection's types, shared by the page and the worker: the knobs, and what a call or a
// stream answers (the defaults are in src/shared/vad.ts).

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

/** A stretch of speech, in seconds from the start of the audio. */
export interface SpeechSegment {
  start: number;
  end: number;
}

/** What a stream yields as it happens: a segment's start (once it is long enough to count), and its end. */
export type VadEvent = { type: 'speech-start'; at: number } | { type: 'speech-end'; start: number; end: number };
