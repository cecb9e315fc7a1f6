// A vision pipeline's input on its way to the worker: each image (one, or a list) becomes an
// ImageBitmap to transfer, and a URL string becomes absolute here, where the page's base URL is
// known; the worker fetches it through its guarded fetch and refuses what it cannot read.
import { imageForWorker, isImageInput, notAnImage, type ImageLimits } from './image.js';

/** What a vision pipeline's handle sends: the arguments, and the bitmaps to transfer with them. */
export interface SentImages {
  args: unknown[];
  transfers: ImageBitmap[];
}

async function oneImage(input: unknown, limits: ImageLimits, transfers: ImageBitmap[]): Promise<unknown> {
  if (typeof input === 'string' || input instanceof URL) {
    try {
      return new URL(input, document.baseURI).href;
    } catch {
      return String(input); // not a URL: the worker says so
    }
  }
  if (!isImageInput(input)) throw notAnImage(input);
  const bitmap = await imageForWorker(input, limits);
  transfers.push(bitmap);
  return bitmap;
}

/** Converts the first argument (an image or a list of images); the others go as they are. */
export async function imagePipelineArgs(
  [first, ...rest]: readonly unknown[],
  limits: ImageLimits,
): Promise<SentImages> {
  const transfers: ImageBitmap[] = [];
  const images: unknown[] = [];
  for (const item of Array.isArray(first) ? (first as unknown[]) : [first])
    images.push(await oneImage(item, limits, transfers));
  return { args: [Array.isArray(first) ? images : images[0], ...rest], transfers };
}
