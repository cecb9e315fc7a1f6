// DB post-processing (as PaddleOCR's DBPostProcess does it): the probability map thresholded,
// each text region's smallest rectangle scored by the mean probability inside it, grown by the
// unclip distance (area × ratio / perimeter), and scaled back to the image.
import { distance, grow, insideQuad, minAreaRect, orderCorners, type Point, type Quad, type Rect } from './geometry.js';

export interface DbOptions {
  /** a pixel is text above this probability */
  thresh: number;
  /** a region is kept when its mean probability reaches this */
  boxThresh: number;
  unclipRatio: number;
  /** the shorter side a region needs (in map pixels) */
  minSize: number;
  maxCandidates: number;
}

/**
 * PaddleOCR's values, but for the unclip ratio: with its 1.5 the crops were so tight that the
 * recogniser ran the words of the DejaVu Sans sample together; 2.0 kept every space on our samples.
 */
export const DB_DEFAULTS: DbOptions = {
  thresh: 0.3,
  boxThresh: 0.6,
  unclipRatio: 2,
  minSize: 3,
  maxCandidates: 1000,
};

export interface ProbabilityMap {
  data: Float32Array;
  width: number;
  height: number;
}

/** Each 8-connected region of the bitmap as its hull's candidate points: the first and last pixel of each row. */
export function regions(bitmap: Uint8Array, width: number, height: number): Point[][] {
  const label = new Int32Array(width * height);
  const queue = new Int32Array(width * height);
  const out: Point[][] = [];
  for (let start = 0; start < bitmap.length; start++) {
    if (!bitmap[start] || label[start]) continue;
    const id = out.length + 1;
    const rows = new Map<number, [number, number]>();
    let head = 0;
    let tail = 0;
    queue[tail++] = start;
    label[start] = id;
    while (head < tail) {
      const i = queue[head++]!;
      const x = i % width;
      const y = (i - x) / width;
      const row = rows.get(y);
      if (row) {
        row[0] = Math.min(row[0], x);
        row[1] = Math.max(row[1], x);
      } else rows.set(y, [x, x]);
      for (let dy = -1; dy <= 1; dy++)
        for (let dx = -1; dx <= 1; dx++) {
          const nx = x + dx;
          const ny = y + dy;
          if (nx < 0 || ny < 0 || nx >= width || ny >= height) continue;
          const j = ny * width + nx;
          if (!bitmap[j] || label[j]) continue;
          label[j] = id;
          queue[tail++] = j;
        }
    }
    const points: Point[] = [];
    for (const [y, [x0, x1]] of rows) points.push([x0, y], [x1, y]);
    out.push(points);
  }
  return out;
}

/** The mean probability of the map's pixels inside the quad (PaddleOCR's box_score_fast). */
export function boxScore(map: ProbabilityMap, quad: readonly Point[]): number {
  const clamp = (v: number, hi: number) => Math.min(Math.max(v, 0), hi);
  const xs = quad.map((p) => p[0]);
  const ys = quad.map((p) => p[1]);
  const x0 = clamp(Math.floor(Math.min(...xs)), map.width - 1);
  const x1 = clamp(Math.ceil(Math.max(...xs)), map.width - 1);
  const y0 = clamp(Math.floor(Math.min(...ys)), map.height - 1);
  const y1 = clamp(Math.ceil(Math.max(...ys)), map.height - 1);
  let sum = 0;
  let n = 0;
  for (let y = y0; y <= y1; y++)
    for (let x = x0; x <= x1; x++) {
      if (!insideQuad(quad, [x, y])) continue;
      sum += map.data[y * map.width + x]!;
      n++;
    }
  return n === 0 ? 0 : sum / n;
}

/** The rectangle grown by the unclip distance: area × ratio / perimeter. */
export function unclip(rect: Rect, ratio: number): Rect {
  const perimeter = 2 * (rect.width + rect.height);
  return perimeter === 0 ? rect : grow(rect, (rect.width * rect.height * ratio) / perimeter);
}

export interface DetectedBox {
  box: Quad;
  score: number;
}

/** The text boxes of a probability map, in the coordinates of an image `imageWidth` × `imageHeight`. */
export function textBoxes(
  map: ProbabilityMap,
  imageWidth: number,
  imageHeight: number,
  options: DbOptions = DB_DEFAULTS,
): DetectedBox[] {
  const bitmap = new Uint8Array(map.data.length);
  for (let i = 0; i < bitmap.length; i++) bitmap[i] = map.data[i]! > options.thresh ? 1 : 0;
  const found: DetectedBox[] = [];
  for (const points of regions(bitmap, map.width, map.height).slice(0, options.maxCandidates)) {
    const rect = minAreaRect(points);
    if (Math.min(rect.width, rect.height) < options.minSize) continue;
    const score = boxScore(map, orderCorners(rect.corners));
    if (score < options.boxThresh) continue;
    const grown = unclip(rect, options.unclipRatio);
    if (Math.min(grown.width, grown.height) < options.minSize + 2) continue;
    const scale = (p: Point): Point => [
      Math.min(Math.max(Math.round((p[0] / map.width) * imageWidth), 0), imageWidth - 1),
      Math.min(Math.max(Math.round((p[1] / map.height) * imageHeight), 0), imageHeight - 1),
    ];
    const box = orderCorners(grown.corners.map(scale));
    // what PaddleOCR's filter_tag_det_res drops: a box 3 pixels or less across in the image
    if (Math.floor(distance(box[0], box[1])) <= 3 || Math.floor(distance(box[0], box[3])) <= 3) continue;
    found.push({ box, score });
  }
  return found;
}
