// RGBA images as plain arrays, and the resizing and model-input layout the OCR models expect.
// Pure code: no canvas, so every step is the same on every browser and testable in Node.

export interface Rgba {
  width: number;
  height: number;
  /** 4 bytes a pixel, rows top to bottom */
  data: Uint8ClampedArray;
}

/** Bilinear resize with pixel centres aligned (as OpenCV's INTER_LINEAR), edges replicated. */
export function resizeBilinear(src: Rgba, width: number, height: number): Rgba {
  const out = new Uint8ClampedArray(width * height * 4);
  const sx = src.width / width;
  const sy = src.height / height;
  for (let y = 0; y < height; y++) {
    const fy = Math.min(Math.max((y + 0.5) * sy - 0.5, 0), src.height - 1);
    const y0 = Math.floor(fy);
    const y1 = Math.min(y0 + 1, src.height - 1);
    const wy = fy - y0;
    for (let x = 0; x < width; x++) {
      const fx = Math.min(Math.max((x + 0.5) * sx - 0.5, 0), src.width - 1);
      const x0 = Math.floor(fx);
      const x1 = Math.min(x0 + 1, src.width - 1);
      const wx = fx - x0;
      const o = (y * width + x) * 4;
      const a = (y0 * src.width + x0) * 4;
      const b = (y0 * src.width + x1) * 4;
      const c = (y1 * src.width + x0) * 4;
      const d = (y1 * src.width + x1) * 4;
      for (let k = 0; k < 4; k++) {
        const top = src.data[a + k]! + (src.data[b + k]! - src.data[a + k]!) * wx;
        const bottom = src.data[c + k]! + (src.data[d + k]! - src.data[c + k]!) * wx;
        out[o + k] = top + (bottom - top) * wy;
      }
    }
  }
  return { width, height, data: out };
}

/** The image turned by 180 degrees. */
export function rotate180(src: Rgba): Rgba {
  const n = src.width * src.height;
  const out = new Uint8ClampedArray(n * 4);
  for (let i = 0; i < n; i++) out.set(src.data.subarray(i * 4, i * 4 + 4), (n - 1 - i) * 4);
  return { width: src.width, height: src.height, data: out };
}

/** The image turned a quarter counter-clockwise (numpy's rot90), for a crop taller than wide. */
export function rotate90(src: Rgba): Rgba {
  const { width: w, height: h } = src;
  const out = new Uint8ClampedArray(w * h * 4);
  // output is h wide, w high: out(x', y') = src(w - 1 - y', x')
  for (let y = 0; y < w; y++)
    for (let x = 0; x < h; x++)
      out.set(src.data.subarray((x * w + (w - 1 - y)) * 4, (x * w + (w - 1 - y)) * 4 + 4), (y * h + x) * 4);
  return { width: h, height: w, data: out };
}

/**
 * Writes `img` as planar B, G, R floats ((v / 255 - mean) / std, PaddleOCR's channel order: its
 * images come from OpenCV in BGR) into `out` at item `index` of a batch `width` wide; the
 * columns right of the image stay as they are (zero padding).
 */
export function writePlanarBgr(
  img: Rgba,
  out: Float32Array,
  index: number,
  width: number,
  height: number,
  norm: { mean: readonly number[]; std: readonly number[] },
): void {
  const plane = width * height;
  const base = index * 3 * plane;
  const w = Math.min(img.width, width);
  for (let c = 0; c < 3; c++) {
    const channel = 2 - c; // B from byte 2, G from 1, R from 0
    const mean = norm.mean[c]!;
    const std = norm.std[c]!;
    for (let y = 0; y < Math.min(img.height, height); y++)
      for (let x = 0; x < w; x++)
        out[base + c * plane + y * width + x] = (img.data[(y * img.width + x) * 4 + channel]! / 255 - mean) / std;
  }
}
