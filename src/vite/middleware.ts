// Dev and preview middleware: the runtime files and the models folder, served the way the
// library's own server does it (content types, Range, a plain 404), plus the page headers.
import type { Connect } from 'vite';
import { ISOLATION_HEADERS, FILE_HEADERS } from '../node/serve/headers.js';
import { answer, createAirlockHandler } from '../node/serve/server.js';
import type { ResolvedOptions } from './options.js';
import { WORKER_RUNTIME_FILES } from '../node/ort-files.js';

/**
 * Sets headers on every response and passes it on. On what Vite itself serves, its own
 * `server.headers` and `preview.headers` are applied later, so a value the app sets there wins.
 */
export function pageHeaders(options: ResolvedOptions, preview: boolean): Connect.NextHandleFunction | undefined {
  const headers: Record<string, string> = {
    ...(options.headers ? ISOLATION_HEADERS : {}),
    // Vite's dev client injects inline styles, so a strict policy would break the dev page
    ...(preview && options.csp ? { 'Content-Security-Policy': options.csp } : {}),
  };
  if (Object.keys(headers).length === 0) return undefined;
  return (_req, res, next) => {
    for (const [k, v] of Object.entries(headers)) res.setHeader(k, v);
    next();
  };
}

/**
 * Answers everything under `runtimeBase` and `modelsPath` itself, missing files included: Vite
 * would answer those with its `index.html` fallback, which transformers.js takes for a real file.
 * Other requests go on to Vite.
 */
export function airlockFiles(options: ResolvedOptions): Connect.NextHandleFunction {
  const routes = createAirlockHandler({
    modelsDir: options.modelsDir,
    modelsPath: options.modelsPath,
    runtimePath: options.runtimeBase,
    runtimeFiles: WORKER_RUNTIME_FILES,
  });
  const ours = (url: string) => url.startsWith(options.runtimeBase) || url.startsWith(options.modelsPath);
  return (req, res, next) => {
    if (!ours(req.url ?? '/')) return next();
    if (options.headers) for (const [k, v] of Object.entries(FILE_HEADERS)) res.setHeader(k, v);
    answer(routes, req, res);
  };
}
