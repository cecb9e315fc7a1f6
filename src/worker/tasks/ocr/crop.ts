// A text box cut out of the image and straightened: a perspective warp of its quad onto an
// upright rectangle (PaddleOCR's get_rotate_crop_image), sampled bilinearly with the edges
// replicated; a crop 1.5 times taller than wide is a vertical line and is turned upright.
import { distance, type Point, type Quad } from './geometry.js';
import { rotate90, type Rgba } from './pixels.js';

/** Solves the 8x8 system of a homography taking `from[i]` to `to[i]`; row-major 3x3 with h33 = 1. */
export function homography(from: readonly Point[], to: readonly Point[]): number[] {
  const a: number[][] = [];
  for (let i = 0; i < 4; i++) {
    const [x, y] = from[i]!;
    const [u, v] = to[i]!;
    a.push([x, y, 1, 0, 0, 0, -u * x, -u * y, u], [0, 0, 0, x, y, 1, -v * x, -v * y, v]);
  }
  for (let c = 0; c < 8; c++) {
    let pivot = c;
    for (let r = c + 1; r < 8; r++) if (Math.abs(a[r]![c]!) > Math.abs(a[pivot]![c]!)) pivot = r;
    [a[c], a[pivot]] = [a[pivot]!, a[c]!];
    const row = a[c]!;
    for (let r = 0; r < 8; r++) {
      if (r === c || row[c] === 0) continue;
      const f = a[r]![c]! / row[c]!;
      for (let k = c; k < 9; k++) a[r]![k]! -= f * row[k]!;
    }
  }
  return [...a.map((row, i) => row[8]! / row[i]!), 1];
}

function sample(img: Rgba, x: number, y: number, out: Uint8ClampedArray, o: number): void {
  const fx = Math.min(Math.max(x, 0), img.width - 1);
  const fy = Math.min(Math.max(y, 0), img.height - 1);
  const x0 = Math.floor(fx);
  const y0 = Math.floor(fy);
  const x1 = Math.min(x0 + 1, img.width - 1);
  const y1 = Math.min(y0 + 1, img.height - 1);
  const wx = fx - x0;
  const wy = fy - y0;
  for (let k = 0; k < 4; k++) {
    const at = (px: number, py: number) => img.data[(py * img.width + px) * 4 + k]!;
    const top = at(x0, y0) + (at(x1, y0) - at(x0, y0)) * wx;
    const bottom = at(x0, y1) + (at(x1, y1) - at(x0, y1)) * wx;
    out[o + k] = top + (bottom - top) * wy;
  }
}

/** The box's pixels as an upright image, as wide as its longer horizontal side and as high as its longer vertical side. */
export function cropBox(img: Rgba, box: Quad): Rgba {
  const width = Math.max(1, Math.floor(Math.max(distance(box[0], box[1]), distance(box[2], box[3]))));
  const height = Math.max(1, Math.floor(Math.max(distance(box[0], box[3]), distance(box[1], box[2]))));
  const rect: Point[] = [
    [0, 0],
    [width, 0],
    [width, height],
    [0, height],
  ];
  const h = homography(rect, box);
  const data = new Uint8ClampedArray(width * height * 4);
  for (let y = 0; y < height; y++)
    for (let x = 0; x < width; x++) {
      const w = h[6]! * x + h[7]! * y + 1;
      sample(img, (h[0]! * x + h[1]! * y + h[2]!) / w, (h[3]! * x + h[4]! * y + h[5]!) / w, data, (y * width + x) * 4);
    }
  const crop = { width, height, data };
  return height / width >= 1.5 ? rotate90(crop) : crop;
}
