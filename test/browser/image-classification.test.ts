// image-classification through the public API: every image input kind against the committed
// reference (native onnxruntime on the same pixels), URLs on the origin and elsewhere, and each
// bad image followed by a good call on the same runtime.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { Handler } from '../../src/node/serve/server.js';
import { referenceClassify, SAMPLE_NAMES, sampleImage, SIDE } from '../../scripts/fixtures/tiny-vision.js';
import { VISION_REFERENCE } from '../../scripts/write-vision-reference.js';
import { useBrowser } from '../support/browser.js';
import { maxAbsDiff } from '../support/ort-reference.js';
import { claimedPng, encodePng } from '../support/png.js';

type Scores = { label: string; score: number }[];
const reference = (JSON.parse(readFileSync(VISION_REFERENCE, 'utf8')) as { logits: Record<string, number[]> }).logits;
const pngs = Object.fromEntries(SAMPLE_NAMES.map((n) => [n, encodePng(sampleImage(n), SIDE, SIDE)]));
const served: Record<string, Buffer> = {
  ...Object.fromEntries(SAMPLE_NAMES.map((n) => [`/test-images/${n}.png`, pngs[n]!])),
  '/test-images/huge.png': claimedPng(20_000, 20_000),
  '/test-images/broken.png': claimedPng(SIDE, SIDE),
};
const images: Handler = (req, res, next) => {
  const body = served[req.url ?? ''];
  if (!body) return next();
  res.writeHead(200, { 'content-type': 'image/png', 'content-length': body.length });
  res.end(body);
};

const browser = useBrowser({ before: [images] });
// float32 on both backends against native onnxruntime on the same pixels (PNG decodes exactly):
// the scores differ only by rounding, well under 1e-4
const TOLERANCE = 1e-4;

function expectReference(got: unknown, name: string, what: string): void {
  const want = referenceClassify(reference[name]!);
  const scores = got as Scores;
  expect(
    scores.map((s) => s.label),
    `${what} ${name}`,
  ).toEqual(want.map((w) => w.label));
  expect(
    maxAbsDiff(
      scores.map((s) => s.score),
      want.map((w) => w.score),
    ),
    `${what} ${name}`,
  ).toBeLessThan(TOLERANCE);
}

describe(`image-classification inputs (${browser.mode})`, () => {
  it('a Blob, an ImageBitmap (transferred), ImageData, canvases, an <img>, URLs and a batch give the reference answer', async () => {
    const { page } = await browser.open();
    const samples = Object.fromEntries(SAMPLE_NAMES.map((n) => [n, { png: [...pngs[n]!], rgba: [...sampleImage(n)] }]));
    const got = await page.evaluate(
      async ({ samples, side }) => {
        const ai = window.airlock.createRuntime();
        const classify = await ai.pipeline('image-classification', 'tiny-vision');
        const opts = { top_k: 4 };
        const out: Record<string, Record<string, unknown>> = {};
        const put = (kind: string, name: string, value: unknown) => ((out[kind] ??= {})[name] = value);
        const detached: number[] = [];
        for (const [name, { png, rgba }] of Object.entries(samples)) {
          const blob = new Blob([Uint8Array.from(png)], { type: 'image/png' });
          put('blob', name, await classify(blob, opts));
          const bitmap = await createImageBitmap(blob);
          put('bitmap', name, await classify(bitmap, opts));
          detached.push(bitmap.width, bitmap.height);
          const data = new ImageData(Uint8ClampedArray.from(rgba), side, side);
          put('imageData', name, await classify(data, opts));
          const canvas = document.createElement('canvas');
          canvas.width = canvas.height = side;
          canvas.getContext('2d')!.putImageData(data, 0, 0);
          put('canvas', name, await classify(canvas, opts));
          const offscreen = new OffscreenCanvas(side, side);
          offscreen.getContext('2d')!.putImageData(data, 0, 0);
          put('offscreen', name, await classify(offscreen, opts));
          const img = new Image();
          img.src = `/test-images/${name}.png`; // not yet loaded: the call waits for it
          put('img', name, await classify(img, opts));
          put('relativeUrl', name, await classify(`/test-images/${name}.png`, opts));
          put('absoluteUrl', name, await classify(new URL(`/test-images/${name}.png`, location.href), opts));
        }
        const batch = await classify([new Blob([Uint8Array.from(samples.red!.png)]), '/test-images/stripes.png'], opts);
        const info = { backend: classify.backend, task: classify.task };
        await ai.dispose();
        return { out, detached, batch, info };
      },
      { samples, side: SIDE },
    );
    expect(got.info).toEqual({ backend: browser.expectedBackend, task: 'image-classification' });
    for (const [kind, byName] of Object.entries(got.out)) {
      expect(Object.keys(byName), kind).toEqual([...SAMPLE_NAMES]);
      for (const [name, scores] of Object.entries(byName)) expectReference(scores, name, kind);
    }
    expect(Object.keys(got.out)).toEqual([
      'blob',
      'bitmap',
      'imageData',
      'canvas',
      'offscreen',
      'img',
      'relativeUrl',
      'absoluteUrl',
    ]);
    // the page's bitmaps were moved to the worker, not copied
    expect(got.detached).toEqual(new Array(SAMPLE_NAMES.length * 2).fill(0));
    const batch = got.batch as Scores[];
    expect(batch).toHaveLength(2);
    expectReference(batch[0], 'red', 'batch');
    expectReference(batch[1], 'stripes', 'batch');
  });
});
