// Pure pieces of the worker and the facade, in Node: input checks, the work queue, the stream.
import { describe, expect, it } from 'vitest';
import { AirlockError } from '../../src/errors.js';
import { streamText } from '../../src/page/stream.js';
import { checkAudioInput, checkFeeds, checkTextCall, checkTextInput } from '../../src/worker/inputs.js';
import type { WorkerEvent } from '../../src/protocol/messages.js';
import { serially } from '../../src/worker/serial.js';
import { anyMessage, thrown } from '../support/outcome.js';

const badInput = (details?: Record<string, unknown>) => ({ code: 'BAD_INPUT', details, message: anyMessage });

describe('input checks', () => {
  it('text: non-empty strings; maxTextLength counts all text of all arguments together', () => {
    expect(thrown(() => checkTextCall(['hi'], 10))).toBeUndefined();
    expect(thrown(() => checkTextCall([['a', 'b']], 10))).toBeUndefined();
    expect(thrown(() => checkTextInput(' \n'))).toEqual(badInput());
    expect(thrown(() => checkTextInput(null))).toEqual(badInput());
    const limit = (length: number) => badInput({ limit: 10, length });
    expect(thrown(() => checkTextCall(['x'.repeat(11)], 10))).toEqual(limit(11));
    expect(thrown(() => checkTextCall([['xxxx', 'xxxx', 'xxxx']], 10))).toEqual(limit(12));
    expect(thrown(() => checkTextCall(['question', 'context...'], 10))).toEqual(limit(18));
    expect(thrown(() => checkTextCall(['film', ['good', 'bad']], 11))).toBeUndefined();
    expect(
      thrown(() =>
        checkTextCall(
          [
            [
              { role: 'user', content: 'hello' },
              { role: 'user', content: 'world' },
            ],
          ],
          18,
        ),
      ),
    ).toBeUndefined();
    expect(
      thrown(() =>
        checkTextCall(
          [
            [
              { role: 'user', content: 'hello' },
              { role: 'user', content: 'x'.repeat(10) },
            ],
          ],
          10,
        ),
      ),
    ).toEqual(limit(23));
  });

  it('audio: samples, never a URL', () => {
    expect(thrown(() => checkAudioInput(new Float32Array(4)))).toBeUndefined();
    expect(thrown(() => checkAudioInput('https://elsewhere.example/a.wav'))).toEqual(badInput());
    expect(thrown(() => checkAudioInput(new Float32Array(0)))).toEqual(badInput());
  });

  it('feeds: declared types and fixed dims; symbolic and unsigned -1 dims are free', () => {
    const meta = [
      { name: 'x', isTensor: true as const, type: 'float32' as const, shape: ['batch', 3, 4294967295] },
      { name: 'n', isTensor: true as const, type: 'int64' as const, shape: [] },
    ];
    const x = (dims: number[]) => ({
      type: 'float32' as const,
      data: new Float32Array(dims.reduce((a, b) => a * b, 1)),
      dims,
    });
    const n = { type: 'int64' as const, data: BigInt64Array.from([1n]), dims: [] };
    expect(thrown(() => checkFeeds({ x: x([2, 3, 7]), n }, ['x', 'n'], meta))).toBeUndefined();
    expect(thrown(() => checkFeeds({ x: x([2, 4, 7]), n }, ['x', 'n'], meta))).toEqual(
      badInput({ input: 'x', expected: ['batch', 3, 4294967295] }),
    );
    expect(thrown(() => checkFeeds({ x: x([2, 3]), n }, ['x', 'n'], meta))).toEqual(
      badInput({ input: 'x', expected: ['batch', 3, 4294967295] }),
    );
    expect(
      thrown(() =>
        checkFeeds({ x: { ...x([1, 3, 1]), type: 'int32' as const, data: new Int32Array(3) }, n }, ['x', 'n'], meta),
      ),
    ).toEqual(badInput({ input: 'x', expected: 'float32' }));
    expect(thrown(() => checkFeeds({ x: x([1, 3, 1]) }, ['x', 'n'], meta))).toEqual(
      badInput({ expected: ['x', 'n'], missing: ['n'], unknown: [] }),
    );
  });
});

describe('the work queue', () => {
  it('runs jobs one at a time, in order, and drops a job aborted while it waits', async () => {
    const log: string[] = [];
    let release!: () => void;
    const first = serially(() => new Promise<void>((r) => (release = () => (log.push('first'), r()))));
    const controller = new AbortController();
    const second = serially(() => Promise.resolve(void log.push('second')), controller.signal);
    const third = serially(() => Promise.resolve(void log.push('third')));
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
    const stream = streamText((emit: (e: WorkerEvent) => void) => {
      for (const text of ['a', 'b', '', 'c']) emit({ type: 'text', text });
      return Promise.resolve();
    }, undefined);
    for await (const p of stream) pieces.push(p);
    expect(pieces).toEqual(['a', 'b', 'c']);
  });

  it("ends at an abort with the call's error, and stopping the loop aborts the call", async () => {
    const external = new AbortController();
    let seenSignal: AbortSignal | undefined;
    const stream = streamText((emit, signal) => {
      seenSignal = signal;
      emit({ type: 'text', text: 'one' });
      emit({ type: 'text', text: 'two' });
      return new Promise((_, reject) =>
        signal.addEventListener('abort', () => reject(new AirlockError('ABORTED', 'stopped'))),
      );
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
