// Audio for transformers.js pipelines: samples the page sent with their rate (an AudioBuffer, or
// a Float32Array with `sampleRate`) are checked and resampled here to the rate the model's
// feature extractor takes (preprocessor_config.json's `sampling_rate`).
import { Resampler } from '../tasks/vad/resample.js';
import { checkSampleRate, checkSamples } from './audio.js';

interface WithFeatureExtractor {
  processor?: { feature_extractor?: { config?: { sampling_rate?: unknown } } };
}

/** transformers.js's default when a feature extractor names no rate */
const DEFAULT_RATE = 16000;

export function modelSampleRate(pipe: unknown): number {
  const rate = (pipe as WithFeatureExtractor).processor?.feature_extractor?.config?.sampling_rate;
  return typeof rate === 'number' && rate > 0 ? rate : DEFAULT_RATE;
}

/** The call's arguments and options with its audio at the model's rate, and `sampleRate` gone from the options. */
export function audioAtModelRate(
  pipe: unknown,
  args: unknown[],
  options: Record<string, unknown>,
): { args: unknown[]; options: Record<string, unknown> } {
  if (options.sampleRate === undefined) return { args, options };
  const { sampleRate, ...rest } = options;
  const from = checkSampleRate(sampleRate);
  const samples = checkSamples(args[0]);
  const to = modelSampleRate(pipe);
  return { args: [new Resampler(from, to).push(samples, true), ...args.slice(1)], options: rest };
}
