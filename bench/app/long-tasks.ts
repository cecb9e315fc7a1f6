// Row 2: main-thread tasks over 50 ms while a model works, as the page's long-task observer sees them.

/** Starts counting long tasks; stop() gives their durations. */
export function watchLongTasks(): { stop(): number[] } {
  const seen: number[] = [];
  const observer = new PerformanceObserver((list) => {
    for (const e of list.getEntries()) seen.push(e.duration);
  });
  observer.observe({ type: 'longtask' });
  return {
    stop() {
      for (const e of observer.takeRecords()) seen.push(e.duration);
      observer.disconnect();
      return seen;
    },
  };
}

/** Runs `work` and returns the long tasks seen meanwhile, and how long it took. */
export async function longTasksDuring(work: () => Promise<unknown>): Promise<{ tasks: number[]; ms: number }> {
  // let the page settle first: the tasks of loading are not the call's
  await new Promise((r) => setTimeout(r, 100));
  const watch = watchLongTasks();
  const t0 = performance.now();
  await work();
  const ms = performance.now() - t0;
  await new Promise((r) => setTimeout(r, 100));
  return { tasks: watch.stop(), ms };
}
