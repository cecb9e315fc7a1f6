// The worker's own check of raw-session feeds (the page runs the shape part too, see
// test/browser/bad-feeds.test.ts): every bad feed is BAD_INPUT naming the input and the problem.
import { describe, expect, it } from 'vitest';
import { AirlockError } from '../../src/errors.js';
import { checkFeeds, TENSOR_TYPES, type InputMetadata } from '../../src/worker/feeds.js';

const META: InputMetadata[] = [{ name: 'x', isTensor: true, type: 'float32', shape: ['batch', 2] }];
const x = () => ({ type: 'float32', data: new Float32Array(4), dims: [2, 2] });

function outcome(feeds: unknown, names: string[] = ['x'], meta: InputMetadata[] = META): string {
  try {
    checkFeeds(feeds, names, meta);
    return 'ok';
  } catch (e) {
    return e instanceof AirlockError ? `${e.code}: ${e.message}` : `other: ${String(e)}`;
  }
}

describe('raw session feeds, in the worker', () => {
  it('refuses each bad feed with a message that names the input', () => {
    const polluted = JSON.parse('{"x": {"type": "float32", "data": 0, "dims": [2, 2]}, "__proto__": {}}') as Record<string, Record<string, unknown>>;
    polluted.x!.data = new Float32Array(4);
    const cases: [unknown, string][] = [
      ['x', 'Feeds must be an object of named tensors, got the string "x"'],
      [null, 'Feeds must be an object of named tensors, got null'],
      [[x()], 'Feeds must be an object of named tensors, got an array'],
      [{ x: null }, 'Input "x" must be a tensor { type, data, dims }, got null'],
      [{ x: { data: new Float32Array(4), dims: [2, 2] } }, 'Input "x" has no type: a tensor is { type, data, dims }'],
      [{ x: { ...x(), type: '__proto__' } }, `Input "x" has an unknown type "__proto__"; the types are ${TENSOR_TYPES.join(', ')}`],
      [{ x: { ...x(), type: 'toString' } }, `Input "x" has an unknown type "toString"; the types are ${TENSOR_TYPES.join(', ')}`],
      [{ x: { ...x(), data: [0, 0, 0, 0] } }, 'Input "x" is float32 but its data is an array; expected a Float32Array'],
      [{ x: { ...x(), dims: [2, 2.5] } }, 'Input "x" has invalid dims [2,2.5]: they must be a list of integers >= 0'],
      [{ x: { ...x(), dims: [-2, -2] } }, 'Input "x" has invalid dims [-2,-2]: they must be a list of integers >= 0'],
      [{ x: { ...x(), dims: [2 ** 20, 2 ** 20] } }, 'Input "x" has more than 268435456 elements (dims [1048576, 1048576])'],
      [{ x: { ...x(), dims: [3, 2] } }, 'Input "x" has 4 values for dims [3, 2] (6)'],
      [polluted, 'Inputs do not match the model: missing [], unknown [__proto__]'],
      [{ x: x(), extra: x() }, 'Inputs do not match the model: missing [], unknown [extra]'],
      [{}, 'Inputs do not match the model: missing [x], unknown []'],
      [{ x: { ...x(), type: 'int32', data: new Int32Array(4) } }, 'Input "x" must be float32, got int32'],
      [{ x: { ...x(), data: new Float32Array(6), dims: [2, 3] } }, 'Input "x" must have dims [batch, 2], got [2, 3]'],
    ];
    for (const [feeds, message] of cases) expect(outcome(feeds), message).toBe(`BAD_INPUT: ${message}`);
    // an input named like an Object.prototype member is missing unless the feeds hold it themselves
    expect(outcome({}, ['constructor'], [])).toBe('BAD_INPUT: Inputs do not match the model: missing [constructor], unknown []');
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
    expect(one('uint4', new Uint8Array(5), [5])).toBe('BAD_INPUT: Input "x" has 5 values for dims [5] (5, 3 bytes packed)');
    expect(one('string', ['a', 'b'], [2])).toBe('ok');
    expect(one('string', ['a', 2], [2])).toBe('BAD_INPUT: Input "x" is string but value 1 is a number');
    expect(one('bool', new Uint8Array(1), [])).toBe('ok');
    expect(one('float16', new Float32Array(3), [3])).toMatch(/^BAD_INPUT: Input "x" is float16 but its data is a Float32Array; expected a (Float16Array or a )?Uint16Array$/);
  });
});
