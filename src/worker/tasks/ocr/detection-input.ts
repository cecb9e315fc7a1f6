// The detector's input: the image scaled so its longer side is at most `limitSide` (PaddleOCR's
// det_limit_side_len 960, limit type "max"), each side rounded to a multiple of 32, then
// normalised with ImageNet's mean and std in PaddleOCR's BGR order.
import { resizeBilinear, writePlanarBgr, type Rgba } from './pixels.js';

export const DET_LIMIT_SIDE = 960;
const NORM = { mean: [0.485, 0.456, 0.406], std: [0.229, 0.224, 0.225] } as const;

/** The size the detector sees: as PaddleOCR's DetResizeForTest computes it. */
export function detectionSize(width: number, height: number, limitSide = DET_LIMIT_SIDE): [number, number] {
  const ratio = Math.max(width, height) > limitSide ? limitSide / Math.max(width, height) : 1;
  const round32 = (v: number) => Math.max(Math.round((v * ratio) / 32) * 32, 32);
  return [round32(width), round32(height)];
}

export function detectionInput(image: Rgba, limitSide = DET_LIMIT_SIDE): { data: Float32Array; dims: number[] } {
  const [w, h] = detectionSize(image.width, image.height, limitSide);
  const resized = resizeBilinear(image, w, h);
  const data = new Float32Array(3 * w * h);
  writePlanarBgr(resized, data, 0, w, h, NORM);
  return { data, dims: [1, 3, h, w] };
}
