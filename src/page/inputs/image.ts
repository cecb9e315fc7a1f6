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

const KINDS = ['Blob', 'ImageBitmap', 'ImageData', 'HTMLCanvasElement', 'OffscreenCanvas', 'HTMLImageElement'] as const;

/** The kind of image `value` is, by its class name; undefined when it is none. */
function kindOf(value: unknown): (typeof KINDS)[number] | undefined {
  const scope = globalThis as unknown as Record<string, (new () => unknown) | undefined>;
  return KINDS.find((name) => typeof scope[name] === 'function' && value instanceof scope[name]);
}

/** Whether `value` is one of the image kinds `imageForWorker` takes. */
export function isImageInput(value: unknown): value is ImageInput {
  return kindOf(value) !== undefined;
}

const notDecoded = (what: string, e: unknown) =>
  new AirlockError('BAD_INPUT', `${what} could not be decoded: ${String(e)}`, { reason: 'not-decodable' });

async function decoded(what: string, source: ImageBitmapSource): Promise<ImageBitmap> {
  try {
    return await createImageBitmap(source);
  } catch (e) {
    throw notDecoded(what, e);
  }
}

/**
 * Turns an image input into an ImageBitmap for the worker (transfer it: `comlink.transfer`).
 * Refused with BAD_INPUT (`details.reason`): a Blob in none of PNG, JPEG, WebP, GIF, BMP
 * (`unknown-format`), one that does not decode (`not-decodable`), an empty image (`empty`), one
 * over `limits.maxPixels` (`too-large`, checked from a Blob's header before it is decoded).
 * A bitmap passed in is returned as it is, and is detached once transferred.
 */
export async function imageForWorker(input: ImageInput, limits: { maxPixels: number }): Promise<ImageBitmap> {
  const kind = kindOf(input);
  if (!kind) throw notAnImage(input);
  if (kind === 'Blob') {
    const blob = input as Blob;
    const what = `The image (${blob.size} bytes)`;
    await checkEncodedImage(what, blob, limits.maxPixels);
    return decoded(what, blob);
  }
  if (kind === 'HTMLImageElement') {
    const img = input as HTMLImageElement;
    const what = `The <img> ${img.currentSrc || img.src}`;
    // an element still loading is waited for (its load event, not a decode: the size comes first)
    if (!img.complete)
      await new Promise((settled) =>
        ['load', 'error'].forEach((e) => img.addEventListener(e, settled, { once: true })),
      );
    if (!img.naturalWidth) throw notDecoded(what, 'it did not load');
    checkImageSize(what, img.naturalWidth, img.naturalHeight, limits.maxPixels);
    return decoded(what, img);
  }
  // a closed or already transferred bitmap reads as 0 x 0
  const pixels = input as ImageBitmap | ImageData | HTMLCanvasElement | OffscreenCanvas;
  checkImageSize(`The ${kind}`, pixels.width, pixels.height, limits.maxPixels);
  return kind === 'ImageBitmap' ? (pixels as ImageBitmap) : decoded(`The ${kind}`, pixels);
}

/** BAD_INPUT for a value that is none of the image kinds. */
export function notAnImage(value: unknown): AirlockError {
  const got = value === null ? 'null' : typeof value;
  return new AirlockError(
    'BAD_INPUT',
    `An image input must be a Blob, ImageBitmap, ImageData, canvas, <img> or URL, got ${got}`,
    {
      reason: 'not-an-image',
      got,
    },
  );
}
