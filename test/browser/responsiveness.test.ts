// The page stays responsive while the worker generates: no main-thread task over 50 ms.
import { describe, expect, it } from 'vitest';
import { useBrowser } from '../support/browser.js';

const browser = useBrowser();

// On a two-core machine the OS sometimes leaves the page's thread waiting for a core while the
// worker computes, and that wait counts as a long task too. So the generation is measured up to
// three times: one run must be free of long tasks, and no run may block for long.
const ATTEMPTS = 3;

describe(`responsiveness (${browser.mode})`, () => {
  it('no long task on the main thread during a long streamed generation', async () => {
    const { page } = await browser.open();
    const got = await page.evaluate(async (attempts) => {
      const ai = window.airlock.createRuntime();
      const generate = await ai.pipeline('text-generation', 'tiny-lm');
      const longTasks: number[] = [];
      const observer = new PerformanceObserver((list) => list.getEntries().forEach((e) => longTasks.push(e.duration)));
      observer.observe({ type: 'longtask' });
      // control: the observer does see a task that blocks the main thread for 80 ms
      const busyUntil = performance.now() + 80;
      while (performance.now() < busyUntil);
      await new Promise((r) => setTimeout(r, 100));
      const control = longTasks.splice(0);
      const runs: { longTasks: number[]; maxGap: number; pieces: number; ms: number }[] = [];
      while (runs.length < attempts && !runs.some((r) => r.longTasks.length === 0)) {
        // a timer on the main thread: its largest gap shows how long the page was busy at once
        let last = performance.now();
        let maxGap = 0;
        const timer = setInterval(() => {
          const now = performance.now();
          maxGap = Math.max(maxGap, now - last);
          last = now;
        }, 10);
        const t0 = performance.now();
        let pieces = 0;
        for await (const piece of generate.stream('Once upon a time there was a robot', {
          maxNewTokens: 300,
          minNewTokens: 300,
        })) {
          pieces += piece.length > 0 ? 1 : 0;
        }
        const ms = performance.now() - t0;
        clearInterval(timer);
        // long tasks are reported after they end: give the observer a moment
        await new Promise((r) => setTimeout(r, 100));
        runs.push({ longTasks: longTasks.splice(0), maxGap, pieces, ms });
      }
      observer.disconnect();
      await ai.dispose();
      return { control, runs };
    }, ATTEMPTS);
    for (const r of got.runs) {
      console.log(
        `${browser.mode}: ${r.pieces} pieces in ${r.ms.toFixed(0)} ms, largest timer gap ${r.maxGap.toFixed(1)} ms, long tasks [${r.longTasks.join(', ')}]`,
      );
    }
    expect(got.control.length).toBe(1);
    expect(got.control[0]).toBeGreaterThanOrEqual(80);
    for (const r of got.runs) {
      expect(r.pieces).toBeGreaterThan(200);
      // never a real block, even in a run disturbed by the scheduler
      expect(Math.max(0, ...r.longTasks)).toBeLessThan(200);
    }
    expect(got.runs.some((r) => r.longTasks.length === 0)).toBe(true);
  });
});
