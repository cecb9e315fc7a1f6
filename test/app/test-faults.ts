// Runs before the worker entry (see test-worker.ts): reads the test's wishes from the worker URL.
const params = new URL(self.location.href).searchParams;
if (params.has('fail-webgpu')) (globalThis as Record<symbol, unknown>)[Symbol.for('airlock.faults')] = new Set(['webgpu-create']);

// the browser's own fetch, taken before the worker puts its policy in front of it: a test uses it
// to make a request the way code that bypasses the library would
const unguardedFetch = globalThis.fetch.bind(globalThis);

new BroadcastChannel('airlock-test').onmessage = (e: MessageEvent) => {
  if (e.data === 'exit') self.close();
  if (typeof e.data?.bypass === 'string') void unguardedFetch(e.data.bypass).catch(() => undefined);
};

export {};
