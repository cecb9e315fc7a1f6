// Speech detection: ai.vad() on real speech (espeak-ng sentences between silence and noise),
// against where the speech really is and against @ricky0123/vad-web run in the same page on the
// same samples; Silero v5's 64 samples of context; streams; bad audio.
import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { useBrowser } from '../support/browser.js';
import { expectCovers, FRAME_S, readWav, speechTruth } from '../support/speech-samples.js';
import { vadPeerHandler } from '../support/vad-peer.js';

const browser = useBrowser({ before: [vadPeerHandler()] });

interface Segment {
  start: number;
  end: number;
}

async function withPeer(page: Page): Promise<void> {
  // as a string: the test's own transform would rewrite an import() in a function
  await page.evaluate("import('/peer/vad-peer.js').then((m) => { window.peer = m; })");
}

/** Airlock's segments and frame probabilities, and the peer's, on one file. */
async function bothOn(page: Page, file: string) {
  const { samples, sampleRate } = readWav(file);
  return page.evaluate(
    async ({ data, sampleRate }) => {
      const samples = new Float32Array(data);
      const ai = window.airlock.createRuntime();
      const t0 = performance.now();
      const vad = await ai.vad();
      const t1 = performance.now();
      const segments = await vad(samples, { sampleRate });
      const t2 = performance.now();
      const probabilities = Array.from(await vad.probabilities(samples, { sampleRate }));
      const t3 = performance.now();
      const peer = (window as unknown as { peer: { run: (s: Float32Array, r: number) => Promise<unknown> } }).peer;
      const theirs = (await peer.run(samples, sampleRate)) as {
        segments: { start: number; end: number; firstSpeech: number }[];
        probabilities: number[];
      };
      const t4 = performance.now();
      await ai.dispose();
      const ms = { load: t1 - t0, vad: t2 - t1, probabilities: t3 - t2, peer: t4 - t3 };
      return { segments, probabilities, theirs, intact: samples.length, ms };
    },
    { data: Array.from(samples), sampleRate },
  );
}

function expectAgreement(ours: Segment[], theirs: Segment[]): void {
  expect(ours.length).toBe(theirs.length);
  ours.forEach((s, i) => {
    expect(Math.abs(s.start - theirs[i]!.start), `segment ${i} start`).toBeLessThanOrEqual(FRAME_S + 1e-9);
    expect(Math.abs(s.end - theirs[i]!.end), `segment ${i} end`).toBeLessThanOrEqual(FRAME_S + 1e-9);
  });
}

describe(`speech detection (${browser.mode})`, () => {
  it('finds the two sentences of a 16 kHz recording, as vad-web does, frame for frame', async () => {
    const { page } = await browser.open();
    await withPeer(page);
    const got = await bothOn(page, 'speech-16k.wav');
    const truth = speechTruth('speech-16k.wav');
    console.log('airlock', JSON.stringify(got.segments), 'peer', JSON.stringify(got.theirs.segments), got.ms);
    expectAgreement(got.segments, got.theirs.segments);
    expectCovers(got.segments, truth.speech);
    // the same frames, the same model, the same context: the same probabilities
    expect(got.probabilities.length).toBe(got.theirs.probabilities.length);
    got.probabilities.forEach((p, i) =>
      expect(Math.abs(p - got.theirs.probabilities[i]!), `frame ${i}`).toBeLessThan(1e-4),
    );
    // the caller's samples are still theirs
    expect(got.intact).toBe(readWav('speech-16k.wav').samples.length);
  });

  it('resamples 48 kHz audio in the worker and finds the same sentence', async () => {
    const { page } = await browser.open();
    await withPeer(page);
    const got = await bothOn(page, 'speech-48k.wav');
    const truth = speechTruth('speech-48k.wav');
    console.log('airlock', JSON.stringify(got.segments), 'peer', JSON.stringify(got.theirs.segments));
    expectCovers(got.segments, truth.speech);
    // vad-web averages each 3 samples, Airlock low-passes first: the same edges within a frame
    expectAgreement(got.segments, got.theirs.segments);
  });
});

