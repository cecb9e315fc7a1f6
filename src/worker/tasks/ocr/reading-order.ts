// Reading order as PaddleOCR's sorted_boxes: by the top-left corner, top to bottom then left to
// right, with boxes whose tops are within 10 pixels taken as one row and ordered by x.
import type { Quad } from './geometry.js';

export const SAME_ROW_PX = 10;

export function readingOrder<T extends { box: Quad }>(items: T[]): T[] {
  const out = [...items].sort((a, b) => a.box[0][1] - b.box[0][1] || a.box[0][0] - b.box[0][0]);
  for (let i = 0; i < out.length - 1; i++) {
    for (let j = i; j >= 0; j--) {
      const a = out[j]!;
      const b = out[j + 1]!;
      if (Math.abs(b.box[0][1] - a.box[0][1]) < SAME_ROW_PX && b.box[0][0] < a.box[0][0]) {
        out[j] = b;
        out[j + 1] = a;
      } else break;
    }
  }
  return out;
}
