// The page stays free during an OCR call on the 1000x1400 scan: everything after decoding runs
// in the worker, so the page's thread has no task over 50 ms.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { useBrowser } from '../support/browser.js';
import { ROOT } from '../support/paths.js';

const browser = useBrowser();
const SCAN = readFileSync(resolve(ROOT, 'test/fixtures/ocr/scan.png')).toString('base64');
// as in responsiveness.test.ts: on two cores the OS may leave the page's thread waiting for a
// core while the worker computes, which counts as a long task too; one of three calls must be free
const ATTEMPTS = 3;

describe(`OCR responsiveness (${browser.mode})`, () => {
  // the call runs on WASM in both projects: it runs once, without a GPU (vitest.config.ts)
  it('no long task on the main thread during ai.ocr() on the 1000x1400 scan', async () => {
    const { page } = await browser.open();
    const got = await page.evaluate(
      async ({ b64, attempts }) => {
        const ai = window.airlock.createRuntime({ device: 'wasm' });
        const ocr = await ai.ocr();
        const blob = new Blob([Uint8Array.from(atob(b64), (c) => c.charCodeAt(0))], { type: 'image/png' });
        const longTasks: number[] = [];
        const observer = new PerformanceObserver((list) =>
          list.getEntries().forEach((e) => longTasks.push(e.duration)),
        );
        observer.observe({ type: 'longtask' });
        // control: the observer sees a task that blocks the page for 80 ms
        const busyUntil = performance.now() + 80;
        while (performance.now() < busyUntil);
        await new Promise((r) => setTimeout(r, 100));
        const control = longTasks.splice(0);
        const runs: { longTasks: number[]; lines: number; ms: number; width: number; height: number }[] = [];
        while (runs.length < attempts && !runs.some((r) => r.longTasks.length === 0)) {
          const t0 = performance.now();
          const result = await ocr(blob);
          const ms = performance.now() - t0;
          await new Promise((r) => setTimeout(r, 100));
          runs.push({
            longTasks: longTasks.splice(0),
            lines: result.lines.length,
            ms,
            width: result.width,
            height: result.height,
          });
        }
        observer.disconnect();
        await ai.dispose();
        return {
          control,
          runs: runs.map(({ longTasks, lines, ms, width, height }) => ({ longTasks, lines, ms, width, height })),
        };
      },
      { b64: SCAN, attempts: ATTEMPTS },
    );
    for (const r of got.runs)
      console.log(`OCR of the scan: ${r.lines} lines in ${r.ms.toFixed(0)} ms, long tasks [${r.longTasks.join(', ')}]`);
    expect(got.control.length).toBe(1);
    expect(got.control[0]).toBeGreaterThanOrEqual(80);
    for (const r of got.runs) {
      expect([r.width, r.height]).toEqual([1000, 1400]);
      expect(r.lines).toBe(16);
    }
    expect(got.runs.some((r) => r.longTasks.length === 0)).toBe(true);
  }, 900_000);
});
