// Checks of what the page passes in, before it reaches an engine: a clear BAD_INPUT beats an
// engine's internal error, and a bad call must not leave the worker in a bad state.
import { AirlockError } from '../errors.js';
import type { ort } from './ort-env.js';
import type { TensorData } from './protocol.js';

const TYPED: Record<TensorData['type'], new (n: number) => ArrayBufferView> = {
  float32: Float32Array,
  float16: Uint16Array,
  int32: Int32Array,
  int64: BigInt64Array,
  uint8: Uint8Array,
  int8: Int8Array,
  bool: Uint8Array,
  uint32: Uint32Array,
};
/** more elements than this in one tensor is a mistake, not a model input (1 GiB of float32) */
const MAX_ELEMENTS = 2 ** 28;

/**
 * Whether a declared dimension accepts any size: an empty shape means "not declared", names are
 * symbolic, and ORT reports an unnamed dynamic dimension as -1 or as 2^32 - 1.
 */
function isFree(d: number | string): boolean {
  return typeof d !== 'number' || d < 0 || d >= 2 ** 31;
}

function bad(message: string, details?: Record<string, unknown>): AirlockError {
  return new AirlockError('BAD_INPUT', message, details);
}

/** Text pipelines take a non-empty string, or a non-empty array of them, within the length limit. */
export function checkTextInput(input: unknown, maxLength: number): void {
  const texts = Array.isArray(input) ? input : [input];
  if (texts.length === 0) throw bad('Input is an empty list');
  for (const t of texts) {
    if (typeof t !== 'string') throw bad(`Input must be a string or a list of strings, got ${t === null ? 'null' : typeof t}`);
    if (t.trim() === '') throw bad('Input text is empty');
    if (t.length > maxLength) throw bad(`Input text has ${t.length} characters; the limit is ${maxLength}`, { length: t.length, maxLength });
  }
}

/** Audio pipelines take samples (mono, at the model's sampling rate), never a URL to fetch. */
export function checkAudioInput(input: unknown): void {
  const clips = Array.isArray(input) ? input : [input];
  if (clips.length === 0) throw bad('Input is an empty list');
  for (const clip of clips) {
    if (!(clip instanceof Float32Array || clip instanceof Float64Array)) {
      throw bad(`Audio input must be a Float32Array of samples, got ${typeof clip === 'string' ? 'a string' : typeof clip}`);
    }
    if (clip.length === 0) throw bad('Audio input is empty');
  }
}

type Metadata = ort.InferenceSession.ValueMetadata;

/** Raw session feeds: the model's input names, each with its declared type and fixed dims. */
export function checkFeeds(feeds: Record<string, TensorData>, names: readonly string[], metadata: readonly Metadata[]): void {
  const missing = names.filter((n) => !(n in feeds));
  const unknown = Object.keys(feeds).filter((n) => !names.includes(n));
  if (missing.length || unknown.length) {
    throw bad(`Inputs do not match the model: missing [${missing.join(', ')}], unknown [${unknown.join(', ')}]`, { expected: [...names] });
  }
  for (const [name, t] of Object.entries(feeds)) {
    const ctor = TYPED[t.type];
    if (!ctor) throw bad(`Input "${name}" has an unknown type "${String(t.type)}"`, { input: name });
    if (!(t.data instanceof ctor)) throw bad(`Input "${name}" is ${t.type} but its data is a ${t.data?.constructor?.name ?? typeof t.data}`, { input: name });
    if (!Array.isArray(t.dims) || t.dims.some((d) => !Number.isSafeInteger(d) || d < 0)) {
      throw bad(`Input "${name}" has invalid dims ${JSON.stringify(t.dims)}`, { input: name });
    }
    const elements = t.dims.reduce((a, b) => a * b, 1);
    if (elements > MAX_ELEMENTS) throw bad(`Input "${name}" has ${elements} elements; the limit is ${MAX_ELEMENTS}`, { input: name });
    if (elements !== t.data.length) {
      throw bad(`Input "${name}" has ${t.data.length} values for dims [${t.dims.join(', ')}] (${elements})`, { input: name });
    }
    const meta = metadata.find((m) => m.name === name);
    if (meta?.isTensor) {
      if (meta.type !== t.type) throw bad(`Input "${name}" must be ${meta.type}, got ${t.type}`, { input: name, expected: meta.type });
      const shape = meta.shape;
      const fits = shape.length === 0 || (shape.length === t.dims.length && shape.every((d, i) => isFree(d) || d === t.dims[i]));
      if (!fits) {
        throw bad(`Input "${name}" must have dims [${shape.join(', ')}], got [${t.dims.join(', ')}]`, { input: name, expected: shape });
      }
    }
  }
}

/** Tasks whose input is text, checked for emptiness and length before they run. */
export const TEXT_TASKS = new Set(['text-classification', 'token-classification', 'feature-extraction', 'fill-mask', 'text-generation', 'text2text-generation', 'summarization', 'translation', 'zero-shot-classification']);

/** Tasks whose input is audio samples. */
export const AUDIO_TASKS = new Set(['automatic-speech-recognition', 'audio-classification']);

/** Chat input (a list of { role, content }) counts as text: its contents are checked. */
export function textOf(input: unknown): unknown {
  if (Array.isArray(input) && input.length > 0 && input.every((m) => typeof m === 'object' && m !== null && 'content' in m)) {
    return input.map((m: { content: unknown }) => m.content);
  }
  return input;
}
