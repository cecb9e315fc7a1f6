// Checks of audio samples in the worker, before any model sees them: a clear BAD_INPUT naming
// what is wrong, instead of a model that quietly answers NaN for every frame after the first bad
// sample (a recurrent state carries it on).
import { AirlockError } from '../../errors.js';
import { MAX_SAMPLE_RATE, MIN_SAMPLE_RATE } from '../../shared/vad.js';

export function checkSampleRate(sampleRate: unknown, option = 'sampleRate'): number {
  if (
    typeof sampleRate !== 'number' ||
    !Number.isFinite(sampleRate) ||
    sampleRate < MIN_SAMPLE_RATE ||
    sampleRate > MAX_SAMPLE_RATE
  )
    throw new AirlockError(
      'BAD_INPUT',
      `${option} must be a number of Hz from ${MIN_SAMPLE_RATE} to ${MAX_SAMPLE_RATE}, got ${String(sampleRate)}`,
      { option, value: String(sampleRate), min: MIN_SAMPLE_RATE, max: MAX_SAMPLE_RATE },
    );
  return sampleRate;
}

/** Samples must be a Float32Array of finite numbers; `allowEmpty` for a stream's chunks. */
export function checkSamples(samples: unknown, allowEmpty = false): Float32Array {
  if (!(samples instanceof Float32Array))
    throw new AirlockError('BAD_INPUT', 'Audio samples must be a Float32Array', { option: 'audio' });
  if (samples.length === 0 && !allowEmpty)
    throw new AirlockError('BAD_INPUT', 'The audio is empty (0 samples)', { option: 'audio', samples: 0 });
  for (let i = 0; i < samples.length; i++) {
    if (!Number.isFinite(samples[i]))
      throw new AirlockError(
        'BAD_INPUT',
        `The audio has a sample that is not a finite number (${samples[i]}) at index ${i}`,
        { option: 'audio', index: i, value: String(samples[i]) },
      );
  }
  return samples;
}
