// The options of a model load (pipeline(), session(), cache.prefetch()), checked on the page and
// split into what stays here (the progress callback, the signal) and what goes to the worker.
import { AirlockError } from '../errors.js';
import type { LoadOptions, SessionLoadOptions } from '../protocol/types.js';
import {
  optionalBoolean,
  optionalDevice,
  optionalFunction,
  optionalSignal,
  optionalString,
  optionsObject,
} from './checks.js';
import type { LoadControls } from './handles.js';
import { transformersProgress, type TransformersProgressInfo } from './transformers-progress.js';

export function loadControls(options: LoadControls): LoadControls {
  const onProgress = optionalFunction('onProgress', options.onProgress);
  const signal = optionalSignal('signal', options.signal);
  return { ...(onProgress && { onProgress }), ...(signal && { signal }) };
}

/** Both progress callbacks, when both are given: Airlock's typed one, and transformers.js's shape (`progress_callback`). */
function progressOf(
  onProgress: LoadControls['onProgress'],
  progressCallback: unknown,
  task: string | undefined,
): LoadControls['onProgress'] {
  const adapted = optionalFunction(
    'progress_callback',
    progressCallback as ((info: TransformersProgressInfo) => void) | undefined,
  );
  if (!adapted) return onProgress;
  const transformers = transformersProgress(adapted, task);
  if (typeof onProgress !== 'function') return transformers;
  return (p) => {
    onProgress(p);
    transformers(p);
  };
}

export function loadOptions<T extends LoadOptions & Pick<SessionLoadOptions, 'file'>>(
  given: (T & LoadControls & { progress_callback?: unknown }) | undefined,
  task?: string,
): { controls: LoadControls; load: LoadOptions & Pick<SessionLoadOptions, 'file'> } {
  const { onProgress: typed, progress_callback, signal, ...load } = optionsObject('options', given);
  optionalFunction('onProgress', typed);
  const onProgress = progressOf(typed, progress_callback, task);
  optionalDevice('device', load.device);
  optionalString('dtype', load.dtype);
  optionalBoolean('revalidate', load.revalidate);
  optionalString('file', load.file);
  return {
    controls: loadControls({
      ...(onProgress !== undefined && { onProgress }),
      ...(signal !== undefined && { signal }),
    }),
    load,
  };
}

/**
 * The option of the other kind of load, which this one would ignore: a raw session is one `.onnx`
 * file (`file`), a pipeline the files of a dtype (`dtype`). Said at once rather than ignored.
 */
export function refuseOtherKind(kind: 'pipeline' | 'session', load: { dtype?: unknown; file?: unknown }): void {
  if (kind === 'session' && load.dtype !== undefined)
    throw new AirlockError(
      'BAD_INPUT',
      "A raw session loads the one .onnx file `file` names (onnx/model_quantized.onnx for q8, say): dtype picks a pipeline's files",
      { option: 'dtype' },
    );
  if (kind === 'pipeline' && load.file !== undefined)
    throw new AirlockError(
      'BAD_INPUT',
      "A pipeline loads the files of its dtype (dtype: 'q8', say): file names a raw session's .onnx file",
      { option: 'file' },
    );
}
