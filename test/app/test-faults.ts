// Runs before the worker entry (see test-worker.ts): reads the test's wishes from the worker URL.
import { InferenceSession } from 'onnxruntime-web/webgpu';

const params = new URL(self.location.href).searchParams;
if (params.has('fail-webgpu')) (globalThis as Record<symbol, unknown>)[Symbol.for('airlock.faults')] = new Set(['webgpu-create']);
// a WebGPU session that fails inside onnxruntime-web's own create, the call transformers.js
// makes (and chains), as a driver or an unsupported model would make it fail
if (params.has('fail-webgpu-session')) {
  const create = InferenceSession.create.bind(InferenceSession);
  const onWebGpu = (options: unknown) =>
    ((options as InferenceSession.SessionOptions | undefined)?.executionProviders ?? []).some((ep) => (typeof ep === 'string' ? ep : ep.name) === 'webgpu');
  InferenceSession.create = (async (...args: Parameters<typeof create>) => {
    if (args.some(onWebGpu)) throw new Error('WebGPU session creation failed (injected session fault)');
    return create(...args);
  }) as typeof InferenceSession.create;
}

// the browser's own fetch, taken before the worker puts its policy in front of it: a test uses it
// to make a request the way code that bypasses the library would
const unguardedFetch = globalThis.fetch.bind(globalThis);

new BroadcastChannel('airlock-test').onmessage = (e: MessageEvent<unknown>) => {
  if (e.data === 'exit') self.close();
  const bypass = typeof e.data === 'object' && e.data !== null && 'bypass' in e.data ? e.data.bypass : undefined;
  // fire and forget: the test reads the request from the evidence, not from this fetch's result
  if (typeof bypass === 'string') void unguardedFetch(bypass).catch(() => undefined);
};

export {};
