// Inputs of the line models: each crop scaled to 48 pixels high keeping its aspect (no wider
// than the batch), normalised to [-1, 1] in BGR order, and zero-padded on the right to the
// batch's width, as PaddleOCR's resize_norm_img does.
import { resizeBilinear, writePlanarBgr, type Rgba } from './pixels.js';

export const LINE_HEIGHT = 48;
type Norm = { mean: readonly number[]; std: readonly number[] };
/** PaddleOCR's resize_norm_img: [-1, 1]; the angle classifier takes this */
export const SIGNED: Norm = { mean: [0.5, 0.5, 0.5], std: [0.5, 0.5, 0.5] };
/**
 * [0, 1], as @gutenye/ocr's recogniser feeds it: on our English samples PaddleOCR's [-1, 1] made
 * the recogniser drop the spaces between words ("CORNERCAFE"), this kept them
 */
export const UNIT: Norm = { mean: [0, 0, 0], std: [1, 1, 1] };

/** The crops as one batch tensor [N, 3, 48, width]. */
export function lineBatch(crops: Rgba[], width: number, norm: Norm): { data: Float32Array; dims: number[] } {
  const data = new Float32Array(crops.length * 3 * LINE_HEIGHT * width);
  crops.forEach((crop, i) => {
    const scaled = Math.min(width, Math.ceil((LINE_HEIGHT * crop.width) / crop.height));
    writePlanarBgr(resizeBilinear(crop, Math.max(1, scaled), LINE_HEIGHT), data, i, width, LINE_HEIGHT, norm);
  });
  return { data, dims: [crops.length, 3, LINE_HEIGHT, width] };
}

/** The recogniser's batch width: 320 at least (PaddleOCR's rec_image_shape), else the widest crop at 48 high. */
export function recognitionWidth(crops: Rgba[]): number {
  const ratio = Math.max(320 / LINE_HEIGHT, ...crops.map((c) => c.width / c.height));
  return Math.floor(LINE_HEIGHT * ratio);
}

/** The angle classifier's fixed input width (its model takes [N, 3, 48, 192]). */
export const CLASSIFIER_WIDTH = 192;
