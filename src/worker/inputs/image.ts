// Images in the worker, turned into what transformers.js's image processors read: a RawImage of
// RGBA pixels (4 channels; the processor drops alpha itself). Bitmaps come from the page; a URL
// is fetched here through the guarded fetch, so a foreign one is refused (EGRESS_BLOCKED, and a
// denial on the record) before any request, and its header is checked against the pixel limit
// before it is decoded.
import { RawImage } from '@huggingface/transformers';
import { AirlockError } from '../../errors.js';
import { checkImageSize, readImageSize, type ReadAt } from '../../shared/image-size.js';
import type { FetchLike } from '../policy/guarded-fetch.js';

export interface ImageNeeds {
  fetch: FetchLike;
  maxPixels: number;
  signal?: AbortSignal | undefined;
}

function bad(message: string, reason: string): AirlockError {
  return new AirlockError('BAD_INPUT', message, { reason });
}

/** RGBA pixels of a bitmap, which is closed afterwards (its memory is not needed again). */
export function bitmapToRawImage(bitmap: ImageBitmap): RawImage {
  try {
    const { width, height } = bitmap;
    const ctx = new OffscreenCanvas(width, height).getContext('2d');
    if (!ctx) throw bad('The worker has no 2D canvas to read the image with', 'no-canvas');
    ctx.drawImage(bitmap, 0, 0);
    return new RawImage(ctx.getImageData(0, 0, width, height).data, width, height, 4);
  } finally {
    bitmap.close();
  }
}

/** A response body read only as far as asked: the header first, the rest once the image is let through. */
function bufferedBody(body: ReadableStream<Uint8Array>) {
  const reader = body.getReader();
  const chunks: Uint8Array[] = [];
  let have = 0;
  let ended = false;
  let joined = new Uint8Array(0);
  const pull = async (upTo: number) => {
    while (have < upTo && !ended) {
      const { value, done } = await reader.read();
      if (done) {
        ended = true;
      } else {
        chunks.push(value);
        have += value.length;
      }
    }
  };
  const read: ReadAt = async (offset, length) => {
    await pull(offset + length);
    if (joined.length < have) {
      joined = new Uint8Array(have);
      let at = 0;
      for (const c of chunks) joined.set(c, (at += c.length) - c.length);
    }
    return joined.subarray(offset, offset + length);
  };
  const blob = async (type: string) => (await pull(Infinity), new Blob(chunks as BlobPart[], { type }));
  return { read, blob, cancel: () => reader.cancel().catch(() => undefined) };
}

/** Fetches an image; its size comes from the first bytes, so one over the limit is not downloaded whole. */
async function fetchImage(url: string, needs: ImageNeeds): Promise<ImageBitmap> {
  const response = await needs.fetch(url, { signal: needs.signal ?? null, cache: 'no-store' });
  if (!response.ok || !response.body)
    throw new AirlockError('NETWORK', `The image at ${url} answered with status ${response.status}`, {
      url,
      status: response.status,
    });
  const what = `The image at ${url}`;
  const body = bufferedBody(response.body);
  let blob: Blob;
  try {
    const size = await readImageSize(body.read);
    if (!size)
      throw new AirlockError('BAD_INPUT', `${what} is not a PNG, JPEG, WebP, GIF or BMP image`, {
        reason: 'unknown-format',
        url,
      });
    checkImageSize(what, size.width, size.height, needs.maxPixels);
    blob = await body.blob(response.headers.get('content-type') ?? '');
  } catch (e) {
    await body.cancel();
    throw e;
  }
  try {
    return await createImageBitmap(blob);
  } catch (e) {
    throw new AirlockError('BAD_INPUT', `${what} could not be decoded: ${String(e)}`, {
      reason: 'not-decodable',
      url,
    });
  }
}

async function oneImage(input: unknown, needs: ImageNeeds): Promise<RawImage> {
  if (typeof input === 'string') return bitmapToRawImage(await fetchImage(input, needs));
  if (input instanceof ImageBitmap) {
    // a closed bitmap reads as 0 x 0
    checkImageSize('The ImageBitmap', input.width, input.height, needs.maxPixels);
    return bitmapToRawImage(input);
  }
  throw bad('An image input must reach the worker as an ImageBitmap or a URL string', 'not-an-image');
}

/** A vision pipeline's arguments with the first (an image, or a list of them) as RawImages. */
export async function imageArgs(args: readonly unknown[], needs: ImageNeeds): Promise<unknown[]> {
  const [first, ...rest] = args;
  if (!Array.isArray(first)) return [await oneImage(first, needs), ...rest];
  if (first.length === 0) throw bad('Input is an empty list of images', 'empty');
  const images: RawImage[] = [];
  for (const item of first as unknown[]) images.push(await oneImage(item, needs));
  return [images, ...rest];
}
