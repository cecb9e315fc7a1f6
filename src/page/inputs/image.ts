// The page's side of an image input: whatever the caller has (an encoded Blob, a bitmap, pixels,
// a canvas, an <img>) becomes one ImageBitmap that the caller transfers to the worker, where all
// further work happens. Sizes are checked first: an encoded image's from its header, before it
// is decoded, so an image over the pixel limit never costs its memory.
import { AirlockError } from '../../errors.js';
import { checkEncodedImage, checkImageSize } from '../../shared/image-size.js';

export { DEFAULT_MAX_IMAGE_PIXELS } from '../../shared/image-size.js';

/** What an image input may be, on the page. */
export type ImageInput = Blob | ImageBitmap | ImageData | HTMLCanvasElement | OffscreenCanvas | HTMLImageElement;

export interface ImageLimits {
  /** the most pixels (width x height) an image may have */
  maxPixels: number;
}

const has = (name: string) => typeof (globalThis as Record<string, unknown>)[name] === 'function';
const isA = <T>(value: unknown, name: string): value is T =>
  has(name) && value instanceof (globalThis as unknown as Record<string, new () => T>)[name]!;

/** Whether `value` is one of the image kinds `imageForWorker` takes. */
export function isImageInput(value: unknown): value is ImageInput {
  return ['Blob', 'ImageBitmap', 'ImageData', 'HTMLCanvasElement', 'OffscreenCanvas', 'HTMLImageElement'].some((n) =>
    isA(value, n),
  );
}

function notDecoded(what: string, e: unknown): AirlockError {
  const why = e instanceof Error ? e.message : String(e);
  return new AirlockError('BAD_INPUT', `${what} could not be decoded: ${why}`, { reason: 'not-decodable' });
}

async function decoded(what: string, source: ImageBitmapSource): Promise<ImageBitmap> {
  try {
    return await createImageBitmap(source);
  } catch (e) {
    throw notDecoded(what, e);
  }
}

async function fromImageElement(img: HTMLImageElement, limits: ImageLimits): Promise<ImageBitmap> {
  const what = `The <img> (${img.currentSrc || img.src || 'no source'})`;
  try {
    // an element still loading is waited for; a broken one fails here
    if (!img.complete || img.naturalWidth === 0) await img.decode();
  } catch (e) {
    throw notDecoded(what, e);
  }
  checkImageSize(what, img.naturalWidth, img.naturalHeight, limits.maxPixels);
  return decoded(what, img);
}

/**
 * Turns an image input into an ImageBitmap for the worker (transfer it: `comlink.transfer`).
 * Refused with BAD_INPUT (`details.reason`): a Blob in none of PNG, JPEG, WebP, GIF, BMP
 * (`unknown-format`), one that does not decode (`not-decodable`), an empty image (`empty`), one
 * over `limits.maxPixels` (`too-large`, checked from a Blob's header before it is decoded).
 * A bitmap passed in is returned as it is, and is detached once transferred.
 */
export async function imageForWorker(input: ImageInput, limits: { maxPixels: number }): Promise<ImageBitmap> {
  if (isA<Blob>(input, 'Blob')) {
    const what = `The image (${input.type || 'a Blob'} of ${input.size} bytes)`;
    await checkEncodedImage(what, input, limits.maxPixels);
    return decoded(what, input);
  }
  if (isA<ImageBitmap>(input, 'ImageBitmap')) {
    // a closed or already transferred bitmap reads as 0 x 0
    checkImageSize('The ImageBitmap', input.width, input.height, limits.maxPixels);
    return input;
  }
  if (isA<HTMLImageElement>(input, 'HTMLImageElement')) return fromImageElement(input, limits);
  const kind = isA(input, 'ImageData') ? 'ImageData' : isA(input, 'OffscreenCanvas') ? 'OffscreenCanvas' : 'canvas';
  if (!isImageInput(input)) throw notAnImage(input);
  const { width, height } = input;
  checkImageSize(`The ${kind}`, width, height, limits.maxPixels);
  return decoded(`The ${kind}`, input);
}

/** BAD_INPUT for a value that is none of the image kinds. */
export function notAnImage(value: unknown): AirlockError {
  const got =
    value === null ? 'null' : typeof value === 'object' ? (value.constructor?.name ?? 'an object') : typeof value;
  return new AirlockError(
    'BAD_INPUT',
    `An image input must be a Blob, ImageBitmap, ImageData, canvas, OffscreenCanvas, <img> or URL string, got ${got}`,
    { reason: 'not-an-image', got },
  );
}
