// The real worker entry, wrapped for tests: it can exit on cue (a crash as the page sees it)
// and can be told to fail WebGPU session creation, to exercise the fallback to WASM.
const params = new URL(self.location.href).searchParams;
if (params.has('fail-webgpu')) (globalThis as Record<symbol, unknown>)[Symbol.for('airlock.faults')] = new Set(['webgpu-create']);

new BroadcastChannel('airlock-test').onmessage = (e: MessageEvent) => {
  if (e.data === 'exit') self.close();
};

await import('../../src/worker/entry.js');

export {};
