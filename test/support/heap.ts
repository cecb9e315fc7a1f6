// Samples the memory of a page's dedicated workers (and of the page) while a test runs, over
// DevTools, and reports the peaks. Not performance.memory: workers lack it and pages get bucketed
// numbers; not measureUserAgentSpecificMemory: it needs cross-origin isolation and takes seconds.
//
// A CDP session on the page auto-attaches to the page's dedicated workers in the old non-flat mode
// (requests wrapped in Target.sendMessageToTarget), because playwright's CDPSession cannot address
// flat child sessions. Every ~50 ms each worker and the page answer Runtime.getHeapUsage:
//  - usedSize: bytes of live objects on the isolate's V8 heap; ArrayBuffer contents are not in it
//  - backingStorageSize (recent Chromium, else null): bytes held outside the heap by ArrayBuffers
//    and external strings; model bytes fetched or passed to the worker are counted here
// Neither counts WebAssembly.Memory (measured: a 200 MiB one adds 0), where onnxruntime-web copies
// the weights. For that, rendererRss sums VmRSS (/proc, Linux) over all the browser's renderer
// processes (pids from SystemInfo.getProcessInfo): the page and its workers share one, but other
// pages' renderers count too, and it wobbles by tens of MiB, so compare peak with start.
// DevTools interrupts a busy thread to answer, except inside one long native call (filling a
// 200 MiB buffer held off samples for about a second). Worker numbers are summed over the workers
// alive at each sample. Peaks are the largest samples: a spike shorter than the interval can be
// missed, and garbage not yet collected still counts (see collectGarbageFirst).
import { readFile } from 'node:fs/promises';
import type { CDPSession, Page } from 'playwright-core';

export interface HeapPeak {
  peakUsed: number;
  peakBackingStore: number | null;
  samples: number;
}

/** The workers' peaks (summed over the workers alive at each sample), and the page's own. */
export interface HeapReport extends HeapPeak {
  /** dedicated workers seen while sampling */
  workers: number;
  page: HeapPeak;
  /** bytes resident in renderer processes, at the first sample and at most; null off Linux */
  rendererRss: { start: number; peak: number } | null;
}

export interface HeapSampler {
  stop(): Promise<HeapReport>;
}

export interface SampleOptions {
  /** default 50 */
  intervalMs?: number;
  /**
   * Run a full GC in the page and its workers before the first sample. Freed buffers count until
   * collected, and an idle worker may not collect for many seconds (measured: a freed 200 MiB
   * ArrayBuffer still counted 5 s later), so earlier steps' garbage would otherwise inflate peaks.
   * It also makes a short sampler a check that memory was released.
   */
  collectGarbageFirst?: boolean;
}

interface Usage {
  usedSize: number;
  backingStorageSize?: number;
}

class Peak {
  private used = 0;
  private backing: number | null = null;
  private samples = 0;
  add(usages: Usage[]): void {
    if (usages.length === 0) return;
    const sizes = usages.map((u) => u.backingStorageSize).filter((b) => typeof b === 'number');
    this.used = Math.max(
      this.used,
      usages.reduce((a, u) => a + u.usedSize, 0),
    );
    if (sizes.length > 0)
      this.backing = Math.max(
        this.backing ?? 0,
        sizes.reduce((a, b) => a + b, 0),
      );
    this.samples++;
  }
  result(): HeapPeak {
    return { peakUsed: this.used, peakBackingStore: this.backing, samples: this.samples };
  }
}

async function rssOf(pid: number): Promise<number> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8').catch(() => '');
  return Number(/^VmRSS:\s+(\d+) kB/m.exec(status)?.[1] ?? 0) * 1024;
}

