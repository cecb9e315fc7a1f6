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

const ascii = (b: Uint8Array, at: number, text: string) => [...text].every((ch, i) => b[at + i] === ch.charCodeAt(0));
const u16be = (b: Uint8Array, at: number) => (b[at]! << 8) | b[at + 1]!;
const u16le = (b: Uint8Array, at: number) => b[at]! | (b[at + 1]! << 8);
const u24le = (b: Uint8Array, at: number) => b[at]! | (b[at + 1]! << 8) | (b[at + 2]! << 16);
const u32be = (b: Uint8Array, at: number) => u16be(b, at) * 0x10000 + u16be(b, at + 2);
const i32le = (b: Uint8Array, at: number) => new DataView(b.buffer, b.byteOffset, b.byteLength).getInt32(at, true);

function png(b: Uint8Array): ImageSize | undefined {
  if (b.length < 24 || !ascii(b, 12, 'IHDR')) return undefined;
  return { format: 'png', width: u32be(b, 16), height: u32be(b, 20) };
}

function gif(b: Uint8Array): ImageSize | undefined {
  return b.length < 10 ? undefined : { format: 'gif', width: u16le(b, 6), height: u16le(b, 8) };
}

function bmp(b: Uint8Array): ImageSize | undefined {
  if (b.length < 26) return undefined;
  // BITMAPCOREHEADER (12 bytes) has 16-bit sizes; the later headers 32-bit, height negative when top-down
  if (i32le(b, 14) === 12) return { format: 'bmp', width: u16le(b, 18), height: u16le(b, 20) };
  return { format: 'bmp', width: Math.abs(i32le(b, 18)), height: Math.abs(i32le(b, 22)) };
}

function webp(b: Uint8Array): ImageSize | undefined {
  if (b.length < 30) return undefined;
  if (ascii(b, 12, 'VP8X')) return { format: 'webp', width: u24le(b, 24) + 1, height: u24le(b, 27) + 1 };
  if (ascii(b, 12, 'VP8L') && b[20] === 0x2f) {
    const bits = b[21]! | (b[22]! << 8) | (b[23]! << 16) | (b[24]! << 24);
    return { format: 'webp', width: (bits & 0x3fff) + 1, height: ((bits >>> 14) & 0x3fff) + 1 };
  }
  if (ascii(b, 12, 'VP8 ') && b[23] === 0x9d && b[24] === 0x01 && b[25] === 0x2a)
    return { format: 'webp', width: u16le(b, 26) & 0x3fff, height: u16le(b, 28) & 0x3fff };
  return undefined;
}

/** SOFn markers carry the frame's size; C4 (DHT), C8 (JPG) and CC (DAC) are not frames. */
const isFrameMarker = (m: number) => m >= 0xc0 && m <= 0xcf && m !== 0xc4 && m !== 0xc8 && m !== 0xcc;

/** Walks the JPEG's segments by their lengths up to the first frame header, reading 9 bytes a step. */
async function jpeg(read: ReadAt): Promise<ImageSize | undefined> {
  let at = 2;
  for (let segments = 0; segments < 10_000; segments++) {
    const b = await read(at, 9);
    if (b.length < 2 || b[0] !== 0xff) return undefined;
    const marker = b[1]!;
    if (marker === 0xff) {
      at += 1; // fill byte
      continue;
    }
    if (marker === 0x01 || (marker >= 0xd0 && marker <= 0xd7)) {
      at += 2; // markers without a length
      continue;
    }
    if (b.length < 4 || marker === 0xd9 || marker === 0xda) return undefined; // no frame before the scan
    if (isFrameMarker(marker))
      return b.length < 9 ? undefined : { format: 'jpeg', height: u16be(b, 5), width: u16be(b, 7) };
    at += 2 + u16be(b, 2);
  }
  return undefined;
}

/** The size in an image's header, or undefined when it is none of the five formats (or cut short). */
export async function readImageSize(read: ReadAt): Promise<ImageSize | undefined> {
  const head = await read(0, 32);
  if (ascii(head, 0, '\x89PNG\r\n\x1a\n')) return png(head);
  if (head[0] === 0xff && head[1] === 0xd8 && head[2] === 0xff) return jpeg(read);
  if (ascii(head, 0, 'GIF87a') || ascii(head, 0, 'GIF89a')) return gif(head);
  if (ascii(head, 0, 'RIFF') && ascii(head, 8, 'WEBP')) return webp(head);
  if (ascii(head, 0, 'BM')) return bmp(head);
  return undefined;
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
    throw badImage(
      `${what} is not a PNG, JPEG, WebP, GIF or BMP image (${blob.size} bytes${blob.type ? `, type ${blob.type}` : ''})`,
      { reason: 'unknown-format', bytes: blob.size, type: blob.type },
    );
  }
  checkImageSize(what, size.width, size.height, maxPixels);
  return size;
}
