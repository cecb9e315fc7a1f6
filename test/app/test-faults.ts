// Runs before the worker entry (see test-worker.ts): reads the test's wishes from the worker URL.
const params = new URL(self.location.href).searchParams;
if (params.has('fail-webgpu')) (globalThis as Record<symbol, unknown>)[Symbol.for('airlock.faults')] = new Set(['webgpu-create']);

new BroadcastChannel('airlock-test').onmessage = (e: MessageEvent) => {
  if (e.data === 'exit') self.close();
};

export {};
