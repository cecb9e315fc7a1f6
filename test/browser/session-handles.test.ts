// A model with several sessions (PaddleOCR's det and cls): info() lists each with its file, and
// unloading one session's handle frees that one only; ai.unload(id) frees them all.
import { describe, expect, it } from 'vitest';
import { useBrowser } from '../support/browser.js';

const browser = useBrowser();

describe(`sessions of one model (${browser.mode})`, () => {
  it('are listed per file, and unloaded one by one', async () => {
    const { page } = await browser.open();
    const got = await page.evaluate(async () => {
      const ai = window.airlock.createRuntime();
      const listed = async () =>
        (await ai.info()).models.map((m) => ({ modelId: m.modelId, file: (m as { file?: string }).file }));
      const det = await ai.session('paddleocr-v4', { file: 'det.onnx' });
      const cls = await ai.session('paddleocr-v4', { file: 'cls.onnx' });
      const both = await listed();
      await det.unload();
      const afterOne = await listed();
      const x = (dims: number[]) => ({
        x: { type: 'float32' as const, data: new Float32Array(dims.reduce((a, b) => a * b, 1)).fill(0.5), dims },
      });
      const detRun = await window.settle(det.run(x([1, 3, 32, 32])));
      const clsRun = await window.settle(cls.run(x([1, 3, 48, 192])).then((out) => out['softmax_0.tmp_0']!.dims));
      await ai.unload('paddleocr-v4');
      const afterAll = await listed();
      const clsAfter = await window.settle(cls.run(x([1, 3, 48, 192])));
      await ai.dispose();
      return { both, afterOne, detRun, clsRun, afterAll, clsAfter, files: [det.file, cls.file] };
    });
    expect(got.both).toEqual([
      { modelId: 'paddleocr-v4', file: 'det.onnx' },
      { modelId: 'paddleocr-v4', file: 'cls.onnx' },
    ]);
    expect(got.files).toEqual(['det.onnx', 'cls.onnx']);
    expect(got.afterOne).toEqual([{ modelId: 'paddleocr-v4', file: 'cls.onnx' }]);
    expect(got.detRun).toMatchObject({ ok: false, code: 'BAD_INPUT', details: { modelId: 'paddleocr-v4' } });
    expect(got.clsRun).toEqual({ ok: true, value: [1, 2] });
    expect(got.afterAll).toEqual([]);
    expect(got.clsAfter).toMatchObject({ ok: false, code: 'BAD_INPUT' });
  });
});
