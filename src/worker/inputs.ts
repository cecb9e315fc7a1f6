// Checks of what the page passes in, before it reaches an engine: a clear BAD_INPUT beats an
// engine's internal error, and a bad call must not leave the worker in a bad state.
import { AirlockError } from '../errors.js';

export { checkFeeds } from './feeds.js';

function bad(message: string, details?: Record<string, unknown>): AirlockError {
  return new AirlockError('BAD_INPUT', message, details);
}

/** Text pipelines take a non-empty string, or a non-empty array of them. */
export function checkTextInput(input: unknown): void {
  const texts = Array.isArray(input) ? input : [input];
  if (texts.length === 0) throw bad('Input is an empty list');
  for (const t of texts) {
    if (typeof t !== 'string')
      throw bad(`Input must be a string or a list of strings, got ${t === null ? 'null' : typeof t}`);
    if (t.trim() === '') throw bad('Input text is empty');
  }
}

/** Characters of text anywhere in `value`: strings, and those inside lists and objects (chat messages). */
export function textLength(value: unknown, seen = new WeakSet<object>()): number {
  if (typeof value === 'string') return value.length;
  if (typeof value !== 'object' || value === null || ArrayBuffer.isView(value) || seen.has(value)) return 0;
  seen.add(value);
  let n = 0;
  for (const v of Object.values(value)) n += textLength(v, seen);
  return n;
}

/**
 * A text pipeline call: its first argument is text (or chat messages), and the text of all its
 * arguments together (labels, a question's context, every message) stays within `limit`, so
 * that splitting a long text over many items or arguments does not get around it.
 */
export function checkTextCall(args: readonly unknown[], limit: number): void {
  checkTextInput(textOf(args[0]));
  const length = textLength(args);
  if (length > limit)
    throw bad(
      `The call's text has ${length} characters (all its arguments together); the limit (maxTextLength) is ${limit}`,
      { limit, length },
    );
}

/** Audio pipelines take samples (mono, at the model's sampling rate), never a URL to fetch. */
export function checkAudioInput(input: unknown): void {
  const clips = Array.isArray(input) ? input : [input];
  if (clips.length === 0) throw bad('Input is an empty list');
  for (const clip of clips) {
    if (!(clip instanceof Float32Array || clip instanceof Float64Array)) {
      throw bad(
        `Audio input must be a Float32Array of samples, got ${typeof clip === 'string' ? 'a string' : typeof clip}`,
      );
    }
    if (clip.length === 0) throw bad('Audio input is empty');
  }
}

/** Chat input (a list of { role, content }) counts as text: its contents are checked. */
export function textOf(input: unknown): unknown {
  if (
    Array.isArray(input) &&
    input.length > 0 &&
    input.every((m) => typeof m === 'object' && m !== null && 'content' in m)
  ) {
    return input.map((m: { content: unknown }) => m.content);
  }
  return input;
}
