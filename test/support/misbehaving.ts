// Model origins that misbehave on cue.
// - misbehavingModels, for the tests that check what reaches the engines: `/bad/<case>/<model>/<file>`
//   serves models/<model>/<file>, except for the first .onnx file, which it spoils as <case> says.
// - flakyModels, for the model store's tests: `/flaky/<mode>/<model>/<file>` drops connections,
//   ignores Range, trickles, and logs every request (see FLAKY_MODES).
import { readFile } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { join } from 'node:path';
import type { Handler } from '../../src/node/serve/server.js';
import { MODELS_DIR } from './paths.js';

export const CASES = ['flip', 'short', 'long', 'html', 'status500', 'redirect', 'missing'] as const;
export type Case = (typeof CASES)[number];

export function misbehavingModels(foreignOrigin: string): Handler {
  return (req, res, next) => {
    const match = /^\/bad\/([a-z0-9]+)\/([a-z0-9-]+)\/(.+)$/.exec((req.url ?? '').split('?')[0]!);
    if (!match) return next();
    const [, kind, model, file] = match as unknown as [string, Case, string, string];
    void (async () => {
      const bytes = await readFile(join(MODELS_DIR, model, file)).catch(() => undefined);
      if (!bytes) {
        res.statusCode = 404;
        return res.end();
      }
      if (!file.endsWith('.onnx')) {
        res.setHeader('Content-Type', 'application/json');
        return res.end(bytes);
      }
      switch (kind) {
        case 'flip': // one byte changed, same size
          bytes.writeUInt8(bytes.readUInt8(bytes.length >> 1) ^ 0xff, bytes.length >> 1);
          return res.end(bytes);
        case 'short': // the connection ends early
          res.setHeader('Content-Length', String(bytes.length));
          res.write(bytes.subarray(0, bytes.length >> 1));
          return res.destroy();
        case 'long': // more bytes than the manifest says
          return res.end(Buffer.concat([bytes, Buffer.from('trailing')]));
        case 'html': // a server that answers 200 with a page for anything
          res.setHeader('Content-Type', 'text/html');
          return res.end('<!doctype html><title>Portal</title><p>Welcome</p>');
        case 'status500':
          res.statusCode = 500;
          return res.end('internal error');
        case 'redirect': // to another origin: the request must never go there
          res.statusCode = 302;
          res.setHeader('Location', `${foreignOrigin}/stolen/${file}`);
          return res.end();
        case 'missing':
          res.statusCode = 404;
          return res.end();
      }
    })();
  };
}

/**
 * What `/flaky/<mode>/<model>/<file>` does to every file but manifest.json (always served whole):
 * - `ok`: served with Range support (`bytes=a-`, `bytes=a-b`; 206, or 416 when unsatisfiable)
 * - `cut<N>`: a request for the whole file gets its full headers, N body bytes, then a dropped
 *   connection; a Range request is served as `ok`, so only a client that resumes gets the file
 *   (the browser may repeat a broken request by itself, and that repeat is cut too)
 * - `cutalways<N>`: every request is cut so, Range honoured (a resuming client gains N bytes a try)
 * - `norange`: Range ignored, always 200 with the whole file and no Accept-Ranges
 * - `slow<B>`: as `ok`, but the body goes out B bytes every 100 ms, until the client leaves
 * - `html`: 200 with a text/html page; `status500`: 500
 * - `flip`: as `ok`, on a copy with its middle byte changed
 * - `noheaders`: the request is taken and never answered, not even a status line, until the
 *   client gives up (or the origin goes down)
 */
export const FLAKY_MODES = [
  'ok',
  'cut',
  'cutalways',
  'norange',
  'slow',
  'html',
  'status500',
  'flip',
  'noheaders',
] as const;
type FlakyMode = (typeof FLAKY_MODES)[number];

