// Makes the worker: the library's own script, bundled beside the page, or the page's `workerUrl`.
import { AirlockError } from '../errors.js';

function startWorker(url: string | URL | undefined): Worker {
  // The literal `new URL(..., import.meta.url)` lets bundlers emit the worker as its own chunk:
  // a real script URL on the page's origin, never a `blob:`.
  return url
    ? new Worker(url, { type: 'module', name: 'airlock' })
    : new Worker(new URL('../worker/entry.ts', import.meta.url), { type: 'module', name: 'airlock' });
}

/** The worker, or WORKER_CRASHED with the browser's reason when it refuses to make one. */
export function spawnWorker(url: string | URL | undefined): Worker {
  try {
    return startWorker(url);
  } catch (e) {
    // the URL was checked; what is left is the browser's refusal (a CSP without worker-src, say)
    throw new AirlockError('WORKER_CRASHED', `The worker could not start: ${(e as Error)?.message ?? String(e)}`, {
      reason: 'worker-script',
      ...(url && { url: String(url) }),
    });
  }
}

/** A name for the liveness lock; crypto.randomUUID exists only in secure contexts. */
export function uniqueName(): string {
  const random =
    typeof crypto.randomUUID === 'function'
      ? crypto.randomUUID()
      : `${Date.now()}-${Math.random().toString(36).slice(2)}`;
  return `airlock-worker-${random}`;
}
