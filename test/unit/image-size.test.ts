// The image header reader against real files of each format (written by sharp, or by hand where
// it has no encoder) and the pixel limit's refusals.
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import {
  blobImageSize,
  checkEncodedImage,
  checkImageSize,
  DEFAULT_MAX_IMAGE_PIXELS,
} from '../../src/shared/image-size.js';
import { isAirlockError } from '../../src/errors.js';
import { claimedPng, encodePng } from '../support/png.js';

const W = 37;
const H = 23;
const canvas = () => sharp({ create: { width: W, height: H, channels: 3, background: '#c04020' } });
/** a Blob of a copy (Node's Buffers may share a pool) */
const blobOf = (bytes: Uint8Array, type?: string) => new Blob([Uint8Array.from(bytes)], type ? { type } : {});
const sizeOf = (bytes: Uint8Array) => blobImageSize(blobOf(bytes));

/** A BMP with a BITMAPINFOHEADER, 24 bits, top-down (negative height); `core` writes the 12-byte OS/2 header. */
function bmp(width: number, height: number, core = false): Uint8Array {
  const header = core ? 12 : 40;
  const b = Buffer.alloc(14 + header + 16);
  b.write('BM', 0, 'ascii');
  b.writeUInt32LE(b.length, 2);
  b.writeUInt32LE(14 + header, 10);
  b.writeUInt32LE(header, 14);
  if (core) {
    b.writeUInt16LE(width, 18);
    b.writeUInt16LE(height, 20);
  } else {
    b.writeInt32LE(width, 18);
    b.writeInt32LE(-height, 22);
  }
  return b;
}

async function refusal(p: Promise<unknown>) {
  try {
    await p;
  } catch (e) {
    if (isAirlockError(e)) return { code: e.code, details: e.details, message: e.message };
    throw e;
  }
  throw new Error('not refused');
}

describe('image header sizes', () => {
  it('reads width and height of PNG, JPEG (with a large EXIF segment first), WebP (lossy, lossless, extended), GIF and BMP', async () => {
    const got = {
      png: await sizeOf(await canvas().png().toBuffer()),
      jpeg: await sizeOf(
        await canvas()
          .jpeg()
          .withMetadata({ exif: { IFD0: { Copyright: 'x'.repeat(40_000) } } })
          .toBuffer(),
      ),
      progressiveJpeg: await sizeOf(await canvas().jpeg({ progressive: true }).toBuffer()),
      webpLossy: await sizeOf(await canvas().webp({ lossless: false }).toBuffer()),
      webpLossless: await sizeOf(await canvas().webp({ lossless: true }).toBuffer()),
      webpExtended: await sizeOf(await canvas().ensureAlpha(0.5).webp({ lossless: false }).withMetadata().toBuffer()),
      gif: await sizeOf(await canvas().gif().toBuffer()),
      bmp: await sizeOf(bmp(W, H)),
      bmpCore: await sizeOf(bmp(W, H, true)),
      ours: await sizeOf(encodePng(new Uint8Array(W * H * 4), W, H)),
    };
    for (const [name, size] of Object.entries(got))
      expect({ name, ...size }).toMatchObject({ name, width: W, height: H });
    expect(Object.values(got).map((s) => s?.format)).toEqual([
      'png',
      'jpeg',
      'jpeg',
      'webp',
      'webp',
      'webp',
      'gif',
      'bmp',
      'bmp',
      'png',
    ]);
  });

  it('gives undefined for other bytes, an empty file and a cut-off header', async () => {
    const png = await canvas().png().toBuffer();
    const jpeg = await canvas().jpeg().toBuffer();
    expect(await sizeOf(new TextEncoder().encode('<html>not an image</html>'))).toBeUndefined();
    expect(await sizeOf(new Uint8Array())).toBeUndefined();
    expect(await sizeOf(png.subarray(0, 20))).toBeUndefined();
    // cut before the frame header: no SOF found
    expect(await sizeOf(jpeg.subarray(0, 30))).toBeUndefined();
  });

  it('reads a 20000x20000 claim from a 100-byte PNG and refuses it before decoding, with the limit in the message', async () => {
    const bytes = claimedPng(20_000, 20_000);
    expect(bytes.length).toBeLessThan(120);
    expect(await sizeOf(bytes)).toEqual({ format: 'png', width: 20_000, height: 20_000 });
    const r = await refusal(checkEncodedImage('The image', blobOf(bytes), DEFAULT_MAX_IMAGE_PIXELS));
    expect(r.code).toBe('BAD_INPUT');
    expect(r.details).toEqual({
      reason: 'too-large',
      width: 20_000,
      height: 20_000,
      pixels: 400_000_000,
      limit: 50_000_000,
    });
    expect(r.message).toContain('20000x20000');
    expect(r.message).toContain('50000000');
    expect(r.message).toContain('maxImagePixels');
    // a raised limit lets it through the check (decoding is the browser's part)
    await expect(checkEncodedImage('The image', blobOf(bytes), 400_000_000)).resolves.toEqual({
      format: 'png',
      width: 20_000,
      height: 20_000,
    });
  });

  it('refuses empty sizes and unknown formats with their reasons', async () => {
    expect((await refusal(Promise.resolve().then(() => checkImageSize('x', 0, 10, 100)))).details).toEqual({
      reason: 'empty',
      width: 0,
      height: 10,
    });
    expect((await refusal(checkEncodedImage('x', blobOf(claimedPng(0, 5)), 100))).details).toMatchObject({
      reason: 'empty',
    });
    const unknown = await refusal(checkEncodedImage('x', new Blob(['hello'], { type: 'text/plain' }), 100));
    expect(unknown.details).toEqual({ reason: 'unknown-format', bytes: 5, type: 'text/plain' });
  });
});
