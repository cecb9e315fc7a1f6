// An image for the worker: an ImageBitmap, which moves across the boundary instead of being
// copied. Minimal form: decodes with createImageBitmap; an ImageBitmap passes through.
export type ImageInput = Blob | ImageBitmap | ImageData | HTMLCanvasElement | OffscreenCanvas | HTMLImageElement;

export async function imageForWorker(input: ImageInput, limits: { maxPixels: number }): Promise<ImageBitmap> {
  void limits;
  if (typeof ImageBitmap !== 'undefined' && input instanceof ImageBitmap) return input;
  return createImageBitmap(input);
}
