// Bad raw-session feeds and text past maxTextLength: each gets BAD_INPUT with a message that
// names what was wrong with which input (never an engine's or the structured clone's own text);
// the next good call still works. The page checks before it posts; the worker's own check of the
// same cases (it runs them again) is in test/unit/feeds.test.ts.
import { describe, expect, it } from 'vitest';
import { CIN, COUT } from '../../scripts/fixtures/conv-probe.js';
import { reference as sentimentReference } from '../../scripts/fixtures/tiny-sentiment.js';
import { useBrowser } from '../support/browser.js';

const browser = useBrowser();

type Got = Record<string, { code: string; message: string; details: Record<string, unknown>; then: string }>;

describe(`bad feeds (${browser.mode})`, () => {
  it('every bad feed is BAD_INPUT naming the input and the problem', async () => {
    const { page } = await browser.open();
    const got: Got = await page.evaluate(async (cin) => {
      const ai = window.airlock.createRuntime();
      const conv = await ai.session('conv-probe');
      const x = () => ({ type: 'float32', data: new Float32Array(cin * 4).fill(0.5), dims: [1, cin, 4] });
      const polluted = JSON.parse(`{"x": ${JSON.stringify({ type: 'float32', dims: [1, cin, 4] })}, "__proto__": {"type": "float32", "data": [], "dims": [0]}}`) as Record<string, unknown>;
      (polluted.x as Record<string, unknown>).data = new Float32Array(cin * 4);
      const cases: Record<string, () => unknown> = {
        'feeds a string': () => 'x',
        'feeds null': () => null,
        'feeds an array': () => [x()],
        'tensor null': () => ({ x: null }),
        'tensor a typed array': () => ({ x: new Float32Array(4) }),
        'tensor without type': () => ({ x: { data: new Float32Array(cin * 4), dims: [1, cin, 4] } }),
        'tensor without data and dims': () => ({ x: { type: 'float32' } }),
        'type __proto__': () => ({ x: { ...x(), type: '__proto__' } }),
        'type constructor': () => ({ x: { ...x(), type: 'constructor' } }),
        'type a number': () => ({ x: { ...x(), type: 1 } }),
        'data a plain array': () => ({ x: { ...x(), data: [0.5, 0.5] } }),
        'dims not integers': () => ({ x: { ...x(), dims: [1, cin, 4.5] } }),
        'dims a string': () => ({ x: { ...x(), dims: '1,9,4' } }),
        'negative dims': () => ({ x: { ...x(), dims: [1, cin, -4] } }),
        'data length not matching dims': () => ({ x: { ...x(), dims: [1, cin, 5] } }),
        'key __proto__': () => polluted,
        'key constructor': () => ({ x: x(), constructor: x() }),
        'unknown name': () => ({ x: x(), extra: x() }),
      };
      const results: Got = {};
      const good = async () => (await conv.run({ x: x() as never })).y!.dims.join('x');
      for (const [name, feeds] of Object.entries(cases)) {
        const e = await conv.run(feeds() as never).then(() => ({ code: 'ok', message: '', details: {} }), (e: { code: string; message: string; details: Record<string, unknown> }) => e);
        results[name] = { code: e.code, message: e.message, details: e.details ?? {}, then: await good() };
      }
      await ai.dispose();
      return results;
    }, CIN);

    const expected: Record<string, RegExp> = {
      // refused on the page before posting (comlink cannot transfer a string), named as the option
      'feeds a string': /^feeds must be an object of named tensors.*"x"/i,
      'feeds null': /^feeds must be an object of named tensors.*null/i,
      'feeds an array': /^feeds must be an object of named tensors/i,
      'tensor null': /^Input "x" must be a tensor \{ type, data, dims \}, got null$/,
      'tensor a typed array': /^Input "x" must be a tensor \{ type, data, dims \}, got a Float32Array$/,
      'tensor without type': /^Input "x" has no type: a tensor is \{ type, data, dims \}$/,
      'tensor without data and dims': /^Input "x" has no data, dims: a tensor is/,
      'type __proto__': /^Input "x" has an unknown type "__proto__"; the types are float32, float16, .*, string$/,
      'type constructor': /^Input "x" has an unknown type "constructor"/,
      'type a number': /^Input "x" has an unknown type 1;/,
      'data a plain array': /^Input "x" is float32 but its data is an array; expected a Float32Array$/,
      'dims not integers': /^Input "x" has invalid dims \[1,9,4\.5\]: they must be a list of integers >= 0$/,
      'dims a string': /^Input "x" has invalid dims "1,9,4"/,
      'negative dims': /^Input "x" has invalid dims \[1,9,-4\]/,
      'data length not matching dims': /^Input "x" has 36 values for dims \[1, 9, 5\] \(45\)$/,
      'key __proto__': /^Inputs do not match the model: missing \[\], unknown \[__proto__\]$/,
      'key constructor': /^Inputs do not match the model: missing \[\], unknown \[constructor\]$/,
      'unknown name': /^Inputs do not match the model: missing \[\], unknown \[extra\]$/,
    };
    expect(Object.keys(got)).toEqual(Object.keys(expected));
    for (const [name, pattern] of Object.entries(expected)) {
      const r = got[name]!;
      expect(`${r.code}: ${r.message}`, name).toMatch(new RegExp(`^BAD_INPUT: ${pattern.source.slice(1)}`, pattern.flags));
      if (r.message.startsWith('Input "x"')) expect(r.details.input, name).toBe('x');
      expect(r.then, `good call after ${name}`).toBe(`1x${COUT}x4`);
    }
  });
});

describe(`maxTextLength counts the whole call (${browser.mode})`, () => {
  it('many items, and text in later arguments, count together; details { limit, length }', async () => {
    const { page } = await browser.open();
    const got = await page.evaluate(async () => {
      const ai = window.airlock.createRuntime({ maxTextLength: 1000 });
      const classify = await ai.pipeline('text-classification', 'tiny-sentiment');
      const outcome = (p: Promise<unknown>) => p.then(
        () => ({ code: 'ok', details: {} }),
        (e: { code: string; message: string; details: Record<string, unknown> }) => ({ code: e.code, message: e.message, details: e.details }),
      );
      const results = {
        // 20 texts of 90 characters: each under the limit, 1800 together
        items: await outcome(classify(Array.from({ length: 20 }, () => 'great film '.repeat(9).slice(0, 90)))),
        // a short input and a long second argument (as a question's context or zero-shot labels)
        laterArgument: await outcome(classify('great film', ['film '.repeat(300)], { top_k: 1 })),
        // chat messages: every content counts
        chat: await outcome(classify([{ role: 'user', content: 'great film '.repeat(50) }, { role: 'user', content: 'great film '.repeat(50) }] as never)),
        within: await outcome(classify(['great film', 'bad film'])),
      };
      const label = ((await classify('great film', { top_k: 1 })) as { label: string }[])[0]!.label;
      await ai.dispose();
      return { results, label };
    });
    const message = (length: number) => `The call's text has ${length} characters (all its arguments together); the limit (maxTextLength) is 1000`;
    expect(got.results.items).toEqual({ code: 'BAD_INPUT', message: message(1800), details: { limit: 1000, length: 1800 } });
    expect(got.results.laterArgument).toEqual({ code: 'BAD_INPUT', message: message(1510), details: { limit: 1000, length: 1510 } });
    expect(got.results.chat).toEqual({ code: 'BAD_INPUT', message: message(1108), details: { limit: 1000, length: 1108 } });
    expect(got.results.within.code).toBe('ok');
    expect(got.label).toBe(sentimentReference('great film')[0]!.label);
  });
});
