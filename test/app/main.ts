// The page the browser tests drive: it exposes the public API to `page.evaluate`.
import * as airlock from '../../src/index.js';

declare global {
  interface Window {
    airlock: typeof airlock;
  }
}

window.airlock = airlock;
document.getElementById('status')!.textContent = 'ready';
