// Text generation extras for transformers.js pipelines: streaming text pieces to the page, and
// stopping within one token when the page aborts.
import { StoppingCriteria, TextStreamer } from '@huggingface/transformers';
import type { Pipeline } from './transformers.js';

/** Stops every sequence as soon as the signal fires; checked once per generated token. */
class AbortCriteria extends StoppingCriteria {
  /** tokens generated so far by this call */
  steps = 0;

  constructor(private readonly signal: AbortSignal) {
    super();
  }

  override _call(inputIds: number[][]): boolean[] {
    this.steps++;
    return inputIds.map(() => this.signal.aborted);
  }
}

type Tokenized = { tokenizer?: ConstructorParameters<typeof TextStreamer>[0] };

/**
 * Generation options for one call: a streamer when the page listens, a stop on abort, and a
 * count of the tokens generated (reported with an abort).
 */
export function generationExtras(
  pipe: Pipeline,
  signal: AbortSignal | undefined,
  onText: ((text: string) => void) | undefined,
): { options: Record<string, unknown>; tokens: () => number } {
  const options: Record<string, unknown> = {};
  const criteria = signal && new AbortCriteria(signal);
  if (criteria) options.stopping_criteria = [criteria];
  const tokenizer = (pipe as unknown as Tokenized).tokenizer;
  if (onText && tokenizer) {
    options.streamer = new TextStreamer(tokenizer, {
      skip_prompt: true,
      skip_special_tokens: true,
      callback_function: onText,
    });
  }
  return { options, tokens: () => criteria?.steps ?? 0 };
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
