// Speech detection on the page: `ai.vad()` loads Silero VAD as a session in the worker, and the
// detector it returns sends each recording (or each chunk of a stream) across once; the frame
// loop, the resampling and all state stay in the worker.
import { AirlockError } from '../../errors.js';
import type { Backend, SessionInfo } from '../../protocol/types.js';
import type { SpeechSegment, VadEvent, VadSettings } from '../../protocol/vad.js';
import { VAD_DEFAULTS } from '../../shared/vad.js';
import { badOption, nonEmptyString, optionalSignal, optionsObject, shown } from '../checks.js';
import { ModelRef, type LoadControls } from '../handles.js';
import { audioSamples, checkRate } from '../inputs/audio.js';
import { loadControls } from '../load-options.js';
import { progressSink } from '../progress.js';
import type { WorkerHost } from '../worker-host.js';

export interface VadLoadOptions extends LoadControls {
  /** the model's id; default `silero-vad` (Silero VAD v5) */
  model?: string;
}

export type VadOptions = Partial<VadSettings> & {
  /** the samples' rate in Hz; required for a Float32Array, an AudioBuffer has its own */
  sampleRate?: number;
  signal?: AbortSignal;
};

export interface VadDetector {
  /** The speech in a recording, as segments in seconds. */
  (audio: Float32Array | AudioBuffer, options?: VadOptions): Promise<SpeechSegment[]>;
  /** Speech start and end events as a stream of chunks (at `sampleRate`) arrives. */
  stream(chunks: AsyncIterable<Float32Array> | Iterable<Float32Array>, options?: VadOptions): AsyncIterable<VadEvent>;
  /** The speech probability of each 32 ms frame (16 kHz, 512 samples). */
  probabilities(audio: Float32Array | AudioBuffer, options?: VadOptions): Promise<Float32Array>;
  readonly modelId: string;
  /** always `wasm`: one small run per 32 ms frame is faster there than a GPU round trip each */
  readonly backend: Backend;
  unload(): Promise<void>;
}

/** The knobs given, checked for kind here (the worker checks their ranges). */
function settingsOf(options: Partial<VadOptions>): Partial<VadSettings> {
  const out: Partial<VadSettings> = {};
  for (const key of Object.keys(VAD_DEFAULTS) as (keyof VadSettings)[]) {
    const value = options[key];
    if (value === undefined) continue;
    if (typeof value !== 'number' || !Number.isFinite(value)) throw badOption(key, value, 'a finite number');
    out[key] = value;
  }
  return out;
}

function split(options: VadOptions | undefined) {
  const o = optionsObject('options', options);
  return { o, settings: settingsOf(o), signal: optionalSignal('signal', o.signal) };
}

export async function loadVad(
  host: WorkerHost,
  given: VadLoadOptions | undefined,
  track: (ref: ModelRef<SessionInfo>) => () => void,
): Promise<VadDetector> {
  const { model, ...rest } = optionsObject('options', given);
  const modelId = nonEmptyString('model', model ?? 'silero-vad');
  const controls = loadControls(rest);
  // WASM: one tiny model run per 32 ms frame is faster on the CPU than a GPU round trip each
  const ref = new ModelRef<SessionInfo>(modelId, host, (conn, c) =>
    host.call(
      (api, callId, events) => api.loadSession(modelId, { device: 'wasm' }, callId, events),
      { signal: c.signal, events: progressSink(c) },
      conn,
    ),
  );
  await ref.ensure(controls);
  const forget = track(ref);
  const detect = async (audio: unknown, options?: VadOptions) => {
    const { o, settings, signal } = split(options);
    const { samples, sampleRate } = audioSamples(audio, o.sampleRate);
    const { conn, info } = await ref.ensure();
    return host.run(
      'runVad',
      (callId) => [info.handle, samples, sampleRate, settings, callId],
      [samples.buffer as ArrayBuffer],
      { signal },
      conn,
    );
  };
  const probabilities = async (audio: unknown, options?: VadOptions) => {
    const { o, signal } = split(options);
    const { samples, sampleRate } = audioSamples(audio, o.sampleRate);
    const { conn, info } = await ref.ensure();
    return host.run(
      'vadProbabilities',
      (callId) => [info.handle, samples, sampleRate, callId],
      [samples.buffer as ArrayBuffer],
      { signal },
      conn,
    );
  };
  return Object.defineProperties(detect, {
    stream: {
      value: (chunks: AsyncIterable<Float32Array> | Iterable<Float32Array>, options?: VadOptions) =>
        vadStream(host, ref, chunks, options),
    },
    probabilities: { value: probabilities },
    modelId: { value: modelId, enumerable: true },
    backend: { get: () => ref.info.backend, enumerable: true },
    unload: { value: () => (forget(), ref.unload()) },
  }) as unknown as VadDetector;
}

function iteratorOf<T>(source: AsyncIterable<T> | Iterable<T>): AsyncIterator<T> | Iterator<T> {
  const s = source as Partial<AsyncIterable<T> & Iterable<T>> | null;
  const asyncIt = s?.[Symbol.asyncIterator];
  if (typeof asyncIt === 'function') return asyncIt.call(s);
  const syncIt = s?.[Symbol.iterator];
  if (typeof syncIt === 'function') return syncIt.call(s);
  throw badOption('chunks', source, 'an async iterable of Float32Array chunks');
}

/** The next chunk, or the signal's abort, whichever comes first. */
function nextChunk<T>(it: AsyncIterator<T> | Iterator<T>, signal: AbortSignal | undefined): Promise<IteratorResult<T>> {
  const next = Promise.resolve(it.next());
  if (!signal) return next;
  return Promise.race([
    next,
    new Promise<never>((_, reject) => {
      const fail = () => reject(new AirlockError('ABORTED', 'The speech-detection stream was aborted'));
      if (signal.aborted) fail();
      signal.addEventListener('abort', fail, { once: true });
    }),
  ]);
}

async function* vadStream(
  host: WorkerHost,
  ref: ModelRef<SessionInfo>,
  chunks: AsyncIterable<Float32Array> | Iterable<Float32Array>,
  options: VadOptions | undefined,
): AsyncGenerator<VadEvent> {
  const { o, settings, signal } = split(options);
  const rate = checkRate(o.sampleRate);
  const it = iteratorOf(chunks);
  const { conn, info } = await ref.ensure();
  const id = await host.call((api) => api.vadStreamOpen(info.handle, rate, settings), {}, conn);
  try {
    for (let n = 0; ; n++) {
      const step = await nextChunk(it, signal);
      const last = step.done === true;
      if (!last && !(step.value instanceof Float32Array))
        throw badOption(`chunks[${n}]`, step.value, `a Float32Array (got ${shown(step.value)})`);
      const samples = last ? new Float32Array(0) : step.value.slice();
      const events = await host.run(
        'vadStreamPush',
        (callId) => [id, samples, last, callId],
        [samples.buffer],
        { signal },
        conn,
      );
      yield* events;
      if (last) return;
    }
  } finally {
    // a loop left early, an abort or a failure: the worker forgets the stream's state
    await host.call((api) => api.vadStreamClose(id), {}, conn).catch(() => undefined);
    await Promise.resolve(it.return?.()).catch(() => undefined);
  }
}
