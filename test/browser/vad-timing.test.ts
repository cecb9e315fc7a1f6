// Speech detection on a minute of audio: Airlock (worker, WASM) and vad-web (in the page, its own
// onnxruntime-web on WASM) on the same samples. The segments must agree within a frame; the time
// per minute of audio is printed, the median of AIRLOCK_VAD_RUNS runs each (default 1).
import { describe, expect, it } from 'vitest';
import { useBrowser } from '../support/browser.js';
import { readWav } from '../support/speech-samples.js';
import { vadPeerHandler } from '../support/vad-peer.js';

const browser = useBrowser({ before: [vadPeerHandler()] });
const RUNS = Number(process.env.AIRLOCK_VAD_RUNS ?? 1);
const FRAME_S = 0.032;

/** the 16 kHz recording repeated to one minute */
function oneMinute(): Float32Array {
  const { samples } = readWav('speech-16k.wav');
  const out = new Float32Array(60 * 16000);
  for (let off = 0; off < out.length; off += samples.length) out.set(samples.subarray(0, out.length - off), off);
  return out;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

describe(`speech detection on a minute of audio (${browser.mode})`, () => {
  it(
    'finds the same segments as vad-web, and says how long each takes',
    async () => {
      const { page } = await browser.open();
      await page.evaluate("import('/peer/vad-peer.js').then((m) => { window.peer = m; })");
      const got = await page.evaluate(
        async ({ data, runs }) => {
          type Peer = { run: (s: Float32Array, r: number) => Promise<{ segments: { start: number; end: number }[] }> };
          const peer = (window as unknown as { peer: Peer }).peer;
          const ai = window.airlock.createRuntime();
          const vad = await ai.vad();
          const samples = new Float32Array(data);
          await vad(samples.subarray(0, 16000).slice(), { sampleRate: 16000 }); // warm both up
          await peer.run(samples.subarray(0, 16000), 16000);
          const ours: number[] = [];
          const theirs: number[] = [];
          let segments: unknown[] = [];
          let peerSegments: unknown[] = [];
          for (let i = 0; i < runs; i++) {
            let t = performance.now();
            segments = await vad(samples, { sampleRate: 16000 });
            ours.push(performance.now() - t);
            t = performance.now();
            peerSegments = (await peer.run(samples, 16000)).segments;
            theirs.push(performance.now() - t);
          }
          await ai.dispose();
          return { ours, theirs, segments, peerSegments, cores: navigator.hardwareConcurrency };
        },
        { data: Array.from(oneMinute()), runs: RUNS },
      );
      const segments = got.segments as { start: number; end: number }[];
      const peer = got.peerSegments as { start: number; end: number }[];
      expect(segments.length).toBeGreaterThanOrEqual(12); // two sentences in each 9 s
      expect(segments.length).toBe(peer.length);
      segments.forEach((s, i) => {
        expect(Math.abs(s.start - peer[i]!.start), `segment ${i} start`).toBeLessThanOrEqual(FRAME_S + 1e-9);
        expect(Math.abs(s.end - peer[i]!.end), `segment ${i} end`).toBeLessThanOrEqual(FRAME_S + 1e-9);
      });
      console.log(
        `VAD per minute of audio, median of ${RUNS} (${got.cores} cores): airlock ${median(got.ours).toFixed(0)} ms ` +
          `[${got.ours.map((x) => x.toFixed(0)).join(', ')}], vad-web ${median(got.theirs).toFixed(0)} ms ` +
          `[${got.theirs.map((x) => x.toFixed(0)).join(', ')}]`,
      );
    },
    120_000 * RUNS,
  );
});