describe(`Silero v5's context (${browser.mode})`, () => {
  it('frames with the previous 64 samples in front score as vad-web; bare 512-sample frames do not', async () => {
    const { page } = await browser.open();
    await withPeer(page);
    const { samples, sampleRate } = readWav('speech-16k.wav');
    const got = await page.evaluate(
      async ({ data, sampleRate }) => {
        const samples = new Float32Array(data);
        const ai = window.airlock.createRuntime();
        const withContext = Array.from(await (await ai.vad()).probabilities(samples, { sampleRate }));
        // what the README used to show: each 512 samples alone, as input [1, 512]
        const session = await ai.session('silero-vad', { device: 'wasm' });
        let state = new Float32Array(256);
        const bare: number[] = [];
        for (let off = 0; off + 512 <= samples.length; off += 512) {
          const out = await session.run({
            input: { type: 'float32', data: samples.slice(off, off + 512), dims: [1, 512] },
            state: { type: 'float32', data: state, dims: [2, 1, 128] },
            sr: { type: 'int64', data: BigInt64Array.from([16000n]), dims: [] },
          });
          bare.push((out.output!.data as Float32Array)[0]!);
          state = out.stateN!.data as Float32Array<ArrayBuffer>;
        }
        const peer = (window as unknown as { peer: { run: (s: Float32Array, r: number) => Promise<unknown> } }).peer;
        const theirs = ((await peer.run(samples, sampleRate)) as { probabilities: number[] }).probabilities;
        await ai.dispose();
        return { withContext, bare, theirs };
      },
      { data: Array.from(samples), sampleRate },
    );
    expect(got.withContext.length).toBe(Math.floor(samples.length / 512));
    expect(got.theirs.length).toBe(got.withContext.length);
    const diff = (a: number[], b: number[]) => a.map((x, i) => Math.abs(x - b[i]!));
    const ours = diff(got.withContext, got.theirs);
    expect(Math.max(...ours)).toBeLessThan(1e-4);
    // without context: measured max 0.98, mean 0.10, 49 of 283 frames off by more than 0.2
    const bare = diff(got.bare, got.theirs);
    const mean = bare.reduce((a, b) => a + b, 0) / bare.length;
    console.log(`bare frames: max diff ${Math.max(...bare).toFixed(3)}, mean ${mean.toFixed(3)}`);
    expect(Math.max(...bare)).toBeGreaterThan(0.5);
    expect(mean).toBeGreaterThan(0.05);
    expect(bare.filter((d) => d > 0.2).length).toBeGreaterThanOrEqual(20);
  });
});

describe(`speech detection streams and AudioBuffers (${browser.mode})`, () => {
  it('a stream of 48 kHz chunks yields the same segment as one call, as it happens; an AudioBuffer gives it too', async () => {
    const { page } = await browser.open();
    const { samples, sampleRate } = readWav('speech-48k.wav');
    const got = await page.evaluate(
      async ({ data, sampleRate }) => {
        const samples = new Float32Array(data);
        const ai = window.airlock.createRuntime();
        const vad = await ai.vad();
        const whole = await vad(samples, { sampleRate });
        // stereo, one channel silent: mixed to mono it is the recording at half the level
        const buffer = new AudioBuffer({ numberOfChannels: 2, length: samples.length, sampleRate });
        buffer.copyToChannel(samples, 0);
        const stereo = await vad(buffer);
        const mono = new AudioBuffer({ numberOfChannels: 1, length: samples.length, sampleRate });
        mono.copyToChannel(samples, 0);
        const fromBuffer = await vad(mono);
        const CHUNK = 4096;
        let sent = 0;
        async function* chunks() {
          for (let off = 0; off < samples.length; off += CHUNK) {
            sent++;
            await new Promise((r) => setTimeout(r, 0));
            yield samples.slice(off, off + CHUNK);
          }
        }
        const events: { event: unknown; chunksSent: number }[] = [];
        for await (const event of vad.stream(chunks(), { sampleRate })) events.push({ event, chunksSent: sent });
        // breaking out early, then a new stream: it starts from scratch
        const first: unknown[] = [];
        for await (const event of vad.stream(chunks(), { sampleRate })) {
          first.push(event);
          break;
        }
        // an abort ends the loop with ABORTED
        const stop = new AbortController();
        const aborted = await window.settle(
          (async () => {
            for await (const e of vad.stream(chunks(), { sampleRate, signal: stop.signal })) {
              if (e.type === 'speech-start') stop.abort();
            }
          })(),
        );
        const after = await vad(samples, { sampleRate });
        await ai.dispose();
        return {
          whole,
          stereo,
          fromBuffer,
          events,
          totalChunks: Math.ceil(samples.length / CHUNK),
          first,
          aborted,
          after,
        };
      },
      { data: Array.from(samples), sampleRate },
    );
    expect(got.whole.length).toBe(1);
    const [seg] = got.whole;
    expect(got.fromBuffer).toEqual(got.whole);
    // half the level: the same sentence, found within a frame
    expect(got.stereo.length).toBe(1);
    expect(Math.abs(got.stereo[0]!.start - seg!.start)).toBeLessThanOrEqual(FRAME_S + 1e-9);
    expect(Math.abs(got.stereo[0]!.end - seg!.end)).toBeLessThanOrEqual(FRAME_S + 1e-9);
    expect(got.events.map((e) => e.event)).toEqual([
      { type: 'speech-start', at: seg!.start },
      { type: 'speech-end', start: seg!.start, end: seg!.end },
    ]);
    // each event came while the audio was still arriving, not at the end
    const chunkSeconds = 4096 / sampleRate;
    const [startSeen, endSeen] = got.events.map((e) => e.chunksSent * chunkSeconds);
    expect(startSeen).toBeLessThan(speechTruth('speech-48k.wav').speech[0]!.end);
    expect(got.events[1]!.chunksSent).toBeLessThan(got.totalChunks);
    expect(endSeen).toBeGreaterThanOrEqual(seg!.end);
    expect(got.first).toEqual([{ type: 'speech-start', at: seg!.start }]);
    expect(got.aborted).toMatchObject({ ok: false, code: 'ABORTED' });
    expect(got.after).toEqual(got.whole);
  });
});

