// The options of a model load (pipeline(), session(), cache.prefetch()), checked on the page and
// split into what stays here (the progress callback, the signal) and what goes to the worker.
import type { LoadOptions, SessionLoadOptions } from '../protocol/types.js';
import { optionalBoolean, optionalDevice, optionalFunction, optionalSignal, optionalString, optionsObject } from './checks.js';
import type { LoadControls } from './handles.js';

export function loadControls(options: LoadControls): LoadControls {
  const onProgress = optionalFunction('onProgress', options.onProgress);
  const signal = optionalSignal('signal', options.signal);
  return { ...(onProgress && { onProgress }), ...(signal && { signal }) };
}

export function loadOptions<T extends SessionLoadOptions>(given: (T & LoadControls) | undefined): { controls: LoadControls; load: LoadOptions & Pick<SessionLoadOptions, 'file'> } {
  const { onProgress, signal, ...load } = optionsObject('options', given);
  optionalDevice('device', load.device);
  optionalString('dtype', load.dtype);
  optionalBoolean('revalidate', load.revalidate);
  optionalString('file', load.file);
  return { controls: loadControls({ ...(onProgress !== undefined && { onProgress }), ...(signal !== undefined && { signal }) }), load };
}
