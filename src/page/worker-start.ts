// Why a worker never started. A worker whose script cannot be fetched (a wrong workerUrl, an
// offline page, a server that answers with its index.html) fires a bare `error` event with no
// message; the script's URL is asked for again to say what the server answered.
import { AirlockError } from '../errors.js';

const JAVASCRIPT = /^(text|application)\/(x-)?(javascript|ecmascript)$/;

async function answerOf(url: string): Promise<{ status: number; contentType: string; error?: string }> {
  try {
    const res = await fetch(url, { cache: 'no-store', credentials: 'same-origin', redirect: 'error' });
    void res.body?.cancel().catch(() => undefined);
    return {
      status: res.status,
      contentType: (res.headers.get('content-type') ?? '').split(';')[0]!.trim().toLowerCase(),
    };
  } catch (e) {
    return { status: 0, contentType: '', error: (e as Error)?.message ?? String(e) };
  }
}

/**
 * The error for a worker that failed before it said hello. `url` is the script's, when the page
 * named it (workerUrl); the library's own worker is bundled with the page, so its URL is the
 * bundler's.
 */
export async function workerStartError(url: string | undefined, message: string): Promise<AirlockError> {
  const offline = typeof navigator !== 'undefined' && navigator.onLine === false ? ' (the browser is offline)' : '';
  const ran = message ? `: ${message}` : '';
  if (!url) {
    return new AirlockError(
      'WORKER_CRASHED',
      `The worker could not start: the library's worker script, which the bundler emits next to the page's scripts, failed to load or to run${offline}${ran}. Check that it is served, or host it yourself and pass workerUrl`,
      { reason: 'worker-script' },
    );
  }
  const answer = await answerOf(url);
  const { status, contentType } = answer;
  const why =
    answer.error !== undefined
      ? `could not be fetched${offline} (${answer.error})`
      : status < 200 || status > 299
        ? `answered HTTP ${status}`
        : contentType === 'text/html'
          ? 'answered with an HTML page (text/html), not a script'
          : !JAVASCRIPT.test(contentType)
            ? `is served as ${contentType || 'no content type'}; a module worker needs a JavaScript content type`
            : `loaded but failed to run${ran}`;
  return new AirlockError(
    'WORKER_CRASHED',
    `The worker could not start: its script at ${url} ${why}. Check workerUrl; the next call tries again`,
    {
      reason: 'worker-script',
      url,
      status,
      contentType,
    },
  );
}