export interface FlakyRequest {
  /** the URL path */
  url: string;
  /** the Range header as received */
  range: string | undefined;
  /** the status sent; 0 when the socket was destroyed without a response (down) */
  status: number;
  /** body bytes handed to the socket; grows while a `slow` body is still going out */
  bytesSent: number;
}

export interface FlakyOrigin {
  /** to pass in serve({ before: [...] }) */
  handler: Handler;
  /** every /flaky/ request handled, in arrival order; the same array for the origin's life */
  requests: FlakyRequest[];
  /** clears the log and the per-path counters (not down) */
  reset(): void;
  /** while on, every /flaky/ request has its socket destroyed without a response, and so have the answers in flight: the server went away */
  down(on: boolean): void;
}

const FLAKY_URL = /^\/flaky\/([a-z0-9]+)\/([a-z0-9-]+)\/(.+)$/;
const WITH_NUMBER: readonly FlakyMode[] = ['cut', 'cutalways', 'slow'];

function parseMode(text: string): { mode: FlakyMode; n: number } | undefined {
  // names first: `status500` is a name, not `status` with a number
  const plain = FLAKY_MODES.find((m) => m === text && !WITH_NUMBER.includes(m));
  if (plain) return { mode: plain, n: 0 };
  const [, name, digits] = /^(cut|cutalways|slow)(\d+)$/.exec(text) ?? [];
  const mode = WITH_NUMBER.find((m) => m === name);
  const n = Number(digits);
  return !mode || (mode === 'slow' && n === 0) ? undefined : { mode, n }; // slow0 would never finish
}

/** The one range asked for; undefined (send it all) when absent or of a form we don't take. */
function parseRange(
  header: string | undefined,
  size: number,
): { start: number; end: number } | 'unsatisfiable' | undefined {
  const m = header === undefined ? null : /^bytes=(\d+)-(\d*)$/.exec(header.trim());
  if (!m) return undefined; // RFC 9110 lets a server ignore a Range it does not support
  const start = Number(m[1]);
  const end = m[2] ? Math.min(Number(m[2]), size - 1) : size - 1;
  return start >= size || start > end ? 'unsatisfiable' : { start, end };
}

interface Sending {
  /** write this many body bytes, then destroy the socket */
  cutAfter?: number;
  /** write the body this many bytes every 100 ms */
  piece?: number;
}

function send(
  req: IncomingMessage,
  res: ServerResponse,
  log: FlakyRequest,
  status: number,
  headers: Record<string, string>,
  body: Buffer,
  how: Sending = {},
): void {
  log.status = status;
  res.writeHead(status, { ...headers, 'Content-Length': String(body.length) });
  if (req.method === 'HEAD') return void res.end();
  // bytes are counted when handed over, so the log is settled as soon as the client has them
  const write = (chunk: Buffer, then: () => void): void => {
    log.bytesSent += chunk.length;
    res.write(chunk, then);
  };
  // the drop comes a moment after the bytes, as on a real network: a client has them in hand by then
  if (how.cutAfter !== undefined)
    return write(body.subarray(0, how.cutAfter), () => void setTimeout(() => res.destroy(), 150));
  const piece = how.piece;
  if (piece === undefined) {
    log.bytesSent = body.length;
    return void res.end(body);
  }
  let at = 0;
  let gone = false;
  let timer: NodeJS.Timeout | undefined;
  res.once('close', () => {
    gone = true; // the client left (or it all went): write no more
    clearTimeout(timer);
  });
  const tick = (): void => {
    if (gone) return;
    const chunk = body.subarray(at, at + piece);
    at += chunk.length;
    if (at < body.length) return write(chunk, () => void (timer = setTimeout(tick, 100)));
    log.bytesSent += chunk.length;
    res.end(chunk);
  };
  tick();
}

/** One request's answer: `send` with the request, response and log entry already given. */
type Reply = (status: number, headers: Record<string, string>, body: Buffer, how?: Sending) => void;

