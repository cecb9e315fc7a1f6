// Node only: a small HTTP server for the internal origin. It serves model folders, the
// self-hosted ORT runtime files and, optionally, a built app, with correct content types,
// Range support and a plain 404 for anything missing (never an HTML fallback).
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { DEFAULT_MODEL_BASE, DEFAULT_RUNTIME_BASE } from '../../shared/defaults.js';
import { ortDistDir, ortRuntimeFiles } from '../ort-files.js';
import { corsHeaders, setCommonHeaders } from './headers.js';
import { staticDir } from './static-files.js';

export type Handler = (req: IncomingMessage, res: ServerResponse, next: () => void) => void;

export interface ServeOptions {
  modelsDir: string;
  /** URL path of the models; default `/models/` */
  modelsPath?: string;
  /** URL path of the ORT runtime files; default `/airlock/ort/` */
  runtimePath?: string;
  /** which ORT runtime files to serve there; default every pair the installed onnxruntime-web has */
  runtimeFiles?: readonly string[];
  /** a built app to serve at `/` */
  appDir?: string;
  /** handlers tried before the static routes (tests use this to misbehave on cue) */
  before?: Handler[];
  host?: string;
  port?: number;
  /** send COOP/COEP so pages are cross-origin isolated (WASM threads); default true */
  isolate?: boolean;
  /** a Content-Security-Policy for every response (pages and worker scripts alike), e.g. STRICT_CSP */
  csp?: string;
  /**
   * origins of pages that may fetch from this server when it is their model origin (a host of its
   * own): their requests get CORS headers; others get none
   */
  corsOrigins?: readonly string[];
  /** the OTLP logs receiver for POST /v1/logs (`collectorHandler(file)`, `airlock serve --collect`) */
  collector?: Handler;
}

export interface RunningServer {
  server: Server;
  origin: string;
  close(): Promise<void>;
}

function mount(prefix: string, handler: Handler): Handler {
  return (req, res, next) => {
    const url = req.url ?? '/';
    if (!url.startsWith(prefix)) return next();
    const saved = req.url;
    req.url = `/${url.slice(prefix.length)}`;
    handler(req, res, () => {
      req.url = saved;
      next();
    });
  };
}

function notFound(res: ServerResponse): void {
  res.statusCode = 404;
  res.setHeader('Content-Type', 'text/plain; charset=utf-8');
  res.end('not found\n');
}

export function createAirlockHandler(options: ServeOptions): Handler[] {
  const runtimePath = options.runtimePath ?? DEFAULT_RUNTIME_BASE;
  const runtimeFiles = new Set(options.runtimeFiles ?? ortRuntimeFiles());
  const ort = staticDir(ortDistDir());
  const models = staticDir(options.modelsDir);
  const handlers: Handler[] = [
    ...(options.before ?? []),
    mount(runtimePath, (req, res, next) => {
      // only the runtime files, not the rest of the package
      const name = (req.url ?? '').slice(1).split('?')[0] ?? '';
      return runtimeFiles.has(name) ? ort(req, res, next) : notFound(res);
    }),
    mount(options.modelsPath ?? DEFAULT_MODEL_BASE, (req, res) => models(req, res, () => notFound(res))),
  ];
  if (options.appDir) handlers.push(staticDir(options.appDir, { index: true }));
  return handlers;
}

/** GET and HEAD only; each handler in turn, until one answers; a plain 404 when none does. */
export function answer(handlers: readonly Handler[], req: IncomingMessage, res: ServerResponse): void {
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    res.statusCode = 405;
    return void res.end();
  }
  const run = (i: number): void => {
    const handler = handlers[i];
    if (!handler) return notFound(res);
    handler(req, res, () => run(i + 1));
  };
  run(0);
}

export function serve(options: ServeOptions): Promise<RunningServer> {
  const handlers = createAirlockHandler(options);
  const server = createServer((req, res) => {
    setCommonHeaders(
      res,
      { 'Cache-Control': 'no-cache', ...(options.csp && { 'Content-Security-Policy': options.csp }) },
      options.isolate ?? true,
    );
    const cors = corsHeaders(req.headers.origin, options.corsOrigins ?? []);
    for (const [k, v] of Object.entries(cors)) res.setHeader(k, v);
    const rest = () => {
      if (req.method === 'OPTIONS' && 'Access-Control-Allow-Origin' in cors) {
        res.statusCode = 204; // a preflight from an allowed page
        return res.end();
      }
      answer(handlers, req, res);
    };
    if (options.collector) return options.collector(req, res, rest);
    rest();
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => {
      const { address, port } = server.address() as AddressInfo;
      resolve({
        server,
        origin: `http://${address}:${port}`,
        close: () =>
          new Promise((done) => {
            server.closeAllConnections();
            server.close(() => done());
          }),
      });
    });
  });
}
