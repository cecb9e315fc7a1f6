// The types a user meets, checked by the compiler (`tsc --noEmit` covers test/): a session's
// outputs are typed per tensor type where the caller names them, and go back in as feeds.
import { describe, expect, expectTypeOf, it } from 'vitest';
import type {
  OutputTensor,
  RuntimeInfo,
  SessionHandle,
  SessionInfo,
  SessionOutputs,
  TensorData,
} from '../../src/index.js';

type Vad = SessionHandle<{ output: 'float32'; stateN: 'float32' }>;

/** What a user writes for Silero VAD (each frame: the last 64 samples before it, then 512): never called, only compiled. */
async function vadLoop(vad: Vad, frames: Float32Array<ArrayBuffer>[]): Promise<number> {
  let state = new Float32Array(2 * 128); // Float32Array<ArrayBuffer> under TypeScript 5.9
  let speech = 0;
  for (const frame of frames) {
    const out = await vad.run({
      input: { type: 'float32', data: frame, dims: [1, 576] },
      state: { type: 'float32', data: state, dims: [2, 1, 128] },
      sr: { type: 'int64', data: BigInt64Array.from([16000n]), dims: [] },
    });
    state = out.stateN.data; // no cast, and no clash of buffer types: the next frame's feed
    speech = out.output.data[0]!;
  }
  return speech;
}

describe('public types', () => {
  it('types session outputs per tensor type, and an output goes back in as a feed', () => {
    expect(typeof vadLoop).toBe('function');
    type Out = Awaited<ReturnType<Vad['run']>>;
    expectTypeOf<Out['output']['data']>().toEqualTypeOf<Float32Array<ArrayBuffer>>();
    expectTypeOf<Out['stateN']>().toMatchTypeOf<TensorData<'float32'>>();
    expectTypeOf<SessionOutputs<{ ids: 'int64' }>['ids']['data']>().toEqualTypeOf<BigInt64Array<ArrayBuffer>>();
    expectTypeOf<OutputTensor<'string'>['data']>().toEqualTypeOf<string[]>();
    // without named types, every output is one of the tensor types
    expectTypeOf<Awaited<ReturnType<SessionHandle['run']>>[string]>().toEqualTypeOf<OutputTensor>();
  });

  it('lists sessions in info() with their file', () => {
    expectTypeOf<SessionInfo['file']>().toEqualTypeOf<string>();
    expectTypeOf<SessionInfo>().toMatchTypeOf<RuntimeInfo['models'][number]>();
    expectTypeOf<SessionHandle['file']>().toEqualTypeOf<string>();
  });
});
