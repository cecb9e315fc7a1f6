// The worker's OCR calls: a load of the model's three sessions (detector, recogniser, angle
// classifier) through the one load path, with its dictionary read through the store; and a run
// on a transferred ImageBitmap. The detector's handle stands for the whole: unloading it frees all.
import { AirlockError } from '../../../errors.js';
import type { Result, EventSink } from '../../../protocol/messages.js';
import type { OcrInfo, OcrLoadOptions, OcrResult } from '../../../protocol/ocr.js';
import { canonicalTask } from '../../../protocol/tasks.js';
import type { SessionInfo } from '../../../protocol/types.js';
import { postAudit } from '../../audit/channel.js';
import type { ort } from '../../engines/ort-env.js';
import { sessionKind, sessionNames } from '../../engine-kinds.js';
import { readModelFile } from '../../file-calls.js';
import { guard, type CallContext } from '../../guard.js';
import { keep, loadModel, type Loaded, type LoadContext } from '../../load.js';
import type { Registry } from '../../registry.js';
import { audited } from '../../runs.js';
import { ctcClasses } from './ctc.js';
import { ocrImage, type OcrModels } from './pipeline.js';
import type { Rgba } from './pixels.js';

/** The files of a PaddleOCR model folder. */
export const OCR_FILES = { det: 'det.onnx', rec: 'rec.onnx', cls: 'cls.onnx', keys: 'ppocr_keys_v1.txt' } as const;

interface Needs {
  models: Registry;
  settle: () => Promise<void>;
  /** a load's context with engines */
  context: (options: OcrLoadOptions, signal: AbortSignal | undefined, ctx: CallContext) => LoadContext;
}

export interface OcrCalls {
  loadOcr: (modelId: string, options?: OcrLoadOptions, callId?: number, events?: EventSink) => Promise<Result<OcrInfo>>;
  runOcr: (handle: number, image: ImageBitmap, callId?: number) => Promise<Result<OcrResult>>;
}

/** The bitmap's RGBA pixels (drawn on an OffscreenCanvas), and the bitmap closed. */
function pixelsOf(image: ImageBitmap): Rgba {
  const { width, height } = image;
  if (!width || !height)
    throw new AirlockError('BAD_INPUT', `The image is empty (${width}x${height})`, { width, height });
  const context = new OffscreenCanvas(width, height).getContext('2d', { willReadFrequently: true });
  if (!context) throw new AirlockError('BACKEND_UNAVAILABLE', 'No 2D canvas in this worker to read the image');
  context.drawImage(image, 0, 0);
  image.close();
  return { width, height, data: context.getImageData(0, 0, width, height).data };
}

export function ocrCalls({ models, settle, context }: Needs): OcrCalls {
  const loaded = new Map<number, { modelId: string; models: OcrModels }>();
  const register = (load: LoadContext, done: Loaded<ort.InferenceSession>, release = done.release) =>
    keep<SessionInfo>(models, load, 'session', done, canonicalTask(done.model.manifest.task), (info) => ({
      kind: 'session',
      info: { ...info, ...sessionNames(done.model, done.engine) },
      session: done.engine,
      release,
    }));

  async function loadAll(load: LoadContext, modelId: string, angle: boolean): Promise<OcrInfo> {
    const parts: Loaded<ort.InferenceSession>[] = [];
    try {
      for (const file of [OCR_FILES.rec, ...(angle ? [OCR_FILES.cls] : []), OCR_FILES.det])
        parts.push(await loadModel(load, modelId, sessionKind(file)));
      const keys = new TextDecoder().decode(await readModelFile(load, modelId, OCR_FILES.keys));
      const [rec, cls, det] = angle ? parts : [parts[0], undefined, parts[1]];
      const others = [rec!, ...(cls ? [cls] : [])].map((p) => register(load, p).handle);
      let handle = 0;
      const info = register(load, det!, () => {
        det!.release();
        loaded.delete(handle);
        for (const h of others) void models.unload(h);
      });
      handle = info.handle;
      const sessions = parts.map((p) => ({ file: p.model.files[0]!.path, backend: p.backend }));
      loaded.set(handle, {
        modelId,
        models: { det: det!.engine, rec: rec!.engine, cls: cls?.engine, classes: ctcClasses(keys) },
      });
      return { ...info, sessions };
    } catch (e) {
      for (const p of parts) await p.engine.release().finally(p.release);
      throw e;
    }
  }

  return {
    loadOcr: (modelId, options = {}, callId, events) =>
      guard({ callId, events, settle, unexpected: 'BACKEND_UNAVAILABLE' }, (signal, ctx) =>
        loadAll(context(options, signal, ctx), modelId, options.angle ?? true),
      ),
    runOcr: (handle, image, callId) =>
      guard({ callId, settle, unexpected: 'BAD_INPUT' }, (signal) => {
        const entry = loaded.get(handle);
        if (!entry) {
          image.close?.();
          throw new AirlockError('BAD_INPUT', `No loaded OCR model with handle ${handle} (was it unloaded?)`);
        }
        const started = performance.now();
        const pixels = pixelsOf(image);
        const decodeMs = performance.now() - started;
        return audited(postAudit, entry.modelId, pixels.data, () => ocrImage(entry.models, pixels, decodeMs, signal));
      }),
  };
}
