// The peer for speech detection: @ricky0123/vad-web 0.0.31, bundled with its own
// onnxruntime-web (1.30.0) and served on the test origin, so that it runs in the test page and
// fetches nothing from elsewhere (its runtime files from /peer/ort/, the model from /models/).
//
// Its NonRealTimeVAD is wired to the legacy model only (SileroLegacy, 1536-sample frames), so the
// page runs what that class does, step for step, with the pieces vad-web's MicVAD uses for v5:
// its `Silero` model class (512-sample frames with 64 samples of context), `FrameProcessor` at
// 32 ms a frame, and `Resampler`; segment times as NonRealTimeVAD computes them.
import { build } from 'esbuild';
import { resolve } from 'node:path';
import { staticDir } from '../../src/node/serve/static-files.js';
import type { Handler } from '../../src/node/serve/server.js';
import { ROOT } from './paths.js';

const VAD_WEB = resolve(ROOT, 'node_modules/@ricky0123/vad-web');

const ENTRY = `
import * as ort from 'onnxruntime-web';
import { FrameProcessor, Message } from './dist/index.js';
import { defaultFrameProcessorOptions } from './dist/frame-processor.js';
import { Silero } from './dist/models/silero.js';
import { Resampler } from './dist/resampler.js';

ort.env.wasm.wasmPaths = new URL('/peer/ort/', location.href).href;
let model;

export async function run(samples, sampleRate, options = {}) {
  model ??= await Silero.new(ort, () => fetch('/models/silero-vad/silero_vad_v5.onnx').then((r) => r.arrayBuffer()));
  model.reset_state();
  const frameSamples = 512;
  const processor = new FrameProcessor(model.process, model.reset_state,
    { ...defaultFrameProcessorOptions, ...options }, frameSamples / 16);
  processor.resume();
  const resampler = new Resampler({ nativeSampleRate: sampleRate, targetSampleRate: 16000, targetFrameSize: frameSamples });
  const probabilities = [];
  const segments = [];
  let start = 0;
  let frameIndex = 0;
  const started = performance.now();
  const take = (event, endMs) => {
    if (event.msg === Message.FrameProcessed) probabilities.push(event.probs.isSpeech);
    if (event.msg === Message.SpeechStart) start = (frameIndex * frameSamples) / 16;
    if (event.msg === Message.SpeechEnd) {
      const end = endMs();
      // the segment's audio starts with the pre-speech padding: its start is end minus its length
      segments.push({ start: (end - event.audio.length / 16) / 1000, end: end / 1000, firstSpeech: start / 1000 });
    }
  };
  for await (const frame of resampler.stream(samples)) {
    const events = [];
    await processor.process(frame, (e) => events.push(e));
    for (const e of events) take(e, () => ((frameIndex + 1) * frameSamples) / 16);
    frameIndex++;
  }
  const events = [];
  processor.endSegment((e) => events.push(e));
  for (const e of events) take(e, () => (frameIndex * frameSamples) / 16);
  return { segments, probabilities, ms: performance.now() - started };
}
`;

/** Serves the peer at /peer/vad-peer.js and its runtime files at /peer/ort/. */
export function vadPeerHandler(): Handler {
  const code = build({
    stdin: { contents: ENTRY, resolveDir: VAD_WEB, sourcefile: 'vad-peer.js', loader: 'js' },
    bundle: true,
    format: 'esm',
    platform: 'browser',
    write: false,
    logLevel: 'silent',
  }).then((out) => out.outputFiles[0]!.text);
  const ort = staticDir(resolve(VAD_WEB, 'node_modules/onnxruntime-web/dist'));
  return (req, res, next) => {
    const url = req.url ?? '';
    if (url.startsWith('/peer/vad-peer.js')) {
      res.setHeader('Content-Type', 'text/javascript; charset=utf-8');
      return void code.then((text) => res.end(text));
    }
    if (url.startsWith('/peer/ort/')) {
      req.url = url.slice('/peer/ort'.length);
      return ort(req, res, next);
    }
    next();
  };
}
