// Headers for pages that run Airlock. Why each one is there is in the README.
import type { ServerResponse } from 'node:http';

/** cross-origin isolation: SharedArrayBuffer, so WASM runs with threads */
export const ISOLATION_HEADERS: Readonly<Record<string, string>> = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
};

/**
 * The strictest policy Airlock runs under: scripts, workers and requests from this origin only,
 * no `eval`, no `blob:` or `data:` scripts; only WebAssembly compilation is allowed (onnxruntime).
 */
export const STRICT_CSP =
  "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; worker-src 'self'; connect-src 'self'";

export const FILE_HEADERS: Readonly<Record<string, string>> = {
  // model and runtime files are for this origin's pages only
  'Cross-Origin-Resource-Policy': 'same-origin',
  'X-Content-Type-Options': 'nosniff',
};

/**
 * CORS for a page on another origin that uses this server as its model origin. The worker fetches
 * without credentials, so the page's origin alone is enough; Content-Range is exposed so that an
 * interrupted download can resume with Range. An origin not in `allowed` gets nothing.
 */
export function corsHeaders(requestOrigin: string | undefined, allowed: readonly string[]): Record<string, string> {
  if (allowed.length === 0) return {};
  // every answer varies by Origin, not only the allowed ones: a cache in front must not hand an
  // answer without CORS headers to an allowed page
  if (!requestOrigin || !allowed.includes(requestOrigin)) return { Vary: 'Origin' };
  return {
    'Access-Control-Allow-Origin': requestOrigin,
    'Access-Control-Expose-Headers': 'Content-Range, Accept-Ranges, Content-Length, ETag',
    'Access-Control-Allow-Methods': 'GET, HEAD',
    'Access-Control-Allow-Headers': 'Range',
    'Access-Control-Max-Age': '600',
    Vary: 'Origin',
  };
}

const CONTENT_TYPES: Record<string, string> = {
  '.onnx': 'application/octet-stream',
  '.onnx_data': 'application/octet-stream',
  '.data': 'application/octet-stream',
  '.bin': 'application/octet-stream',
  '.wasm': 'application/wasm',
  '.mjs': 'text/javascript',
  '.js': 'text/javascript',
  '.json': 'application/json',
  '.txt': 'text/plain; charset=utf-8',
  '.html': 'text/html; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.png': 'image/png',
  '.svg': 'image/svg+xml',
  '.ico': 'image/x-icon',
  '.webp': 'image/webp',
  '.woff2': 'font/woff2',
  '.map': 'application/json',
};

/** The content type for a file name, or undefined when its extension is not one we know. */
export function contentTypeFor(path: string): string | undefined {
  const dot = path.lastIndexOf('.');
  return dot < 0 ? undefined : CONTENT_TYPES[path.slice(dot).toLowerCase()];
}

export function setCommonHeaders(
  res: ServerResponse,
  extra: Readonly<Record<string, string>> = {},
  isolate = true,
): void {
  for (const [k, v] of Object.entries({ ...(isolate ? ISOLATION_HEADERS : {}), ...FILE_HEADERS, ...extra }))
    res.setHeader(k, v);
}
