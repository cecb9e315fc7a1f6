// Text generation extras for transformers.js pipelines: streaming text pieces to the page, and
// stopping within one token when the page aborts.
import { StoppingCriteria, TextStreamer } from '@huggingface/transformers';
import type { Pipeline } from './transformers-engine.js';

/** Stops every sequence as soon as the signal fires; checked once per generated token. */
class AbortCriteria extends StoppingCriteria {
  constructor(private readonly signal: AbortSignal) {
    super();
  }

  override _call(inputIds: number[][]): boolean[] {
    return inputIds.map(() => this.signal.aborted);
  }
}

type Tokenized = { tokenizer?: ConstructorParameters<typeof TextStreamer>[0] };

/** Generation options for one call: a streamer when the page listens, a stop on abort. */
export function generationExtras(pipe: Pipeline, signal: AbortSignal | undefined, onText: ((text: string) => void) | undefined): Record<string, unknown> {
  const extras: Record<string, unknown> = {};
  if (signal) extras.stopping_criteria = [new AbortCriteria(signal)];
  const tokenizer = (pipe as unknown as Tokenized).tokenizer;
  if (onText && tokenizer) {
    extras.streamer = new TextStreamer(tokenizer, { skip_prompt: true, skip_special_tokens: true, callback_function: onText });
  }
  return extras;
}

/** Page-facing option names (camelCase) mapped to transformers.js's. */
const RENAMES: Record<string, string> = {
  maxNewTokens: 'max_new_tokens',
  minNewTokens: 'min_new_tokens',
  doSample: 'do_sample',
  topK: 'top_k',
  topP: 'top_p',
  repetitionPenalty: 'repetition_penalty',
  returnFullText: 'return_full_text',
};

export function toTransformersOptions(options: Record<string, unknown> = {}): Record<string, unknown> {
  return Object.fromEntries(Object.entries(options).map(([k, v]) => [RENAMES[k] ?? k, v]));
}
