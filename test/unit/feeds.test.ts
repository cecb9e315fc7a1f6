// The worker's own check of raw-session feeds (the page runs the shape part too, see
// test/browser/bad-feeds.test.ts): every bad feed is BAD_INPUT with details, and its message names the input.
import { describe, expect, it } from 'vitest';
import { checkFeeds, type InputMetadata } from '../../src/worker/feeds.js';
import { anyMessage, thrown } from '../support/outcome.js';

const META: InputMetadata[] = [{ name: 'x', isTensor: true, type: 'float32', shape: ['batch', 2] }];
const x = () => ({ type: 'float32', data: new Float32Array(4), dims: [2, 2] });

const outcome = (feeds: unknown, names: string[] = ['x'], meta: InputMetadata[] = META) =>
  thrown(() => checkFeeds(feeds, names, meta)) ?? 'ok';
/** A refusal: BAD_INPUT with these details, and what its message must name (the input, the offending key or type). */
type Refusal = { details: Record<string, unknown> | undefined; names: string[] };
const onX = (extra: Record<string, unknown> = {}, names: string[] = []): Refusal => ({
  details: { input: 'x', ...extra },
  names: ['"x"', ...names],
});
const noMatch = (missing: string[], unknown: string[], expected = ['x']): Refusal => ({
  details: { expected, missing, unknown },
  names: [...missing, ...unknown],
});
const notAnObject: Refusal = { details: undefined, names: [] };

function expectRefused(got: ReturnType<typeof outcome>, want: Refusal, what: string): void {
  expect(got, what).toEqual({ code: 'BAD_INPUT', details: want.details, message: anyMessage });
  for (const name of want.names) expect(got === 'ok' ? '' : got.message, what).toContain(name);
}

describe('raw session feeds, in the worker', () => {
  it('refuses each bad feed with a message that names the input', () => {
    const polluted = JSON.parse('{"x": {"type": "float32", "data": 0, "dims": [2, 2]}, "__proto__": {}}') as Record<
      string,
      Record<string, unknown>
    >;
    polluted.x!.data = new Float32Array(4);
    const cases: [unknown, Refusal][] = [
      ['x', notAnObject],
      [null, notAnObject],
      [[x()], notAnObject],
      [{ x: null }, onX()],
      [{ x: { data: new Float32Array(4), dims: [2, 2] } }, onX({ missing: ['type'] })],
      [{ x: { ...x(), type: '__proto__' } }, onX({}, ['"__proto__"'])],
      [{ x: { ...x(), type: 'toString' } }, onX({}, ['"toString"'])],
      [{ x: { ...x(), data: [0, 0, 0, 0] } }, onX()],
      [{ x: { ...x(), dims: [2, 2.5] } }, onX()],
      [{ x: { ...x(), dims: [-2, -2] } }, onX()],
      [{ x: { ...x(), dims: [2 ** 20, 2 ** 20] } }, onX({ limit: 2 ** 28 })],
      [{ x: { ...x(), dims: [3, 2] } }, onX()],
      [polluted, noMatch([], ['__proto__'])],
      [{ x: x(), extra: x() }, noMatch([], ['extra'])],
      [{}, noMatch(['x'], [])],
      [{ x: { ...x(), type: 'int32', data: new Int32Array(4) } }, onX({ expected: 'float32' })],
      [{ x: { ...x(), data: new Float32Array(6), dims: [2, 3] } }, onX({ expected: ['batch', 2] })],
    ];
    cases.forEach(([feeds, want], i) => expectRefused(outcome(feeds), want, `case ${i}: ${JSON.stringify(feeds)}`));
    // an input named like an Object.prototype member is missing unless the feeds hold it themselves
    expectRefused(outcome({}, ['constructor'], []), noMatch(['constructor'], [], ['constructor']), 'constructor');
  });

  it('takes every onnxruntime-web type with its arrays: float16 bits, packed 4-bit, strings', () => {
    const one = (type: string, data: unknown, dims: number[]) => outcome({ x: { type, data, dims } }, ['x'], []);
    expect(one('float16', new Uint16Array(3), [3])).toBe('ok');
    expect(one('float64', new Float64Array(2), [2])).toBe('ok');
    expect(one('uint64', new BigUint64Array(2), [2])).toBe('ok');
    expect(one('int16', new Int16Array(2), [2])).toBe('ok');
    expect(one('uint16', new Uint16Array(2), [2])).toBe('ok');
    expect(one('int4', new Uint8Array(3), [5])).toBe('ok');
    expect(one('int4', new Int8Array(2), [4])).toBe('ok');
    expect(one('uint4', new Uint8Array(3), [1, 5])).toBe('ok');
    expectRefused(one('uint4', new Uint8Array(5), [5]), onX(), 'uint4');
    expect(one('string', ['a', 'b'], [2])).toBe('ok');
    expectRefused(one('string', ['a', 2], [2]), onX(), 'string');
    expect(one('bool', new Uint8Array(1), [])).toBe('ok');
    expectRefused(one('float16', new Float32Array(3), [3]), onX(), 'float16');
  });
});
