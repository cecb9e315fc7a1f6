// The knobs of a detection as the worker takes them: the defaults filled in, each checked, so
// that a call straight to the worker cannot run with a threshold of NaN.
import { AirlockError } from '../../../errors.js';
import type { VadSettings } from '../../../protocol/vad.js';
import { VAD_DEFAULTS } from '../../../shared/vad.js';

const MAX_MS = 60_000;

function check(name: keyof VadSettings, value: number, max: number): void {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0 || value > max)
    throw new AirlockError('BAD_INPUT', `${name} must be a number from 0 to ${max}, got ${String(value)}`, {
      option: name,
      value: String(value),
    });
}

export function vadSettings(given: Partial<VadSettings> = {}): VadSettings {
  const s = { ...VAD_DEFAULTS };
  for (const key of Object.keys(VAD_DEFAULTS) as (keyof VadSettings)[]) {
    if (given[key] !== undefined) s[key] = given[key];
  }
  check('positiveSpeechThreshold', s.positiveSpeechThreshold, 1);
  check('negativeSpeechThreshold', s.negativeSpeechThreshold, 1);
  check('minSpeechMs', s.minSpeechMs, MAX_MS);
  check('redemptionMs', s.redemptionMs, MAX_MS);
  check('preSpeechPadMs', s.preSpeechPadMs, MAX_MS);
  if (s.negativeSpeechThreshold > s.positiveSpeechThreshold)
    throw new AirlockError(
      'BAD_INPUT',
      `negativeSpeechThreshold (${s.negativeSpeechThreshold}) must not exceed positiveSpeechThreshold (${s.positiveSpeechThreshold})`,
      { option: 'negativeSpeechThreshold', value: String(s.negativeSpeechThreshold) },
    );
  return s;
}
