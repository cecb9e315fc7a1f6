// The guard every browser test relies on: it must see foreign requests from the page, from a
// worker and from an iframe, and the browser must block them before they leave.
import { describe, expect, it } from 'vitest';
import { useBrowser } from '../support/browser.js';

const browser = useBrowser();
// another loopback address: a different origin that is still on this machine
const FOREIGN = 'http://127.0.0.2:9';

describe(`egress recorder (${browser.mode})`, () => {
  it('sees and blocks foreign requests from a page, a worker and an iframe', async () => {
    const { page, recorder } = await browser.open();
    const results = await page.evaluate(async (foreign) => {
      const fromPage = await fetch(`${foreign}/page-probe`).then(
        () => 'sent',
        () => 'blocked',
      );
      const workerCode = `fetch('${foreign}/worker-probe').then(() => postMessage('sent'), () => postMessage('blocked'))`;
      const worker = new Worker(URL.createObjectURL(new Blob([workerCode], { type: 'text/javascript' })));
      const fromWorker = await new Promise((done) => (worker.onmessage = (e) => done(e.data)));
      worker.terminate();
      const frame = document.createElement('iframe');
      frame.src = `${foreign}/frame-probe`;
      document.body.append(frame);
      await new Promise((done) => setTimeout(done, 500));
      return { fromPage, fromWorker };
    }, FOREIGN);

    expect(results).toEqual({ fromPage: 'blocked', fromWorker: 'blocked' });
    const foreign = recorder.takeForeign();
    const byPath = Object.fromEntries(foreign.map((r) => [new URL(r.url).pathname, r]));
    expect(Object.keys(byPath).sort()).toEqual(['/frame-probe', '/page-probe', '/worker-probe']);
    expect(byPath['/page-probe']!.from).toBe(`${browser.origin}/`);
    expect(byPath['/worker-probe']!.from).toBe(`${browser.origin}/`); // attributed to its page
    for (const r of foreign) expect(r.failure, r.url).toMatch(/^net::ERR_BLOCKED_BY_CLIENT/);
    expect(recorder.foreign()).toEqual([]);
  });
});
