// Why onnxruntime-web could not start. When the first engine of a worker fails to build, the
// runtime files are asked for once more through the guarded fetch, and the first one that is not
// served as it must be is named with its URL and answer: ORT itself says only "no available
// backend found … Failed to fetch dynamically imported module".
import { AirlockError, isAirlockError } from '../../errors.js';
import type { FetchLike } from '../policy/guarded-fetch.js';
import { WORKER_RUNTIME_FILES } from '../../shared/runtime-files.js';
import { mediaType } from '../manifest-body.js';

/** The pair the worker's onnxruntime-web build loads. */
export const RUNTIME_FILES = WORKER_RUNTIME_FILES;

const JAVASCRIPT = /^(text|application)\/(x-)?(javascript|ecmascript)$/;

interface Answer {
  status: number;
  contentType: string;
}

/** What is wrong with one runtime file's answer, or undefined when it can load. */
function fault(name: string, answer: Answer): string | undefined {
  const { status, contentType } = answer;
  if (status < 200 || status > 299) return `answered HTTP ${status}`;
  if (contentType === 'text/html') return 'answered with an HTML page (text/html), not the runtime file';
  if (name.endsWith('.mjs') && !JAVASCRIPT.test(contentType))
    return `is served as ${contentType || 'no content type'}; a module script needs a JavaScript content type`;
  return undefined;
}

async function ask(fetch: FetchLike, url: string): Promise<Answer | { error: string }> {
  try {
    const res = await fetch(url, { cache: 'no-store' });
    // the headers say enough: the body (26 MB for the .wasm) is not needed
    void res.body?.cancel().catch(() => undefined);
    return { status: res.status, contentType: mediaType(res.headers.get('content-type')) };
  } catch (e) {
    return { error: isAirlockError(e) ? e.message : String(e) };
  }
}

/** The first runtime file under `runtimeBase` that cannot load, as the error to report; undefined when all can. */
export async function runtimeProblem(fetch: FetchLike, runtimeBase: string): Promise<AirlockError | undefined> {
  for (const name of RUNTIME_FILES) {
    const url = new URL(name, runtimeBase).href;
    const answer = await ask(fetch, url);
    const why = 'error' in answer ? `could not be fetched (${answer.error})` : fault(name, answer);
    if (!why) continue;
    const { status, contentType } = 'error' in answer ? { status: 0, contentType: '' } : answer;
    return new AirlockError(
      'BACKEND_UNAVAILABLE',
      `onnxruntime-web could not start: its runtime file at ${url} ${why}. Serve onnxruntime-web's runtime files at runtimeBase (${runtimeBase}): in a Vite app the airlock/vite plugin does it; elsewhere copy them from onnxruntime-web's dist/ folder, or set runtimeBase to where they are`,
      { reason: 'runtime-files', url, status, contentType, runtimeBase },
    );
  }
  return undefined;
}

/**
 * Wraps engine creation. When the first engine of this worker fails to build, the runtime files
 * are checked, and a file that is not served is reported as the cause. onnxruntime-web keeps the
 * failure of its first start for the worker's life: the page starts a new worker after that error.
 */
export function explainingRuntimeStart(
  fetch: () => FetchLike,
  runtimeBase: () => string,
): <T>(build: () => Promise<T>) => Promise<T> {
  let started = false;
  return async (build) => {
    if (started) return build();
    try {
      const value = await build();
      started = true;
      return value;
    } catch (e) {
      if (isAirlockError(e) && e.code !== 'BACKEND_UNAVAILABLE') throw e;
      throw (await runtimeProblem(fetch(), runtimeBase())) ?? e;
    }
  };
}
