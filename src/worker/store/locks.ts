// Web Locks coordinate the tabs and workers of one origin: one of them downloads a file while the
// others wait and then read it, loads pin the files they use, and eviction skips models and
// files that someone holds. Where Web Locks are missing (an insecure context), locks are kept per
// worker only: its own calls stay apart, but other tabs are not seen (the README says so).
import { AirlockError } from '../../errors.js';

function hasWebLocks(): boolean {
  return typeof navigator !== 'undefined' && typeof navigator.locks?.request === 'function';
}

function aborted(): AirlockError {
  return new AirlockError('ABORTED', 'The call was aborted while it waited for another tab or call');
}

/** Per-worker stand-in: exclusive holders in a queue, shared holders counted. */
const queues = new Map<string, Promise<unknown>>();
const sharedHere = new Map<string, number>();

/** Runs `fn` holding the exclusive lock `name`; `signal` gives up the wait. */
export async function withLock<T>(name: string, fn: () => Promise<T>, signal?: AbortSignal): Promise<T> {
  if (signal?.aborted) throw aborted();
  if (hasWebLocks()) {
    try {
      return await navigator.locks.request(name, signal ? { signal } : {}, fn);
    } catch (e) {
      if ((e as DOMException)?.name === 'AbortError' && signal?.aborted) throw aborted();
      throw e;
    }
  }
  const before = queues.get(name) ?? Promise.resolve();
  const run = before.then(fn, fn);
  const settled = run.catch(() => undefined);
  queues.set(name, settled);
  try {
    return await run;
  } finally {
    if (queues.get(name) === settled) queues.delete(name);
  }
}

/**
 * Runs `fn` holding the exclusive lock `name` if nobody holds it (in any mode); returns
 * `undefined` without running it otherwise.
 */
export async function ifFree<T>(name: string, fn: () => Promise<T>): Promise<T | undefined> {
  if (!hasWebLocks()) return sharedHere.has(name) || queues.has(name) ? undefined : fn();
  return navigator.locks.request(name, { ifAvailable: true }, (lock) => (lock ? fn() : undefined)) as Promise<
    T | undefined
  >;
}

/** Holds the shared lock `name` until the returned function is called (or the worker dies). */
export async function holdShared(name: string, signal?: AbortSignal): Promise<() => void> {
  if (signal?.aborted) throw aborted();
  if (!hasWebLocks()) {
    sharedHere.set(name, (sharedHere.get(name) ?? 0) + 1);
    let done = false;
    return () => {
      if (done) return;
      done = true;
      const n = (sharedHere.get(name) ?? 1) - 1;
      if (n > 0) sharedHere.set(name, n);
      else sharedHere.delete(name);
    };
  }
  let release!: () => void;
  const released = new Promise<void>((r) => (release = r));
  await new Promise<void>((acquired, fail) => {
    navigator.locks
      .request(name, { mode: 'shared', ...(signal && { signal }) }, () => (acquired(), released))
      .catch((e: unknown) => fail(signal?.aborted ? aborted() : e instanceof Error ? e : new Error(String(e))));
  });
  return release;
}
