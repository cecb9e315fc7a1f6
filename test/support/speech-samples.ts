// The committed speech samples (scripts/make-speech-samples.sh): 16-bit mono WAVs read as
// float samples, and where their speech really is.
import { readFileSync } from 'node:fs';
import { expect } from 'vitest';
import { resolve } from 'node:path';
import { ROOT } from './paths.js';

export const SPEECH_DIR = resolve(ROOT, 'test/fixtures/speech');

export interface SpeechTruth {
  sampleRate: number;
  seconds: number;
  speech: { start: number; end: number; text: string }[];
}

export function speechTruth(file: string): SpeechTruth {
  const all = JSON.parse(readFileSync(resolve(SPEECH_DIR, 'truth.json'), 'utf8')) as Record<string, SpeechTruth>;
  return all[file]!;
}

/** A 16-bit PCM mono WAV's samples in [-1, 1) and its rate. */
export function readWav(file: string): { samples: Float32Array; sampleRate: number } {
  const bytes = readFileSync(resolve(SPEECH_DIR, file));
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let offset = 12;
  let sampleRate = 0;
  while (offset + 8 <= bytes.length) {
    const id = bytes.toString('ascii', offset, offset + 4);
    const size = view.getUint32(offset + 4, true);
    const body = offset + 8;
    if (id === 'fmt ') {
      const channels = view.getUint16(body + 2, true);
      const bits = view.getUint16(body + 14, true);
      if (channels !== 1 || bits !== 16)
        throw new Error(`${file}: ${channels} channels, ${bits} bits; want mono 16-bit`);
      sampleRate = view.getUint32(body + 4, true);
    }
    if (id === 'data') {
      const samples = new Float32Array(size / 2);
      for (let i = 0; i < samples.length; i++) samples[i] = view.getInt16(body + 2 * i, true) / 32768;
      return { samples, sampleRate };
    }
    offset = body + size + (size % 2);
  }
  throw new Error(`${file}: no data chunk`);
}

/** one Silero frame: the most two detectors that agree may differ by at an edge */
export const FRAME_S = 0.032;
/** after the last sound the probability takes a few frames to fall below the negative threshold */
const DECAY_S = 0.16;

/**
 * Each true sentence lies inside its segment, give or take 100 ms (espeak's first and last
 * sounds are soft), and the segment is no wider than the sentence with the pre-speech pad
 * (800 ms) before it, a frame, and the redemption time (1400 ms) after it, with DECAY_S.
 */
export function expectCovers(ours: { start: number; end: number }[], truth: { start: number; end: number }[]): void {
  expect(ours.length).toBe(truth.length);
  ours.forEach((s, i) => {
    const t = truth[i]!;
    expect(s.start, `segment ${i} starts by the speech`).toBeLessThanOrEqual(t.start + 0.1);
    expect(s.end, `segment ${i} ends after the speech`).toBeGreaterThanOrEqual(t.end - 0.1);
    expect(s.start).toBeGreaterThanOrEqual(t.start - 0.8 - FRAME_S);
    expect(s.end).toBeLessThanOrEqual(t.end + 1.4 + DECAY_S);
  });
}
