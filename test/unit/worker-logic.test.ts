// Pure pieces of the worker and the facade, in Node: input checks, the work queue, the stream.
import { describe, expect, it } from 'vitest';
import { AirlockError } from '../../src/errors.js';
import { streamText } from '../../src/page/stream.js';
import { checkAudioInput, checkFeeds, checkTextCall, checkTextInput } from '../../src/worker/inputs.js';
import type { WorkerEvent } from '../../src/protocol/messages.js';
import { serially } from '../../src/worker/serial.js';

const codeOf = (fn: () => unknown): string | undefined => {
  try {
    fn();
    return undefined;
  } catch (e) {
    return e instanceof AirlockError ? `${e.code}: ${e.message}` : `other: ${String(e)}`;
  }
};

describe('input checks', () => {
  it('text: non-empty strings; maxTextLength counts all text of all arguments together', () => {
    expect(codeOf(() => checkTextCall(['hi'], 10))).toBeUndefined();
    expect(codeOf(() => checkTextCall([['a', 'b']], 10))).toBeUndefined();
    expect(codeOf(() => checkTextInput(' \n'))).toBe('BAD_INPUT: Input text is empty');
    expect(codeOf(() => checkTextInput(null))).toBe('BAD_INPUT: Input must be a string or a list of strings, got null');
    const limit = (length: number) => `BAD_INPUT: The call's text has ${length} characters (all its arguments together); the limit (maxTextLength) is 10`;
    expect(codeOf(() => checkTextCall(['x'.repeat(11)], 10))).toBe(limit(11));
    expect(codeOf(() => checkTextCall([['xxxx', 'xxxx', 'xxxx']], 10))).toBe(limit(12));
    expect(codeOf(() => checkTextCall(['question', 'context...'], 10))).toBe(limit(18));
    expect(codeOf(() => checkTextCall(['film', ['good', 'bad']], 11))).toBeUndefined();
    expect(codeOf(() => checkTextCall([[{ role: 'user', content: 'hello' }, { role: 'user', content: 'world' }]], 18))).toBeUndefined();
    expect(codeOf(() => checkTextCall([[{ role: 'user', content: 'hello' }, { role: 'user', content: 'x'.repeat(10) }]], 10))).toBe(limit(23));
    try {
      checkTextCall(['x'.repeat(11)], 10);
    } catch (e) {
      expect((e as AirlockError).details).toEqual({ limit: 10, length: 11 });
    }
  });

  it('audio: samples, never a URL', () => {
    expect(codeOf(() => checkAudioInput(new Float32Array(4)))).toBeUndefined();
    expect(codeOf(() => checkAudioInput('https://elsewhere.example/a.wav'))).toBe('BAD_INPUT: Audio input must be a Float32Array of samples, got a string');
    expect(codeOf(() => checkAudioInput(new Float32Array(0)))).toBe('BAD_INPUT: Audio input is empty');
  });

  it('feeds: declared types and fixed dims; symbolic and unsigned -1 dims are free', () => {
    const meta = [
      { name: 'x', isTensor: true as const, type: 'float32' as const, shape: ['batch', 3, 4294967295] },
      { name: 'n', isTensor: true as const, type: 'int64' as const, shape: [] },
    ];
    const x = (dims: number[]) => ({ type: 'float32' as const, data: new Float32Array(dims.reduce((a, b) => a * b, 1)), dims });
    const n = { type: 'int64' as const, data: BigInt64Array.from([1n]), dims: [] };
    expect(codeOf(() => checkFeeds({ x: x([2, 3, 7]), n }, ['x', 'n'], meta))).toBeUndefined();
    expect(codeOf(() => checkFeeds({ x: x([2, 4, 7]), n }, ['x', 'n'], meta))).toBe('BAD_INPUT: Input "x" must have dims [batch, 3, 4294967295], got [2, 4, 7]');
    expect(codeOf(() => checkFeeds({ x: x([2, 3]), n }, ['x', 'n'], meta))).toMatch(/^BAD_INPUT: Input "x" must have dims/);
    expect(codeOf(() => checkFeeds({ x: { ...x([1, 3, 1]), type: 'int32' as const, data: new Int32Array(3) }, n }, ['x', 'n'], meta))).toBe(
      'BAD_INPUT: Input "x" must be float32, got int32',
    );
    expect(codeOf(() => checkFeeds({ x: x([1, 3, 1]) }, ['x', 'n'], meta))).toBe('BAD_INPUT: Inputs do not match the model: missing [n], unknown []');
  });
});

describe('the work queue', () => {
  it('runs jobs one at a time, in order, and drops a job aborted while it waits', async () => {
    const log: string[] = [];
    let release!: () => void;
    const first = serially(() => new Promise<void>((r) => (release = () => (log.push('first'), r()))));
    const controller = new AbortController();
    const second = serially(async () => void log.push('second'), controller.signal);
    const third = serially(async () => void log.push('third'));
    controller.abort();
    await expect(second).rejects.toMatchObject({ code: 'ABORTED' });
    expect(log).toEqual([]); // the first job still runs: the aborted one left without waiting
    release();
    await first;
    await third;
    expect(log).toEqual(['first', 'third']);
  });
});

describe('the text stream', () => {
  it('yields pieces in order and ends with the call', async () => {
    const pieces: string[] = [];
    const stream = streamText(async (emit: (e: WorkerEvent) => void) => {
      for (const text of ['a', 'b', '', 'c']) emit({ type: 'text', text });
    }, undefined);
    for await (const p of stream) pieces.push(p);
    expect(pieces).toEqual(['a', 'b', 'c']);
  });

  it('ends at an abort with the call\'s error, and stopping the loop aborts the call', async () => {
    const external = new AbortController();
    let seenSignal: AbortSignal | undefined;
    const stream = streamText((emit, signal) => {
      seenSignal = signal;
      emit({ type: 'text', text: 'one' });
      emit({ type: 'text', text: 'two' });
      return new Promise((_, reject) => signal.addEventListener('abort', () => reject(new AirlockError('ABORTED', 'stopped'))));
    }, external.signal);
    const got: string[] = [];
    await expect(
      (async () => {
        for await (const p of stream) {
          got.push(p);
          external.abort();
        }
      })(),
    ).rejects.toMatchObject({ code: 'ABORTED', message: 'stopped' });
    expect(got).toEqual(['one']); // "two" was queued, but the loop ended at the abort
    expect(seenSignal?.aborted).toBe(true);

    let inner: AbortSignal | undefined;
    const early = streamText((emit, signal) => {
      inner = signal;
      emit({ type: 'text', text: 'x' });
      return new Promise(() => undefined);
    }, undefined);
    for await (const _ of early) break;
    expect(inner?.aborted).toBe(true);
  });
});
