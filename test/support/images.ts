// Deterministic test images as normalized NCHW float tensors, the way PaddleOCR expects them.

/** Dark strokes on a light background, roughly like a line of text. */
export function textLikeImage(height: number, width: number): Float32Array {
  const out = new Float32Array(3 * height * width);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const inBand = y > height * 0.25 && y < height * 0.75;
      const stroke = inBand && (x % 12 < 3 || (x % 24 < 14 && Math.abs(y - height / 2) < 2));
      const pixel = stroke ? 20 : 235;
      // PaddleOCR normalization: (p / 255 - 0.5) / 0.5
      for (let c = 0; c < 3; c++) out[c * height * width + y * width + x] = (pixel / 255 - 0.5) / 0.5;
    }
  }
  return out;
}
