// Audio as the page hands it to the worker: a Float32Array at a stated rate, or an AudioBuffer
// (its own rate; several channels mixed to mono). The worker gets a copy of its own, moved
// rather than copied a second time: a caller's recording stays theirs and usable (detaching a
// buffer the page still plays or draws would surprise), and one copy of a minute of 48 kHz audio
// (11.5 MB) takes milliseconds.
import { AirlockError } from '../../errors.js';
import { MAX_SAMPLE_RATE, MIN_SAMPLE_RATE } from '../../shared/vad.js';
import { badOption } from '../checks.js';

/** The shape of an AudioBuffer that this needs (so a worker-side or offline one does too). */
interface AudioBufferLike {
  readonly sampleRate: number;
  readonly numberOfChannels: number;
  readonly length: number;
  getChannelData(channel: number): Float32Array;
}

export interface Samples {
  samples: Float32Array;
  sampleRate: number;
}

function isAudioBuffer(audio: unknown): audio is AudioBufferLike {
  const a = audio as Partial<AudioBufferLike> | null;
  return (
    typeof a === 'object' &&
    a !== null &&
    typeof a.getChannelData === 'function' &&
    typeof a.numberOfChannels === 'number' &&
    typeof a.sampleRate === 'number'
  );
}

export function checkRate(sampleRate: unknown, option = 'sampleRate'): number {
  if (
    typeof sampleRate !== 'number' ||
    !Number.isFinite(sampleRate) ||
    sampleRate < MIN_SAMPLE_RATE ||
    sampleRate > MAX_SAMPLE_RATE
  )
    throw badOption(option, sampleRate, `a number of Hz from ${MIN_SAMPLE_RATE} to ${MAX_SAMPLE_RATE}`);
  return sampleRate;
}

function mono(buffer: AudioBufferLike): Float32Array {
  const out = new Float32Array(buffer.length);
  for (let c = 0; c < buffer.numberOfChannels; c++) {
    const data = buffer.getChannelData(c);
    for (let i = 0; i < out.length; i++) out[i]! += data[i]!;
  }
  if (buffer.numberOfChannels > 1) for (let i = 0; i < out.length; i++) out[i]! /= buffer.numberOfChannels;
  return out;
}

/**
 * `audio` as mono samples of its own and their rate; `sampleRate` is required for a
 * Float32Array and taken from an AudioBuffer. NaNs are looked for in the worker, off this thread.
 */
export function audioSamples(audio: unknown, sampleRate: unknown, allowEmpty = false): Samples {
  let samples: Float32Array;
  let rate: number;
  if (isAudioBuffer(audio)) {
    rate = checkRate(audio.sampleRate, 'audio.sampleRate');
    samples = mono(audio);
  } else if (audio instanceof Float32Array) {
    rate = checkRate(sampleRate);
    samples = audio.slice();
  } else {
    throw badOption('audio', audio, 'a Float32Array of samples or an AudioBuffer');
  }
  if (samples.length === 0 && !allowEmpty)
    throw new AirlockError('BAD_INPUT', 'The audio is empty (0 samples)', { option: 'audio', samples: 0 });
  return { samples, sampleRate: rate };
}

/**
 * An audio pipeline's input: an AudioBuffer, or a Float32Array with `sampleRate` in the options,
 * becomes samples of its own (moved to the worker) with their rate, which the worker resamples
 * to the model's. A Float32Array without `sampleRate` goes as it is, at the model's rate.
 */
export function audioPipelineArgs(
  inputs: unknown[],
  options: Record<string, unknown>,
): { args: unknown[]; transfers: Transferable[]; options: Record<string, unknown> } {
  if (!isAudioBuffer(inputs[0]) && options.sampleRate === undefined) return { args: inputs, transfers: [], options };
  const { samples, sampleRate } = audioSamples(inputs[0], options.sampleRate);
  return {
    args: [samples, ...inputs.slice(1)],
    transfers: [samples.buffer as ArrayBuffer],
    options: { ...options, sampleRate },
  };
}
