// Task names and the task lists both threads go by. A unit test keeps the aliases in step with
// transformers.js.

/**
 * transformers.js's other names for tasks (its `TASK_ALIASES`, 4.3.1), accepted wherever a task is
 * named; the library reports the task by its canonical name.
 */
export const TASK_ALIASES: Readonly<Record<string, string>> = Object.freeze({
  'sentiment-analysis': 'text-classification',
  ner: 'token-classification',
  asr: 'automatic-speech-recognition',
  'text-to-speech': 'text-to-audio',
  embeddings: 'feature-extraction',
});

/** The canonical name of a task, which may be given by an alias. */
export function canonicalTask(task: string): string {
  return Object.hasOwn(TASK_ALIASES, task) ? TASK_ALIASES[task]! : task;
}

/** Tasks that generate token by token: they stream, and stop within a token on abort. */
export const GENERATING_TASKS: ReadonlySet<string> = new Set([
  'text-generation',
  'text2text-generation',
  'summarization',
  'translation',
]);

/** Tasks whose input is text, checked for emptiness and length before they run. */
export const TEXT_TASKS: ReadonlySet<string> = new Set([
  ...GENERATING_TASKS,
  'text-classification',
  'token-classification',
  'feature-extraction',
  'fill-mask',
  'zero-shot-classification',
  'question-answering',
]);

/** Tasks whose input is audio samples. */
export const AUDIO_TASKS: ReadonlySet<string> = new Set(['automatic-speech-recognition', 'audio-classification']);

/** Tasks whose input is an image (or a list of them): ImageBitmaps from the page, or URLs the worker fetches. */
export const VISION_TASKS: ReadonlySet<string> = new Set([
  'image-classification',
  'zero-shot-image-classification',
  'image-segmentation',
  'background-removal',
  'object-detection',
  'zero-shot-object-detection',
  'image-to-text',
  'image-to-image',
  'depth-estimation',
  'image-feature-extraction',
  'document-question-answering',
]);
