// Web Locks coordinate the tabs and workers of one origin: one of them downloads a file while the
// others wait and then read it, and eviction skips models that someone has loaded. Where Web
// Locks are missing (an insecure context), a lock per worker still keeps its own calls apart.
const local = new Map<string, Promise<unknown>>();

function hasWebLocks(): boolean {
  return typeof navigator !== 'undefined' && typeof navigator.locks?.request === 'function';
}

/** Runs `fn` holding the exclusive lock `name`. */
export async function withLock<T>(name: string, fn: () => Promise<T>): Promise<T> {
  if (hasWebLocks()) return navigator.locks.request(name, fn) as Promise<T>;
  const before = local.get(name) ?? Promise.resolve();
  const run = before.then(fn, fn);
  const settled = run.catch(() => undefined);
  local.set(name, settled);
  try {
    return await run;
  } finally {
    if (local.get(name) === settled) local.delete(name);
  }
}

/**
 * Runs `fn` holding the exclusive lock `name` if nobody holds it (in any mode); returns
 * `undefined` without running it otherwise.
 */
export async function ifFree<T>(name: string, fn: () => Promise<T>): Promise<T | undefined> {
  if (!hasWebLocks()) return inUseHere.has(name) ? undefined : fn();
  return navigator.locks.request(name, { ifAvailable: true }, (lock) => (lock ? fn() : undefined)) as Promise<T | undefined>;
}

const inUseHere = new Map<string, number>();

/** Holds the shared lock `name` until the returned function is called (or the worker dies). */
export async function holdShared(name: string): Promise<() => void> {
  if (!hasWebLocks()) {
    inUseHere.set(name, (inUseHere.get(name) ?? 0) + 1);
    return () => {
      const n = (inUseHere.get(name) ?? 1) - 1;
      if (n > 0) inUseHere.set(name, n);
      else inUseHere.delete(name);
    };
  }
  let release!: () => void;
  const released = new Promise<void>((r) => (release = r));
  await new Promise<void>((acquired) => void navigator.locks.request(name, { mode: 'shared' }, () => (acquired(), released)));
  return release;
}
