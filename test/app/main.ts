// The page the browser tests drive: it exposes the public API to `page.evaluate`, a `settle` helper, the URL of
// a worker built for tests (see test-worker.ts).
import * as library from '../../src/index.js';
import * as offline from '../../src/offline.js';
import testWorkerUrl from './test-worker.ts?worker&url';
import * as storeProbe from './store-probe.js';

/** A call's outcome as plain data: its value, or the error's code, message and details. */
export type Outcome<T = unknown> =
  { ok: true; value: T } | { ok: false; code: string; message: string; details: Record<string, unknown> };

function settle<T>(p: Promise<T>): Promise<Outcome<T>> {
  return p.then(
    (value) => ({ ok: true, value }),
    (e: { code: string; message: string; details: Record<string, unknown> }) => ({
      ok: false,
      code: e.code,
      message: e.message,
      details: e.details,
    }),
  );
}

declare global {
  interface Window {
    settle: typeof settle;
    airlock: typeof airlock;
    testWorkerUrl: string;
    storeProbe: typeof storeProbe;
  }
}

// the two page entries, `airlock` and `airlock/offline`, under one name
const airlock = { ...library, ...offline };
window.airlock = airlock;
window.storeProbe = storeProbe;
window.settle = settle;
window.testWorkerUrl = new URL(testWorkerUrl, location.href).href;
document.getElementById('status')!.textContent = 'ready';
