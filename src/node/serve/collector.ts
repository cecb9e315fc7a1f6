// Node only: an OTLP/HTTP JSON logs receiver for small setups (`airlock serve --collect <file>`).
// Each request body a runtime posts to /v1/logs becomes one line of <file> (JSON Lines), appended
// in the order the requests came; a fleet's log goes to an OpenTelemetry Collector instead.
import { appendFile } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Handler } from './server.js';

export const COLLECTOR_PATH = '/v1/logs';
/** the largest body taken (a batch of 100 events is some 100 KB) */
export const MAX_COLLECTOR_BYTES = 4 * 2 ** 20;

function reply(res: ServerResponse, status: number, body: string, type = 'text/plain; charset=utf-8'): void {
  res.statusCode = status;
  res.setHeader('Content-Type', type);
  res.end(body);
}

/** The body, or undefined (and the request answered 413) once it passes `max` bytes. */
function readBody(req: IncomingMessage, res: ServerResponse, max: number): Promise<Buffer | undefined> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > max) {
        req.removeAllListeners('data');
        req.resume();
        reply(res, 413, `body over ${max} bytes\n`);
        return resolve(undefined);
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(size > max ? undefined : Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

/** The request, checked; undefined once it has been answered with its error. */
async function received(req: IncomingMessage, res: ServerResponse, max: number): Promise<unknown> {
  const type = (req.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
  if (type !== 'application/json') return reply(res, 415, 'Content-Type must be application/json\n');
  if (Number(req.headers['content-length'] ?? 0) > max) return reply(res, 413, `body over ${max} bytes\n`);
  const body = await readBody(req, res, max);
  if (!body) return undefined;
  try {
    const parsed = JSON.parse(body.toString('utf8')) as unknown;
    if (typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed)) return parsed;
  } catch {
    // answered below
  }
  reply(res, 400, 'the body is not an OTLP JSON object\n');
  return undefined;
}

/**
 * POST /v1/logs: appends the body (re-serialised on one line) to `file` and answers as an OTLP
 * receiver does, 200 `{"partialSuccess":{}}`; 415, 413 and 400 for what it cannot take, 500 when
 * the file cannot be written (the runtime retries). A preflight from a CORS page is answered too.
 */
export function collectorHandler(file: string, maxBytes = MAX_COLLECTOR_BYTES): Handler {
  let appending = Promise.resolve();
  return (req, res, next) => {
    if ((req.url ?? '').split('?')[0] !== COLLECTOR_PATH) return next();
    if (req.method === 'OPTIONS') {
      if (res.hasHeader('Access-Control-Allow-Origin')) {
        res.setHeader('Access-Control-Allow-Methods', 'POST');
        res.setHeader('Access-Control-Allow-Headers', 'Content-Type');
      }
      res.statusCode = 204;
      return void res.end();
    }
    if (req.method !== 'POST') {
      res.setHeader('Allow', 'POST');
      return reply(res, 405, 'POST only\n');
    }
    void received(req, res, maxBytes).then(async (request) => {
      if (request === undefined) return;
      const line = `${JSON.stringify(request)}\n`;
      const written = appending.then(() => appendFile(file, line));
      appending = written.catch(() => undefined);
      try {
        await written;
        reply(res, 200, '{"partialSuccess":{}}', 'application/json');
      } catch {
        reply(res, 500, 'the collector could not write its file\n');
      }
    });
  };
}
