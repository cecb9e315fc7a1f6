// One OCR call in the worker: detection, boxes, crops, the angle classifier, recognition in
// batches, and CTC decoding, each model run queued behind other engine work.
import type { OcrLine, OcrResult, OcrTimings } from '../../../protocol/ocr.js';
import type { TensorData } from '../../../protocol/types.js';
import { throwIfAborted } from '../../calls.js';
import type { ort } from '../../engines/ort-env.js';
import { runSession } from '../../engines/sessions.js';
import { yieldToEventLoop } from '../../engines/yield.js';
import { serially } from '../../serial.js';
import { cropBox } from './crop.js';
import { ctcDecode } from './ctc.js';
import { textBoxes } from './db-postprocess.js';
import { detectionInput } from './detection-input.js';
import { CLASSIFIER_WIDTH, lineBatch, recognitionWidth, SIGNED, UNIT } from './line-input.js';
import { rotate180, type Rgba } from './pixels.js';
import { readingOrder } from './reading-order.js';

export interface OcrModels {
  det: ort.InferenceSession;
  rec: ort.InferenceSession;
  cls: ort.InferenceSession | undefined;
  /** the recogniser's classes: blank, the dictionary, space */
  classes: string[];
}

/** PaddleOCR's cls_batch_num */
const BATCH = 6;
/** PaddleOCR's cls_thresh: a line is turned when the classifier says 180 with more than this */
const TURN_ABOVE = 0.9;
/** PaddleOCR's drop_score */
const DROP_BELOW = 0.5;

async function run(session: ort.InferenceSession, input: { data: Float32Array; dims: number[] }, signal?: AbortSignal) {
  await yieldToEventLoop(); // lets an abort message in between runs
  throwIfAborted(signal, 'The OCR call');
  const feeds = { [session.inputNames[0]!]: { type: 'float32', ...input } as TensorData };
  const out = await serially(() => runSession(session, feeds), signal);
  return out[session.outputNames[0]!]! as { data: Float32Array; dims: number[] };
}

function batches<T>(items: T[]): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += BATCH) out.push(items.slice(i, i + BATCH));
  return out;
}

async function classify(cls: ort.InferenceSession, crops: Rgba[], signal?: AbortSignal): Promise<Rgba[]> {
  const out: Rgba[] = [];
  for (const batch of batches(crops)) {
    const probs = await run(cls, lineBatch(batch, CLASSIFIER_WIDTH, SIGNED), signal);
    batch.forEach((crop, i) => out.push(probs.data[i * 2 + 1]! > TURN_ABOVE ? rotate180(crop) : crop));
  }
  return out;
}

/**
 * One line a run, at its own width: padding a batch to its widest line (zeros, black in the
 * recogniser's [0, 1] input) cost characters next to the padding on the receipt sample.
 */
async function recognize(models: OcrModels, crops: Rgba[], signal?: AbortSignal) {
  const decoded: { text: string; confidence: number }[] = [];
  for (const crop of crops) {
    const probs = await run(models.rec, lineBatch([crop], recognitionWidth([crop]), UNIT), signal);
    decoded.push(ctcDecode(probs.data, probs.dims, 0, models.classes));
  }
  return decoded;
}

export async function ocrImage(
  models: OcrModels,
  image: Rgba,
  decodeMs: number,
  signal?: AbortSignal,
): Promise<OcrResult> {
  const started = performance.now();
  const timings: OcrTimings = { decode: decodeMs, detect: 0, classify: 0, recognize: 0, total: 0 };
  const lap = (key: 'detect' | 'classify' | 'recognize', since: number) => (timings[key] = performance.now() - since);
  let t = performance.now();
  const input = detectionInput(image);
  const map = await run(models.det, input, signal);
  const [, , h = 0, w = 0] = map.dims;
  const boxes = readingOrder(textBoxes({ data: map.data, width: w, height: h }, image.width, image.height));
  lap('detect', t);
  t = performance.now();
  let crops = boxes.map((b) => cropBox(image, b.box));
  if (models.cls && crops.length > 0) crops = await classify(models.cls, crops, signal);
  lap('classify', t);
  t = performance.now();
  const texts = crops.length > 0 ? await recognize(models, crops, signal) : [];
  lap('recognize', t);
  const lines: OcrLine[] = [];
  boxes.forEach((b, i) => {
    const { text, confidence } = texts[i]!;
    if (confidence >= DROP_BELOW && text.length > 0) lines.push({ text, confidence, box: b.box });
  });
  timings.total = decodeMs + performance.now() - started;
  return { lines, width: image.width, height: image.height, timings };
}
