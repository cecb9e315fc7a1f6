// The stand-in that keeps transformers.js's session chains fulfilled (src/worker/engines/chain-guard.ts),
// against the chain code of its dist/transformers.web.js (4.3.1), reproduced line for line.
import { describe, expect, it } from 'vitest';
import { failing, neverRejects } from '../../src/worker/engines/stand-in.js';

/** createInferenceSession and runInferenceSession as transformers.js 4.3.1 writes them. */
function transformersChains(
  create: () => Promise<Record<string, unknown>>,
  run: () => Promise<Record<string, unknown>>,
) {
  let webInitChain: Promise<unknown> = Promise.resolve();
  let webInferenceChain: Promise<unknown> = Promise.resolve();
  return {
    async createInferenceSession() {
      const session = (await (webInitChain = webInitChain.then(create))) as Record<string, unknown>;
      session.config = {};
      return session;
    },
    // sessionRun's `replaceTensors(output)` walks the outputs with for…in
    async sessionRun() {
      const output = (await (webInferenceChain = webInferenceChain.then(run))) as Record<string, unknown>;
      const names: string[] = [];
      for (const name in output) names.push(name);
      return names;
    },
    // the ops' wrap reads `outputs[name]`
    async opRun() {
      const outputs = (await (webInferenceChain = webInferenceChain.then(run))) as Record<string, unknown>;
      return outputs.y;
    },
  };
}

/** Fails the first call with `error`, then answers `value`. */
function failingOnce<T>(error: Error, value: T): () => Promise<T> {
  let calls = 0;
  return () => (calls++ === 0 ? Promise.reject(error) : Promise.resolve(value));
}

describe('the stand-in for a failure', () => {
  it('throws the very error at any use, and promise resolution takes it as a value', async () => {
    const error = new Error('TopK: k must not be negative');
    const standIn = failing(error) as Record<string, unknown>;
    await expect(Promise.resolve(standIn)).resolves.toBe(standIn);
    expect(() => standIn.logits).toThrow(error);
    expect(() => (standIn.config = {})).toThrow(error);
    expect(() => Object.keys(standIn)).toThrow(error);
    expect(() => 'logits' in standIn).toThrow(error);
    expect(() => standIn instanceof Object).toThrow(error);
  });

  it('unguarded, one rejection fails every later link of the chains with the first error', async () => {
    const first = new Error('protobuf parsing failed');
    const chains = transformersChains(
      failingOnce(first, {}),
      failingOnce(new Error('value of k must not be negative'), { y: 1 }),
    );
    await expect(chains.createInferenceSession()).rejects.toBe(first);
    await expect(chains.createInferenceSession()).rejects.toBe(first);
  });

  it('guarded, the failing caller gets its own error and the next creation and runs work', async () => {
    const parse = new Error('protobuf parsing failed');
    const topK = new Error('value of k must not be negative');
    const chains = transformersChains(
      neverRejects(failingOnce(parse, { inputNames: ['x'] })),
      neverRejects(failingOnce(topK, { y: 1 })),
    );
    await expect(chains.createInferenceSession()).rejects.toBe(parse);
    await expect(chains.createInferenceSession()).resolves.toEqual({ inputNames: ['x'], config: {} });
    await expect(chains.sessionRun()).rejects.toBe(topK);
    await expect(chains.sessionRun()).resolves.toEqual(['y']);
    await expect(chains.opRun()).resolves.toBe(1);
  });

  it('guarded, a failure of the ops path (outputs[name]) reaches its caller too', async () => {
    const topK = new Error('value of k must not be negative');
    const chains = transformersChains(() => Promise.resolve({}), neverRejects(failingOnce(topK, { y: 2 })));
    await expect(chains.opRun()).rejects.toBe(topK);
    await expect(chains.opRun()).resolves.toBe(2);
  });
});
