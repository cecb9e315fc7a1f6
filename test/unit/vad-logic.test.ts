// Speech detection's pure parts: the resampler (the same samples chunk by chunk as at once; a
// low-pass that keeps what is above the new Nyquist frequency out) and the segment rules.
import { describe, expect, it } from 'vitest';
import { Resampler, resample } from '../../src/worker/tasks/vad/resample.js';
import { SegmentMachine } from '../../src/worker/tasks/vad/segments.js';
import type { VadEvent } from '../../src/protocol/vad.js';
import { VAD_DEFAULTS } from '../../src/shared/vad.js';

const sine = (hz: number, rate: number, seconds: number) =>
  Float32Array.from({ length: Math.round(rate * seconds) }, (_, i) => Math.sin((2 * Math.PI * hz * i) / rate));
const rms = (x: Float32Array) => Math.sqrt(x.reduce((a, v) => a + v * v, 0) / x.length);
/** the middle, away from the edges where the filter sees only half its window */
const middle = (x: Float32Array) => x.subarray(Math.floor(x.length * 0.1), Math.floor(x.length * 0.9));

describe('resampler', () => {
  it('gives the same samples chunk by chunk as for the whole recording', () => {
    const input = sine(440, 44100, 1).map((v, i) => v * 0.5 + Math.sin(i * 0.37) * 0.2);
    const whole = resample(input, 44100, 16000);
    const r = new Resampler(44100, 16000);
    const parts: Float32Array[] = [];
    let off = 0;
    for (const size of [1, 127, 128, 4096, 3, 999, 10000]) {
      parts.push(r.push(input.subarray(off, off + size)));
      off += size;
    }
    parts.push(r.push(input.subarray(off), true));
    const joined = Float32Array.from(parts.flatMap((p) => Array.from(p)));
    expect(joined.length).toBe(whole.length);
    expect(whole.length).toBe(Math.floor((44100 * 16000) / 44100));
    let max = 0;
    joined.forEach((v, i) => (max = Math.max(max, Math.abs(v - whole[i]!))));
    expect(max).toBeLessThan(1e-6);
  });

  it('passes 1 kHz and keeps 10 kHz out when going from 48 kHz to 16 kHz', () => {
    const passed = resample(sine(1000, 48000, 1), 48000, 16000);
    const want = sine(1000, 16000, 1);
    let max = 0;
    middle(passed).forEach((v, i) => (max = Math.max(max, Math.abs(v - middle(want)[i]!))));
    expect(max).toBeLessThan(2e-3);
    // 10 kHz would fold back to 6 kHz; averaging each 3 samples would leave about half of it
    expect(rms(middle(resample(sine(10000, 48000, 1), 48000, 16000)))).toBeLessThan(0.01);
  });

  it('returns the samples as they are at the same rate', () => {
    const x = sine(100, 16000, 0.1);
    expect(resample(x, 16000, 16000)).toBe(x);
  });
});

describe('segment rules (defaults: redemption 43 frames, padding 25, minimum speech 12)', () => {
  const run = (probs: number[]) => {
    const m = new SegmentMachine(VAD_DEFAULTS);
    const events: VadEvent[] = [];
    probs.forEach((p, i) => m.frame(p, i, (e) => events.push(e)));
    m.finish(probs.length, (e) => events.push(e));
    return events;
  };
  const frames = (...runs: [number, number][]) => runs.flatMap(([p, n]) => Array<number>(n).fill(p));

  it('pads the start, ends after the redemption time, and says when the segment counts', () => {
    // 50 silent frames, 20 of speech, 60 silent: padded from frame 25, ends at frame 70 + 43
    expect(run(frames([0, 50], [0.9, 20], [0, 60]))).toEqual([
      { type: 'speech-start', at: 0.8 },
      { type: 'speech-end', start: 0.8, end: 3.616 },
    ]);
  });

  it('drops speech shorter than the minimum, and ends speech still going at the end of the audio', () => {
    expect(run(frames([0, 30], [0.9, 5], [0, 60]))).toEqual([]);
    expect(run(frames([0, 10], [0.9, 20]))).toEqual([
      { type: 'speech-start', at: 0 },
      { type: 'speech-end', start: 0, end: 0.96 },
    ]);
  });

  it('does not end speech on frames between the two thresholds', () => {
    const events = run(frames([0.9, 15], [0.27, 100], [0, 50]));
    expect(events.at(-1)).toEqual({ type: 'speech-end', start: 0, end: (115 + 43) * 0.032 });
  });
});
