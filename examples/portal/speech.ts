// Speech detection: a sample recording (decoded with decodeAudioData) or the microphone (an
// AudioWorklet's chunks), fed to `vad.stream()` so that segments appear on the waveform as the
// worker finds them; each segment can be played back.
import type { VadDetector, VadEvent } from '../../src/index.js';
import { ai, backendLabel, mountNav, progressBar, showError } from './shared.js';

const SAMPLES = ['speech-16k.wav', 'speech-48k.wav'];
/** each chunk handed to the detector: a quarter second, so segments show up while it runs */
const CHUNK_S = 0.25;
/** samples per peak drawn on the waveform */
const PEAK = 256;

const $ = <T extends HTMLElement = HTMLElement>(id: string) => document.getElementById(id) as T;
mountNav('speech');

const bar = progressBar($('progress'));
const loading: Promise<VadDetector> = ai.vad({ onProgress: (p) => bar.update(p) });
void loading.then(
  (vad) => {
    bar.done();
    $('status').textContent = `ready · runs on ${backendLabel(vad.backend)}`;
  },
  (e: unknown) => {
    bar.done();
    showError($('status'), e);
  },
);

interface Segment {
  start: number;
  end: number | null;
  /** how much audio had been handed to the detector when the segment ended */
  foundAt?: number;
}

/** What is shown: the audio so far (as peaks), its length, and the segments found. */
const view = { peaks: [] as number[], rate: 16_000, seconds: 0, total: 0, segments: [] as Segment[] };
let audio: AudioBuffer | null = null;
let context: AudioContext | null = null;
const audioContext = () => (context ??= new AudioContext());

function addPeaks(samples: Float32Array): void {
  for (let i = 0; i < samples.length; i += PEAK) {
    let peak = 0;
    for (let j = i; j < Math.min(i + PEAK, samples.length); j++) peak = Math.max(peak, Math.abs(samples[j]!));
    view.peaks.push(peak);
  }
  view.seconds += samples.length / view.rate;
}

function drawWave(): void {
  const canvas = $<HTMLCanvasElement>('wave');
  const g = canvas.getContext('2d')!;
  const { width, height } = canvas;
  const span = Math.max(view.total, view.seconds, 1);
  const x = (s: number) => (s / span) * width;
  g.clearRect(0, 0, width, height);
  view.segments.forEach((s, i) => {
    const [left, right] = [x(s.start), x(s.end ?? view.seconds)];
    g.fillStyle = i % 2 ? '#1f7a4d2e' : '#2b62c42e';
    g.fillRect(left, 0, right - left, height);
    g.fillStyle = i % 2 ? '#1f7a4d' : '#2b62c4';
    g.fillRect(left, 0, 2, height); // each segment's start, so that touching segments stay apart
    g.font = '600 22px system-ui, sans-serif';
    g.fillText(String(i + 1), left + 8, 26);
  });
  g.fillStyle = '#1c2530';
  const step = (PEAK / view.rate / span) * width;
  view.peaks.forEach((p, i) => {
    const h = Math.max(1, p * height * 0.9);
    g.fillRect(i * step, (height - h) / 2, Math.max(1, step), h);
  });
  canvas.dataset.segments = String(view.segments.filter((s) => s.end !== null).length);
}

function play(segment: Segment, item: HTMLElement): void {
  if (!audio || segment.end === null) return;
  const source = audioContext().createBufferSource();
  source.buffer = audio;
  source.connect(audioContext().destination);
  item.dataset.playing = 'true';
  source.onended = () => delete item.dataset.playing;
  source.start(0, segment.start, segment.end - segment.start);
}

function listSegments(): void {
  const done = view.segments.filter((s): s is Segment & { end: number } => s.end !== null);
  $('segments').replaceChildren(
    ...done.map((s, i) => {
      const item = document.createElement('li');
      item.dataset.start = String(s.start);
      item.dataset.end = String(s.end);
      item.dataset.foundAt = String(s.foundAt);
      const label = `${i + 1}. ${s.start.toFixed(2)} s – ${s.end.toFixed(2)} s (${(s.end - s.start).toFixed(2)} s)`;
      const button = Object.assign(document.createElement('button'), { className: 'quiet', textContent: 'Play' });
      button.disabled = !audio;
      button.addEventListener('click', () => play(s, item));
      item.append(Object.assign(document.createElement('span'), { textContent: label }), button);
      return item;
    }),
  );
}

function onEvent(e: VadEvent): void {
  if (e.type === 'speech-start') view.segments.push({ start: e.at, end: null });
  else {
    const open = view.segments.at(-1);
    const found = { start: e.start, end: e.end, foundAt: view.seconds };
    if (open && open.end === null) Object.assign(open, found);
    else view.segments.push(found);
    listSegments();
  }
  drawWave();
}

