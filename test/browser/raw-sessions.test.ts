// Raw onnxruntime-web sessions on a real pretrained model (PaddleOCR v4, shipped by an npm
// package): outputs must match native onnxruntime on this backend too.
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CIN, COUT, reference as convReference } from '../../scripts/fixtures/conv-probe.js';
import type { TensorData } from '../../src/index.js';
import { useBrowser } from '../support/browser.js';
import { textLikeImage } from '../support/images.js';
import { maxAbsDiff, ortReference } from '../support/ort-reference.js';
import { MODELS_DIR } from '../support/paths.js';

const browser = useBrowser();

// Small inputs: SwiftShader WebGPU runs tens of times slower than WASM, and the detector takes
// about a minute there even at 64x64, so WebGPU runs the classifier only.
const cases = [
  { file: 'cls.onnx', dims: [1, 3, 48, 192], output: 'softmax_0.tmp_0' },
  ...(browser.mode === 'nogpu' ? [{ file: 'det.onnx', dims: [1, 3, 64, 64], output: 'sigmoid_0.tmp_0' }] : []),
] as const;

describe(`raw sessions on PaddleOCR v4 (${browser.mode})`, () => {
  for (const c of cases) {
    it(`${c.file} matches native onnxruntime to 1e-4`, async () => {
      const { page } = await browser.open();
      const image = textLikeImage(c.dims[2], c.dims[3]);
      const got = await page.evaluate(
        async ({ file, dims, pixels }) => {
          const ai = window.airlock.createRuntime();
          const session = await ai.session('paddleocr-v4', { file });
          const out = await session.run({ x: { type: 'float32', data: Float32Array.from(pixels), dims: [...dims] } });
          await ai.dispose();
          const [name, t] = Object.entries(out)[0]!;
          return {
            name,
            dims: t.dims,
            data: Array.from(t.data as Float32Array),
            backend: session.backend,
            inputs: session.inputNames,
          };
        },
        { file: c.file, dims: c.dims, pixels: Array.from(image) },
      );
      const want = await ortReference(resolve(MODELS_DIR, 'paddleocr-v4', c.file), {
        x: { type: 'float32', data: image, dims: [...c.dims] } satisfies TensorData,
      });
      expect(got.backend).toBe(browser.expectedBackend);
      expect(got.inputs).toEqual(['x']);
      expect(got.name).toBe(c.output);
      expect(got.dims).toEqual(want[c.output]!.dims);
      expect(maxAbsDiff(got.data, want[c.output]!.data as Float32Array)).toBeLessThan(1e-4);
    });
  }
});

describe(`raw sessions on a Conv with 9 input channels (${browser.mode})`, () => {
  it('match the plain reference to 1e-4 (WebGPU runs it in the NCHW layout)', async () => {
    const { page } = await browser.open();
    const length = 6;
    const x = Array.from({ length: CIN }, (_, c) => Array.from({ length }, (_, t) => Math.sin(c * 1.3 + t * 0.7)));
    const got = await page.evaluate(
      async ({ flat, dims }) => {
        const ai = window.airlock.createRuntime();
        const session = await ai.session('conv-probe');
        const input = Float32Array.from(flat);
        const out = await session.run({ x: { type: 'float32', data: input, dims } });
        await ai.dispose();
        // the input buffer was transferred to the worker, not copied: it is detached here now
        return {
          data: Array.from(out.y!.data as Float32Array),
          dims: out.y!.dims,
          backend: session.backend,
          inputBytesLeft: input.byteLength,
          outType: out.y!.data.constructor.name,
        };
      },
      { flat: x.flat(), dims: [1, CIN, length] },
    );
    expect(got.backend).toBe(browser.expectedBackend);
    expect(got.inputBytesLeft).toBe(0);
    expect(got.outType).toBe('Float32Array');
    expect(got.dims).toEqual([1, COUT, length]);
    expect(maxAbsDiff(got.data, convReference(x).flat())).toBeLessThan(1e-4);
  });
});