/** The model's file, or undefined when it is missing or the path climbs out of the model. */
async function readModelFile(root: string, model: string, file: string): Promise<Buffer | undefined> {
  if (file.split('/').includes('..')) return undefined;
  return readFile(join(root, model, file)).catch(() => undefined);
}

/** Answers a file request as its mode says (manifest.json always whole). */
function answerFile(
  req: IncomingMessage,
  reply: Reply,
  parsed: { mode: FlakyMode; n: number },
  file: string,
  bytes: Buffer | undefined,
): void {
  if (!bytes) return reply(404, {}, Buffer.alloc(0));
  const type = { 'Content-Type': file.endsWith('.json') ? 'application/json' : 'application/octet-stream' };
  if (file === 'manifest.json') return reply(200, type, bytes);
  const { mode, n } = parsed;
  switch (mode) {
    case 'html':
      return reply(
        200,
        { 'Content-Type': 'text/html' },
        Buffer.from('<!doctype html><title>Portal</title><p>Welcome</p>'),
      );
    case 'status500':
      return reply(500, { 'Content-Type': 'text/plain' }, Buffer.from('internal error\n'));
    case 'norange':
      return reply(200, type, bytes);
    case 'noheaders': // the log keeps status 0: nothing was sent
      return;
    case 'flip': // then served like ok, Range and all
      bytes.writeUInt8(bytes.readUInt8(bytes.length >> 1) ^ 0xff, bytes.length >> 1);
  }
  const how: Sending = {};
  if (mode === 'cutalways' || (mode === 'cut' && req.headers.range === undefined)) how.cutAfter = n;
  if (mode === 'slow') how.piece = n;
  answerRange(req, reply, { ...type, 'Accept-Ranges': 'bytes' }, bytes, how);
}

/** The whole file (200), the range asked for (206), or 416 when that range lies past the end. */
function answerRange(
  req: IncomingMessage,
  reply: Reply,
  headers: Record<string, string>,
  bytes: Buffer,
  how: Sending,
): void {
  const range = parseRange(req.headers.range, bytes.length);
  if (range === 'unsatisfiable')
    return reply(416, { ...headers, 'Content-Range': `bytes */${bytes.length}` }, Buffer.alloc(0));
  if (!range) return reply(200, headers, bytes, how);
  const { start, end } = range;
  reply(
    206,
    { ...headers, 'Content-Range': `bytes ${start}-${end}/${bytes.length}` },
    bytes.subarray(start, end + 1),
    how,
  );
}

export function flakyModels(root: string = MODELS_DIR): FlakyOrigin {
  const requests: FlakyRequest[] = [];
  let isDown = false;
  const inFlight = new Set<IncomingMessage>();

  const handler: Handler = (req, res, next) => {
    const url = (req.url ?? '').split('?')[0]!;
    const match = FLAKY_URL.exec(url);
    if (!match) return next();
    const [, modeText, model, file] = match as unknown as [string, string, string, string];
    const log: FlakyRequest = { url, range: req.headers.range, status: 0, bytesSent: 0 };
    requests.push(log);
    if (isDown) return void req.socket.destroy(); // not even a status line
    inFlight.add(req);
    res.once('close', () => inFlight.delete(req));
    const reply: Reply = (status, headers, body, how) => send(req, res, log, status, headers, body, how);
    const parsed = parseMode(modeText);
    if (!parsed) return reply(400, { 'Content-Type': 'text/plain' }, Buffer.from(`unknown flaky mode ${modeText}\n`));
    void readModelFile(root, model, file).then((bytes) => answerFile(req, reply, parsed, file, bytes));
  };

  return {
    handler,
    requests,
    reset: () => {
      requests.length = 0; // in place: callers may hold the array
    },
    down: (on) => {
      isDown = on;
      // going away drops the answers still on their way too
      if (on) for (const req of inFlight) req.socket.destroy();
    },
  };
}