/** Runs the detector over `chunks` as they come, drawing each chunk and each event. */
async function detect(chunks: AsyncIterable<Float32Array> | Iterable<Float32Array>, rate: number): Promise<void> {
  const out = $('vad-out');
  out.className = 'out meta';
  out.textContent = 'listening for speech…';
  const vad = await loading;
  async function* drawn() {
    for await (const chunk of chunks) {
      addPeaks(chunk);
      drawWave();
      yield chunk;
    }
  }
  const started = performance.now();
  for await (const e of vad.stream(drawn(), { sampleRate: rate })) onEvent(e);
  listSegments();
  const found = view.segments.filter((s) => s.end !== null).length;
  out.textContent = `${found} segment${found === 1 ? '' : 's'} in ${view.seconds.toFixed(1)} s of audio · ${Math.round(performance.now() - started)} ms · on ${backendLabel(vad.backend)}`;
  out.dataset.done = 'true';
}

function reset(name: string, rate: number, total: number): void {
  Object.assign(view, { peaks: [], rate, seconds: 0, total, segments: [] });
  $('audio-name').textContent = name;
  $('segments').replaceChildren();
  delete $('vad-out').dataset.done;
}

function* chunksOf(samples: Float32Array, rate: number): Generator<Float32Array> {
  const size = Math.round(rate * CHUNK_S);
  for (let i = 0; i < samples.length; i += size) yield samples.subarray(i, i + size);
}

async function runSample(name: string): Promise<void> {
  reset(name, view.rate, 0); // at once: the last run's result is gone before the file arrives
  try {
    const bytes = await (await fetch(`samples/speech/${name}`)).arrayBuffer();
    audio = await audioContext().decodeAudioData(bytes);
    reset(name, audio.sampleRate, audio.duration);
    await detect(chunksOf(audio.getChannelData(0), audio.sampleRate), audio.sampleRate);
  } catch (e) {
    showError($('vad-out'), e);
  }
}

/** Why the microphone could not be used, in words for the visitor. */
function micProblem(e: unknown): string {
  const name = e instanceof DOMException ? e.name : '';
  if (name === 'NotAllowedError' || name === 'SecurityError')
    return 'Microphone access was refused. Allow it for this site in the browser, then try again.';
  if (name === 'NotFoundError') return 'No microphone was found on this device.';
  return `The microphone could not be opened (${name || String(e)}).`;
}

/** The worklet's chunks as an async iterable that ends when `stop` fires. */
function micChunks(
  port: MessagePort,
  stop: AbortSignal,
  kept: Float32Array<ArrayBuffer>[],
): AsyncIterable<Float32Array> {
  const queue: Float32Array<ArrayBuffer>[] = [];
  let wake: (() => void) | null = null;
  port.onmessage = (m: MessageEvent<Float32Array<ArrayBuffer>>) => {
    queue.push(m.data);
    kept.push(m.data);
    wake?.();
  };
  stop.addEventListener('abort', () => wake?.());
  return {
    async *[Symbol.asyncIterator]() {
      while (!stop.aborted || queue.length) {
        if (!queue.length) await new Promise<void>((r) => (wake = r));
        while (queue.length) yield queue.shift()!;
      }
    },
  };
}

function asBuffer(chunks: Float32Array<ArrayBuffer>[], rate: number): AudioBuffer | null {
  const length = chunks.reduce((n, c) => n + c.length, 0);
  if (!length) return null;
  const buffer = audioContext().createBuffer(1, length, rate);
  let at = 0;
  for (const c of chunks) {
    buffer.copyToChannel(c, 0, at);
    at += c.length;
  }
  return buffer;
}

let recording: AbortController | null = null;
async function record(): Promise<void> {
  const mic = $('mic-out');
  mic.className = 'out meta';
  delete mic.dataset.problem;
  let stream: MediaStream;
  try {
    stream = await navigator.mediaDevices.getUserMedia({ audio: { channelCount: 1 } });
  } catch (e) {
    mic.className = 'out error';
    mic.dataset.problem = e instanceof DOMException ? e.name : 'unknown';
    mic.textContent = micProblem(e);
    return;
  }
  const ctx = audioContext();
  await ctx.resume();
  await ctx.audioWorklet.addModule('recorder-worklet.js');
  const node = new AudioWorkletNode(ctx, 'recorder');
  ctx.createMediaStreamSource(stream).connect(node);
  recording = new AbortController();
  const kept: Float32Array<ArrayBuffer>[] = [];
  audio = null;
  reset('microphone', ctx.sampleRate, 10); // the waveform's first 10 s; it widens past them
  mic.textContent = 'recording…';
  $<HTMLButtonElement>('stop').disabled = false;
  $<HTMLButtonElement>('record').disabled = true;
  try {
    await detect(micChunks(node.port, recording.signal, kept), ctx.sampleRate);
  } finally {
    stream.getTracks().forEach((t) => t.stop());
    node.disconnect();
    audio = asBuffer(kept, ctx.sampleRate);
    listSegments();
    mic.textContent = `recorded ${view.seconds.toFixed(1)} s`;
    $<HTMLButtonElement>('record').disabled = false;
  }
}

for (const name of SAMPLES) {
  const button = Object.assign(document.createElement('button'), { className: 'quiet', textContent: name });
  button.dataset.sample = name;
  button.addEventListener('click', () => void runSample(name));
  $('samples').append(button);
}
$('record').addEventListener('click', () => void record().catch((e: unknown) => showError($('mic-out'), e)));
$('stop').addEventListener('click', () => {
  recording?.abort();
  $<HTMLButtonElement>('stop').disabled = true;
});
