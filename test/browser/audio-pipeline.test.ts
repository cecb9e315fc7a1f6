// Audio into transformers.js pipelines: an AudioBuffer, or a Float32Array with its sampleRate, is
// moved to the worker and resampled there to the feature extractor's sampling_rate (tiny-asr's
// preprocessor_config.json: 16 kHz); at 16 kHz it gives exactly what the raw samples give.
import { describe, expect, it } from 'vitest';
import { speak } from '../../scripts/fixtures/tiny-asr.js';
import { useBrowser } from '../support/browser.js';

const browser = useBrowser();

/** 16 kHz to 48 kHz by linear interpolation: a plain upsampler of the test's own, not the library's */
function to48k(x: Float32Array): Float32Array {
  const out = new Float32Array(x.length * 3);
  for (let i = 0; i < out.length; i++) {
    const t = i / 3;
    const j = Math.floor(t);
    const f = t - j;
    out[i] = x[j]! * (1 - f) + (x[j + 1] ?? 0) * f;
  }
  return out;
}

describe(`audio into pipelines (${browser.mode})`, () => {
  it('speech recognition takes an AudioBuffer and a Float32Array with its rate, at 16 and 48 kHz', async () => {
    const { page } = await browser.open();
    const at16 = speak('hello world');
    const got = await page.evaluate(
      async ({ at16, at48 }) => {
        const ai = window.airlock.createRuntime();
        const transcribe = await ai.pipeline('automatic-speech-recognition', 'tiny-asr');
        const samples = new Float32Array(at16);
        const buffer = (data: number[], sampleRate: number, channels = 1) => {
          const b = new AudioBuffer({ numberOfChannels: channels, length: data.length, sampleRate });
          for (let c = 0; c < channels; c++) b.copyToChannel(new Float32Array(data), c);
          return b;
        };
        const withNaN = samples.slice();
        withNaN[3] = Number.NaN;
        const out = {
          raw: await transcribe(samples.slice()),
          withRate: await transcribe(samples.slice(), { sampleRate: 16000 }),
          buffer16: await transcribe(buffer(at16, 16000)),
          stereo16: await transcribe(buffer(at16, 16000, 2)),
          buffer48: await transcribe(buffer(at48, 48000)),
          array48: await transcribe(new Float32Array(at48), { sampleRate: 48000 }),
          kept: samples.length,
          badRate: await window.settle(transcribe(samples, { sampleRate: 1 })),
          nan: await window.settle(transcribe(withNaN, { sampleRate: 16000 })),
          empty: await window.settle(transcribe(new Float32Array(0), { sampleRate: 16000 })),
          after: await transcribe(samples),
        };
        await ai.dispose();
        return out;
      },
      { at16: Array.from(at16), at48: Array.from(to48k(at16)) },
    );
    expect(got.raw).toEqual({ text: 'hello world' });
    for (const key of ['withRate', 'buffer16', 'stereo16', 'buffer48', 'array48'] as const)
      expect(got[key], key).toEqual(got.raw);
    expect(got.kept).toBe(at16.length);
    expect(got.badRate).toMatchObject({ ok: false, code: 'BAD_INPUT', details: { option: 'sampleRate' } });
    expect((got.badRate as { message: string }).message).toContain('8000');
    expect(got.nan).toMatchObject({ ok: false, code: 'BAD_INPUT', details: { index: 3, value: 'NaN' } });
    expect(got.empty).toMatchObject({ ok: false, code: 'BAD_INPUT', details: { samples: 0 } });
    expect(got.after).toEqual(got.raw);
  });
});
