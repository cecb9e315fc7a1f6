// The page the browser tests drive: it exposes the public API to `page.evaluate`, and the URL of
// a worker built for tests (see test-worker.ts).
import * as airlock from '../../src/index.js';
import testWorkerUrl from './test-worker.ts?worker&url';
import * as storeProbe from './store-probe.js';

declare global {
  interface Window {
    airlock: typeof airlock;
    testWorkerUrl: string;
    storeProbe: typeof storeProbe;
  }
}

window.airlock = airlock;
window.storeProbe = storeProbe;
window.testWorkerUrl = new URL(testWorkerUrl, location.href).href;
document.getElementById('status')!.textContent = 'ready';
