// `ai.ocr()`: text lines of an image in one call. The page only turns the image into an
// ImageBitmap and moves it to the worker; everything after decoding runs there.
import type { OcrInfo, OcrLoadOptions, OcrResult } from '../../protocol/ocr.js';
import { nonEmptyString, optionalBoolean, optionalSignal, optionsObject, badOption } from '../checks.js';
import { ModelRef, type LoadControls } from '../handles.js';
import { imageForWorker, type ImageInput } from '../inputs/image.js';
import { loadOptions } from '../load-options.js';
import { progressSink } from '../progress.js';
import type { WorkerHost } from '../worker-host.js';

export type OcrOptions = OcrLoadOptions &
  LoadControls & {
    /** the model id (default `paddleocr-v4`): a folder with det.onnx, rec.onnx, cls.onnx and ppocr_keys_v1.txt */
    model?: string;
  };

export interface OcrCallOptions {
  signal?: AbortSignal;
  /** the largest image, in pixels (width × height), taken; default the runtime's `maxImagePixels` */
  maxPixels?: number;
}

export interface OcrHandle {
  /** The image's text lines in reading order. An ImageBitmap passed in is moved to the worker (and so closed here). */
  (image: ImageInput, options?: OcrCallOptions): Promise<OcrResult>;
  readonly modelId: string;
  /** the backend of each session (det, rec, cls) */
  readonly sessions: OcrInfo['sessions'];
  unload(): Promise<void>;
}

export const DEFAULT_OCR_MODEL = 'paddleocr-v4';

function maxPixelsOf(value: unknown, runtimeLimit: number): number {
  if (value === undefined) return runtimeLimit;
  if (typeof value !== 'number' || !Number.isInteger(value) || value <= 0)
    throw badOption('maxPixels', value, 'a positive whole number');
  return value;
}

export async function ocrHandle(
  host: WorkerHost,
  given: OcrOptions | undefined,
  track: (ref: ModelRef<OcrInfo>) => () => void,
): Promise<OcrHandle> {
  const { model = DEFAULT_OCR_MODEL, angle, ...rest } = optionsObject('options', given);
  const modelId = nonEmptyString('model', model);
  optionalBoolean('angle', angle);
  const { controls, load } = loadOptions(rest);
  const options: OcrLoadOptions = { ...load, ...(angle !== undefined && { angle }) };
  const ref = new ModelRef<OcrInfo>(modelId, host, (conn, c) =>
    host.call(
      (api, callId, events) => api.loadOcr(modelId, options, callId, events),
      { signal: c.signal, events: progressSink(c) },
      conn,
    ),
  );
  await ref.ensure(controls);
  const forget = track(ref);
  const run = async (image: ImageInput, callOptions?: OcrCallOptions) => {
    const { signal: s, maxPixels } = optionsObject('options', callOptions);
    const signal = optionalSignal('signal', s);
    const bitmap = await imageForWorker(image, { maxPixels: maxPixelsOf(maxPixels, host.limits().maxImagePixels) });
    const { conn, info } = await ref.ensure();
    return host.run('runOcr', (callId) => [info.handle, bitmap, callId], [bitmap], { signal }, conn);
  };
  return Object.defineProperties(run, {
    modelId: { value: modelId, enumerable: true },
    sessions: { get: () => ref.info.sessions, enumerable: true },
    unload: { value: () => (forget(), ref.unload()) },
  }) as OcrHandle;
}
