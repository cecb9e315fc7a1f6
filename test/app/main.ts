// The page the browser tests drive: it exposes the public API to `page.evaluate`, and the URL of
// a worker built for tests (see test-worker.ts).
import * as airlock from '../../src/index.js';
import testWorkerUrl from './test-worker.ts?worker&url';

declare global {
  interface Window {
    airlock: typeof airlock;
    testWorkerUrl: string;
  }
}

window.airlock = airlock;
window.testWorkerUrl = new URL(testWorkerUrl, location.href).href;
document.getElementById('status')!.textContent = 'ready';
