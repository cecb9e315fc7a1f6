// How long a download may wait before its connection counts as broken, and how it tries again.
import { AirlockError } from '../../errors.js';
import type { DownloadContext } from './receive.js';

/** How often a broken connection is tried again within one call. */
export const RETRIES = 2;

/** How long a body may send nothing before the connection counts as broken. */
const IDLE_MS = 30_000;

/** Waits before try `attempt + 1`, longer each time; an abort ends the wait at once. */
export const backOff = (attempt: number, signal?: AbortSignal) =>
  new Promise<void>((done) => {
    const timer = setTimeout(done, 250 * 4 ** attempt);
    signal?.addEventListener('abort', () => (clearTimeout(timer), done()), { once: true });
  });

/** A body read that settles as `read` does, or fails when nothing arrives for `IDLE_MS`. */
export async function withinIdle<T>(read: () => Promise<T>): Promise<T> {
  let idle: ReturnType<typeof setTimeout> | undefined;
  try {
    // a connection that stops sending counts as broken: the retry resumes after what arrived
    const stalled = new Promise<never>(
      (_, reject) => (idle = setTimeout(() => reject(new Error(`no data for ${IDLE_MS / 1000} s`)), IDLE_MS)),
    );
    return await Promise.race([read(), stalled]);
  } finally {
    clearTimeout(idle);
  }
}

/**
 * Sends the request and waits for its response headers, at most `headerTimeoutMs`: a request
 * that never gets them counts as a broken connection (NETWORK, no status), so the file's lock is
 * let go and a later try resumes. The body has its own idle timeout.
 */
export async function requestHeaders(
  ctx: Pick<DownloadContext, 'fetch' | 'url' | 'signal' | 'headerTimeoutMs' | 'label'>,
  headers: HeadersInit,
): Promise<Response> {
  const waited = new AbortController();
  const timer = setTimeout(() => waited.abort(), ctx.headerTimeoutMs);
  const signal = ctx.signal ? AbortSignal.any([ctx.signal, waited.signal]) : waited.signal;
  try {
    // no-store: the store is the cache; the HTTP cache would hold every model a second time
    return await ctx.fetch(ctx.url, { signal, cache: 'no-store', headers });
  } catch (e) {
    if (!waited.signal.aborted || ctx.signal?.aborted) throw e;
    throw new AirlockError('NETWORK', `${ctx.label} sent no response headers within ${ctx.headerTimeoutMs / 1000} s`, {
      url: ctx.url,
      timeoutMs: ctx.headerTimeoutMs,
    });
  } finally {
    // only the wait for headers is timed: the controller is never aborted after this
    clearTimeout(timer);
  }
}
