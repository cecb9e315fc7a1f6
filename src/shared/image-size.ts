// An image's width and height from its encoded header (PNG, JPEG, WebP, GIF, BMP), read before
// anything decodes it, and the pixel limit that is checked against them: a 20 000 x 20 000 image
// must be refused without the browser ever allocating its 1.6 GB of pixels.
import { AirlockError } from '../errors.js';

export type ImageFormat = 'png' | 'jpeg' | 'webp' | 'gif' | 'bmp';

export interface ImageSize {
  format: ImageFormat;
  width: number;
  height: number;
}

/** default `maxImagePixels`: 50 megapixels (an 8660 x 5773 photo; 200 MB as RGBA) */
export const DEFAULT_MAX_IMAGE_PIXELS = 50_000_000;

/** Reads `length` bytes at `offset` (fewer at the end of the data). */
export type ReadAt = (offset: number, length: number) => Promise<Uint8Array>;

const tag = (b: Uint8Array, at: number, length: number) => String.fromCharCode(...b.subarray(at, at + length));
const size = (format: ImageFormat, width: number, height: number): ImageSize => ({ format, width, height });

/** SOFn markers carry the frame's size; C4 (DHT), C8 (JPG) and CC (DAC) are not frames. */
const isFrame = (m: number) => m >= 0xc0 && m <= 0xcf && m !== 0xc4 && m !== 0xc8 && m !== 0xcc;

/** Walks the JPEG's segments by their lengths up to the first frame header, reading 9 bytes a step. */
async function jpeg(read: ReadAt): Promise<ImageSize | undefined> {
  for (let at = 2, step = 0; step < 10_000; step++) {
    const v = view(await read(at, 9));
    const marker = v.getUint16(0);
    // fill bytes, and the markers that have no length
    if (marker === 0xffff) at += 1;
    else if (marker === 0xff01 || (marker >= 0xffd0 && marker <= 0xffd7)) at += 2;
    else if (marker >> 8 !== 0xff || marker === 0xffd9 || marker === 0xffda)
      return undefined; // no frame before the scan
    else if (isFrame(marker & 0xff)) return size('jpeg', v.getUint16(7), v.getUint16(5));
    else at += 2 + v.getUint16(2);
  }
  return undefined;
}

const view = (b: Uint8Array) => new DataView(b.buffer, b.byteOffset, b.byteLength);

function webp(b: Uint8Array, v: DataView): ImageSize | undefined {
  const chunk = tag(b, 12, 4);
  const u24 = (at: number) => v.getUint16(at, true) + (b[at + 2]! << 16) + 1;
  if (chunk === 'VP8X') return size('webp', u24(24), u24(27));
  const bits = v.getUint32(21, true); // VP8L: 14 bits each of width - 1 and height - 1, after its signature byte
  if (chunk === 'VP8L' && b[20] === 0x2f) return size('webp', (bits & 0x3fff) + 1, ((bits >>> 14) & 0x3fff) + 1);
  if (chunk === 'VP8 ' && tag(b, 23, 3) === '\x9d\x01\x2a')
    return size('webp', v.getUint16(26, true) & 0x3fff, v.getUint16(28, true) & 0x3fff);
  return undefined;
}

function fixedHeader(b: Uint8Array, v: DataView): ImageSize | undefined {
  if (tag(b, 0, 8) === '\x89PNG\r\n\x1a\n')
    return tag(b, 12, 4) === 'IHDR' ? size('png', v.getUint32(16), v.getUint32(20)) : undefined;
  if (tag(b, 0, 4) === 'GIF8') return size('gif', v.getUint16(6, true), v.getUint16(8, true));
  if (tag(b, 0, 4) === 'RIFF' && tag(b, 8, 4) === 'WEBP') return webp(b, v);
  // BMP: BITMAPCOREHEADER (12 bytes) has 16-bit sizes; the later headers 32-bit, height negative when top-down
  if (tag(b, 0, 2) === 'BM')
    return v.getUint32(14, true) === 12
      ? size('bmp', v.getUint16(18, true), v.getUint16(20, true))
      : size('bmp', Math.abs(v.getInt32(18, true)), Math.abs(v.getInt32(22, true)));
  return undefined;
}

/** The size in an image's header, or undefined when it is none of the five formats (or cut short). */
export async function readImageSize(read: ReadAt): Promise<ImageSize | undefined> {
  try {
    const head = await read(0, 32);
    return head[0] === 0xff && head[1] === 0xd8 ? await jpeg(read) : fixedHeader(head, view(head));
  } catch (e) {
    // a header cut short: the DataView reads past the end
    if (e instanceof RangeError) return undefined;
    throw e;
  }
}

/** The header's size of an encoded image in a Blob. */
export function blobImageSize(blob: Blob): Promise<ImageSize | undefined> {
  return readImageSize(
    async (offset, length) => new Uint8Array(await blob.slice(offset, offset + length).arrayBuffer()),
  );
}

function badImage(message: string, details: Record<string, unknown>): AirlockError {
  return new AirlockError('BAD_INPUT', message, details);
}

/** Refuses an empty image, or one of more pixels than `maxPixels`; `what` names it in the message. */
export function checkImageSize(what: string, width: number, height: number, maxPixels: number): void {
  if (!(width > 0 && height > 0))
    throw badImage(`${what} is empty (${width}x${height} pixels)`, { reason: 'empty', width, height });
  const pixels = width * height;
  if (pixels > maxPixels) {
    throw badImage(
      `${what} is ${width}x${height} (${pixels} pixels), over the limit of ${maxPixels} pixels (maxImagePixels)`,
      { reason: 'too-large', width, height, pixels, limit: maxPixels },
    );
  }
}

/**
 * Reads an encoded image's size from its header and checks it against the limit before it is
 * decoded: a Blob in none of the five formats is refused, as its size cannot be known first.
 */
export async function checkEncodedImage(what: string, blob: Blob, maxPixels: number): Promise<ImageSize> {
  const size = blob.size === 0 ? undefined : await blobImageSize(blob);
  if (!size) {
    throw badImage(`${what} is not a PNG, JPEG, WebP, GIF or BMP image`, {
      reason: 'unknown-format',
      bytes: blob.size,
      type: blob.type,
    });
  }
  checkImageSize(what, size.width, size.height, maxPixels);
  return size;
}
