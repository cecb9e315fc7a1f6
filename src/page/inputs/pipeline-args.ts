// A vision pipeline's input on its way to the worker: each image (one, or a list) becomes an
// ImageBitmap to transfer, and a URL string becomes absolute here, where the page's base URL is
// known; the worker fetches it through its guarded fetch.
import { AirlockError } from '../../errors.js';
import { imageForWorker, isImageInput, notAnImage, type ImageLimits } from './image.js';

/** What a vision pipeline's handle sends: the arguments, and the bitmaps to transfer with them. */
export interface SentImages {
  args: unknown[];
  transfers: ImageBitmap[];
}

function absoluteUrl(text: string): string {
  try {
    return new URL(text, document.baseURI).href;
  } catch {
    throw new AirlockError('BAD_INPUT', `The image URL ${JSON.stringify(text.slice(0, 200))} is not a valid URL`, {
      reason: 'bad-url',
    });
  }
}

async function oneImage(input: unknown, limits: ImageLimits, transfers: ImageBitmap[]): Promise<string | ImageBitmap> {
  if (typeof input === 'string') return absoluteUrl(input);
  if (input instanceof URL) return input.href;
  if (!isImageInput(input)) throw notAnImage(input);
  const bitmap = await imageForWorker(input, limits);
  transfers.push(bitmap);
  return bitmap;
}

/** Converts the first argument (an image or a list of images); the others go as they are. */
export async function imagePipelineArgs(args: readonly unknown[], limits: ImageLimits): Promise<SentImages> {
  const [first, ...rest] = args;
  const transfers: ImageBitmap[] = [];
  try {
    if (Array.isArray(first)) {
      if (first.length === 0)
        throw new AirlockError('BAD_INPUT', 'Input is an empty list of images', { reason: 'empty' });
      const images: (string | ImageBitmap)[] = [];
      for (const item of first as unknown[]) images.push(await oneImage(item, limits, transfers));
      return { args: [images, ...rest], transfers };
    }
    return { args: [await oneImage(first, limits, transfers), ...rest], transfers };
  } catch (e) {
    // bitmaps made for the call's earlier images are not needed any more
    for (const b of transfers) if (!args.flat().includes(b)) b.close();
    throw e;
  }
}
