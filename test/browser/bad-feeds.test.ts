// Bad raw-session feeds and text past maxTextLength: each gets BAD_INPUT with details, and a message
// that names the input (never an engine's or the structured clone's own text);
// the next good call still works. The page checks before it posts; the worker's own check of the
// same cases (it runs them again) is in test/unit/feeds.test.ts.
import { describe, expect, it } from 'vitest';
import { CIN, COUT } from '../../scripts/fixtures/conv-probe.js';
import { reference as sentimentReference } from '../../scripts/fixtures/tiny-sentiment.js';
import { useBrowser } from '../support/browser.js';
import { naming } from '../support/outcome.js';

const browser = useBrowser();

type Got = Record<string, { code: string; message: string; details: Record<string, unknown>; then: string }>;

describe(`bad feeds (${browser.mode})`, () => {
  it('every bad feed is BAD_INPUT naming the input and the problem', async () => {
    const { page } = await browser.open();
    const got: Got = await page.evaluate(async (cin) => {
      const ai = window.airlock.createRuntime();
      const conv = await ai.session('conv-probe');
      const x = () => ({ type: 'float32', data: new Float32Array(cin * 4).fill(0.5), dims: [1, cin, 4] });
      const polluted = JSON.parse(
        `{"x": ${JSON.stringify({ type: 'float32', dims: [1, cin, 4] })}, "__proto__": {"type": "float32", "data": [], "dims": [0]}}`,
      ) as Record<string, unknown>;
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
        const e = await window.settle(conv.run(feeds() as never));
        const failed = e.ok
          ? { code: 'ok', message: '', details: {} }
          : { code: e.code, message: e.message, details: e.details ?? {} };
        results[name] = { ...failed, then: await good() };
      }
      await ai.dispose();
      return results;
    }, CIN);

    // per case: the details, and what the message must name (the input, and the offending key or type)
    const input = (name: string, extra: Record<string, unknown> = {}) => ({
      details: { input: name, ...extra },
      names: [`"${name}"`],
    });
    const feedsOption = (value: string) => ({ details: { option: 'feeds', value }, names: ['feeds'] });
    const names = (unknown: string) => ({
      details: { expected: ['x'], missing: [], unknown: [unknown] },
      names: [unknown],
    });
    const withType = (type: string) => ({ ...input('x'), names: ['"x"', type] });
    const expected: Record<string, { details: Record<string, unknown>; names: string[] }> = {
      // refused on the page before posting (comlink cannot transfer a string), named as the option
      'feeds a string': feedsOption('"x"'),
      'feeds null': feedsOption('null'),
      'feeds an array': feedsOption('an array'),
      'tensor null': input('x'),
      'tensor a typed array': input('x'),
      'tensor without type': input('x', { missing: ['type'] }),
      'tensor without data and dims': input('x', { missing: ['data', 'dims'] }),
      'type __proto__': withType('"__proto__"'),
      'type constructor': withType('"constructor"'),
      'type a number': withType('1'),
      'data a plain array': input('x'),
      'dims not integers': input('x'),
      'dims a string': input('x'),
      'negative dims': input('x'),
      'data length not matching dims': input('x'),
      'key __proto__': names('__proto__'),
      'key constructor': names('constructor'),
      'unknown name': names('extra'),
    };
    expect(Object.keys(got)).toEqual(Object.keys(expected));
    for (const [name, want] of Object.entries(expected)) {
      const r = got[name]!;
      expect({ code: r.code, details: r.details }, name).toEqual({ code: 'BAD_INPUT', details: want.details });
      for (const shown of want.names) expect(r.message, name).toContain(shown);
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
      const outcome = window.settle;
      const results = {
        // 20 texts of 90 characters: each under the limit, 1800 together
        items: await outcome(classify(Array.from({ length: 20 }, () => 'great film '.repeat(9).slice(0, 90)))),
        // a short input and a long second argument (as a question's context or zero-shot labels)
        laterArgument: await outcome(classify('great film', ['film '.repeat(300)], { top_k: 1 })),
        // chat messages: every content counts
        chat: await outcome(
          classify([
            { role: 'user', content: 'great film '.repeat(50) },
            { role: 'user', content: 'great film '.repeat(50) },
          ] as never),
        ),
        within: await outcome(classify(['great film', 'bad film'])),
      };
      const label = ((await classify('great film', { top_k: 1 })) as { label: string }[])[0]!.label;
      await ai.dispose();
      return { results, label };
    });
    // the message names the option that sets the limit
    const tooLong = (length: number) => ({
      ok: false,
      code: 'BAD_INPUT',
      message: naming('maxTextLength'),
      details: { limit: 1000, length },
    });
    expect(got.results.items).toEqual(tooLong(1800));
    expect(got.results.laterArgument).toEqual(tooLong(1510));
    expect(got.results.chat).toEqual(tooLong(1108));
    expect(got.results.within.ok).toBe(true);
    expect(got.label).toBe(sentimentReference('great film')[0]!.label);
  });
});