describe(`bad audio (${browser.mode})`, () => {
  it('refuses odd rates, empty audio, NaN and Infinity with BAD_INPUT, and the worker goes on', async () => {
    const { page } = await browser.open();
    const { samples } = readWav('speech-16k.wav');
    const got = await page.evaluate(
      async ({ data }) => {
        const ai = window.airlock.createRuntime();
        const vad = await ai.vad();
        const good = new Float32Array(data);
        const rates: Record<string, unknown> = {};
        for (const rate of [0, -16000, Number.NaN, 1, 10_000_000, undefined])
          rates[String(rate)] = await window.settle(vad(good, { sampleRate: rate as number }));
        const withNaN = good.slice();
        withNaN[100] = Number.NaN;
        const withInf = good.slice();
        withInf[7] = Number.POSITIVE_INFINITY;
        const out = {
          rates,
          empty: await window.settle(vad(new Float32Array(0), { sampleRate: 16000 })),
          nan: await window.settle(vad(withNaN, { sampleRate: 16000 })),
          inf: await window.settle(vad.probabilities(withInf, { sampleRate: 16000 })),
          text: await window.settle(vad('speech.wav' as unknown as Float32Array, { sampleRate: 16000 })),
          threshold: await window.settle(vad(good, { sampleRate: 16000, negativeSpeechThreshold: 0.9 })),
          stream: await window.settle(
            (async () => {
              for await (const e of vad.stream([good], { sampleRate: 1 })) void e;
            })(),
          ),
          streamNaN: await window.settle(
            (async () => {
              for await (const e of vad.stream([good, withNaN], { sampleRate: 16000 })) void e;
            })(),
          ),
          healthy: await window.settle(vad(good, { sampleRate: 16000 })),
        };
        await ai.dispose();
        return out;
      },
      { data: Array.from(samples) },
    );
    for (const [rate, outcome] of Object.entries(got.rates)) {
      expect(outcome, `rate ${rate}`).toMatchObject({
        ok: false,
        code: 'BAD_INPUT',
        details: { option: 'sampleRate' },
      });
      const message = (outcome as { message: string }).message;
      expect(message).toContain(rate);
      expect(message).toContain('8000');
      expect(message).toContain('384000');
    }
    expect(got.empty).toMatchObject({ ok: false, code: 'BAD_INPUT', details: { option: 'audio', samples: 0 } });
    expect(got.nan).toMatchObject({
      ok: false,
      code: 'BAD_INPUT',
      details: { option: 'audio', index: 100, value: 'NaN' },
    });
    expect((got.nan as { message: string }).message).toContain('index 100');
    expect(got.inf).toMatchObject({ ok: false, code: 'BAD_INPUT', details: { index: 7, value: 'Infinity' } });
    expect(got.text).toMatchObject({ ok: false, code: 'BAD_INPUT', details: { option: 'audio' } });
    expect(got.threshold).toMatchObject({
      ok: false,
      code: 'BAD_INPUT',
      details: { option: 'negativeSpeechThreshold' },
    });
    expect(got.stream).toMatchObject({ ok: false, code: 'BAD_INPUT', details: { option: 'sampleRate' } });
    expect(got.streamNaN).toMatchObject({ ok: false, code: 'BAD_INPUT', details: { index: 100 } });
    expect(got.healthy).toMatchObject({ ok: true });
    expect((got.healthy as { value: unknown[] }).value.length).toBe(2);
  });
});