/** The dedicated workers `cdp`'s page has or starts (non-flat sessions), and requests to them. */
function watchWorkers(cdp: CDPSession) {
  const workers = new Set<string>();
  let seen = 0;
  let nextId = 0;
  const pending = new Map<number, { sessionId: string; resolve: (result: Usage | null) => void }>();
  const settle = (id: number, result: Usage | null) => {
    pending.get(id)?.resolve(result);
    pending.delete(id);
  };

  cdp.on('Target.attachedToTarget', (e) => {
    if (e.targetInfo.type !== 'worker') return;
    workers.add(e.sessionId);
    seen++;
  });
  cdp.on('Target.detachedFromTarget', (e) => {
    if (!e.sessionId) return;
    workers.delete(e.sessionId);
    for (const [id, p] of pending) if (p.sessionId === e.sessionId) settle(id, null);
  });
  cdp.on('Target.receivedMessageFromTarget', (e) => {
    const message = JSON.parse(e.message) as { id?: number; result?: Usage };
    if (message.id !== undefined) settle(message.id, message.result ?? null);
  });

  return {
    sessions: () => [...workers],
    seen: () => seen,
    /** one request to a worker; null when it goes away or the sampler stops first */
    send: (sessionId: string, method: string) =>
      new Promise<Usage | null>((resolve) => {
        const id = ++nextId;
        pending.set(id, { sessionId, resolve });
        cdp
          .send('Target.sendMessageToTarget', { sessionId, message: JSON.stringify({ id, method }) })
          .catch(() => settle(id, null));
      }),
    /** answers every request still out with null */
    dropPending: () => {
      for (const id of [...pending.keys()]) settle(id, null);
    },
  };
}

/** The resident memory of the browser's renderer processes (Linux only; null elsewhere). */
async function rendererRssReader(page: Page) {
  const browser = process.platform === 'linux' ? await page.context().browser()?.newBrowserCDPSession() : undefined;
  const read = async () => {
    const info = await browser?.send('SystemInfo.getProcessInfo').catch(() => undefined);
    if (!info) return null;
    const sizes = await Promise.all(info.processInfo.filter((p) => p.type === 'renderer').map((p) => rssOf(p.id)));
    return sizes.reduce((a, b) => a + b, 0);
  };
  return { read, detach: () => browser?.detach().catch(() => undefined) };
}

/** Starts sampling `page` and the dedicated workers it has or starts; stop() ends it and reports. */
export async function sampleWorkerHeap(
  page: Page,
  { intervalMs = 50, collectGarbageFirst = false }: SampleOptions = {},
): Promise<HeapSampler> {
  const cdp: CDPSession = await page.context().newCDPSession(page);
  const workers = watchWorkers(cdp);
  // existing workers are attached (events sent) before this returns; later ones as they start
  await cdp.send('Target.setAutoAttach', { autoAttach: true, waitForDebuggerOnStart: false, flatten: false });
  const rendererRss = await rendererRssReader(page);
  if (collectGarbageFirst) {
    await Promise.all([
      cdp.send('HeapProfiler.collectGarbage'),
      ...workers.sessions().map((w) => workers.send(w, 'HeapProfiler.collectGarbage')),
    ]);
  }
  let rss = null as { start: number; peak: number } | null; // (a cast: the loop below is inlined by control-flow analysis)

  const workerPeak = new Peak();
  const pagePeak = new Peak();
  let stopped = false;
  const loop = (async () => {
    while (!stopped) {
      const started = Date.now();
      const [resident, own, ...theirs] = await Promise.all([
        rendererRss.read(),
        cdp.send('Runtime.getHeapUsage').catch(() => null),
        ...workers.sessions().map((w) => workers.send(w, 'Runtime.getHeapUsage')),
      ]);
      if (resident !== null) rss = { start: rss?.start ?? resident, peak: Math.max(rss?.peak ?? 0, resident) };
      if (own) pagePeak.add([own]);
      workerPeak.add(theirs.filter((u): u is Usage => u !== null));
      await new Promise((r) => setTimeout(r, Math.max(0, intervalMs - (Date.now() - started))));
    }
  })();

  return {
    async stop() {
      stopped = true;
      // a worker stuck in native code may not answer; its sample is dropped rather than waited for
      workers.dropPending();
      await loop;
      await cdp.detach().catch(() => undefined);
      await rendererRss.detach();
      return { ...workerPeak.result(), workers: workers.seen(), page: pagePeak.result(), rendererRss: rss };
    },
  };
}
