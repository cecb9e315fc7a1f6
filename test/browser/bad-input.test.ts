// Bad calls get clear, typed errors, and the worker stays healthy: every bad call is followed
// by a good one that must give the reference answer.
import { describe, expect, it } from 'vitest';
import { CIN, COUT } from '../../scripts/fixtures/conv-probe.js';
import { reference as sentimentReference } from '../../scripts/fixtures/tiny-sentiment.js';
import { useBrowser } from '../support/browser.js';

const browser = useBrowser();

describe(`bad input (${browser.mode})`, () => {
  it('each bad call gives its code and message, and the next good call works', async () => {
    const { page } = await browser.open();
    const got = await page.evaluate(
      async ({ cin }) => {
        const ai = window.airlock.createRuntime({ maxTextLength: 1000 });
        const classify = await ai.pipeline('text-classification', 'tiny-sentiment');
        const conv = await ai.session('conv-probe');
        const x = (n = cin * 4, dims = [1, cin, 4]) => ({
          type: 'float32' as const,
          data: new Float32Array(n).fill(0.5),
          dims,
        });
        const outcome = async (p: Promise<unknown>) =>
          p.then(
            () => 'ok',
            (e: { code?: string; message: string }) => `${e.code}: ${e.message}`,
          );
        const good = async () => {
          const label = ((await classify('great film', { top_k: 1 })) as { label: string }[])[0]!.label;
          const y = await conv.run({ x: x() });
          return `${label} ${y.y!.dims.join('x')}`;
        };
        const cases: [string, () => Promise<unknown>][] = [
          ['unknown model', () => ai.pipeline('text-classification', 'no-such-model')],
          ['model id with a path', () => ai.pipeline('text-classification', '../tiny-sentiment')],
          ['task mismatch', () => ai.pipeline('fill-mask', 'tiny-sentiment')],
          ['unknown task', () => ai.pipeline('no-such-task', 'tiny-sentiment')],
          ['empty text', () => classify('   ')],
          ['empty list', () => classify([])],
          ['not text', () => classify(42)],
          ['oversized text', () => classify('great '.repeat(400))],
          ['missing input', () => conv.run({})],
          ['unknown input', () => conv.run({ x: x(), extra: x() })],
          ['wrong dtype', () => conv.run({ x: { type: 'int32', data: new Int32Array(cin * 4), dims: [1, cin, 4] } })],
          [
            'data of another type',
            () => conv.run({ x: { type: 'float32', data: new Int32Array(cin * 4), dims: [1, cin, 4] } }),
          ],
          ['wrong dims', () => conv.run({ x: x((cin + 1) * 4, [1, cin + 1, 4]) })],
          ['dims that do not fit the data', () => conv.run({ x: x(cin * 4, [1, cin, 5]) })],
          ['negative dims', () => conv.run({ x: x(cin * 4, [1, cin, -4]) })],
          ['raw model with several files', () => ai.session('paddleocr-v4')],
          ['file not in the manifest', () => ai.session('paddleocr-v4', { file: 'nope.onnx' })],
          ['a dtype for a raw session', () => ai.session('conv-probe', { dtype: 'q8' } as never)],
          [
            'a file for a pipeline',
            () => ai.pipeline('text-classification', 'tiny-sentiment', { file: 'onnx/model.onnx' } as never),
          ],
        ];
        const results: Record<string, { bad: string; then: string }> = {};
        for (const [name, call] of cases) results[name] = { bad: await outcome(call()), then: await good() };
        await ai.dispose();
        return results;
      },
      { cin: CIN },
    );

    const then = `${sentimentReference('great film')[0]!.label} 1x${COUT}x4`;
    const expected: Record<string, RegExp> = {
      'unknown model':
        /^MODEL_NOT_FOUND: No model "no-such-model" at http:\/\/127\.0\.0\.1:\d+\/models\/no-such-model\/manifest\.json$/,
      'model id with a path': /^BAD_INPUT: Model id "\.\.\/tiny-sentiment" must be/,
      'task mismatch': /^UNSUPPORTED_TASK: Model "tiny-sentiment" is for "text-classification", not "fill-mask"$/,
      'unknown task': /^UNSUPPORTED_TASK: Model "tiny-sentiment" is for "text-classification", not "no-such-task"$/,
      'empty text': /^BAD_INPUT: Input text is empty$/,
      'empty list': /^BAD_INPUT: Input is an empty list$/,
      'not text': /^BAD_INPUT: Input must be a string or a list of strings, got number$/,
      'oversized text':
        /^BAD_INPUT: The call's text has 2400 characters \(all its arguments together\); the limit \(maxTextLength\) is 1000$/,
      'missing input': /^BAD_INPUT: Inputs do not match the model: missing \[x\], unknown \[\]$/,
      'unknown input': /^BAD_INPUT: Inputs do not match the model: missing \[\], unknown \[extra\]$/,
      'wrong dtype': /^BAD_INPUT: Input "x" must be float32, got int32$/,
      'data of another type': /^BAD_INPUT: Input "x" is float32 but its data is a Int32Array; expected a Float32Array$/,
      'wrong dims': /^BAD_INPUT: Input "x" must have dims \[batch_size, 9, length\], got \[1, 10, 4\]$/,
      'dims that do not fit the data': /^BAD_INPUT: Input "x" has 36 values for dims \[1, 9, 5\] \(45\)$/,
      'negative dims': /^BAD_INPUT: Input "x" has invalid dims \[1,9,-4\]: they must be a list of integers >= 0$/,
      'raw model with several files': /^BAD_INPUT: Model "paddleocr-v4" has 3 \.onnx files: name one$/,
      'file not in the manifest': /^BAD_INPUT: Model "paddleocr-v4" has no file "nope\.onnx"$/,
      'a dtype for a raw session':
        /^BAD_INPUT: A raw session loads the one \.onnx file `file` names \(onnx\/model_quantized\.onnx for q8, say\): dtype picks a pipeline's files$/,
      'a file for a pipeline':
        /^BAD_INPUT: A pipeline loads the files of its dtype \(dtype: 'q8', say\): file names a raw session's \.onnx file$/,
    };
    expect(Object.keys(got)).toEqual(Object.keys(expected));
    for (const [name, pattern] of Object.entries(expected)) {
      expect(got[name]!.bad, name).toMatch(pattern);
      expect(got[name]!.then, `good call after ${name}`).toBe(then);
    }
  });
});
