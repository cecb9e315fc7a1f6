// An access log for the model origin: one JSON line per request (time, method, path, status,
// body bytes sent, whether the response was complete, Range, client address, Origin,
// User-Agent), appended to a file. The file is opened before the server listens, so a path that
// cannot be written stops `airlock serve` with a clear error rather than at the first request.
import { open } from 'node:fs/promises';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { ioError } from './errors.js';

export interface AccessLogLine {
  time: string;
  method: string;
  path: string;
  status: number;
  /** body bytes handed to the network (headers not included); a client that left may have received fewer */
  bytes: number;
  /** false when the client left (or the connection broke) before the whole response was sent */
  complete: boolean;
  range: string | null;
  client: string | null;
  origin: string | null;
  userAgent: string | null;
}

export interface AccessLog {
  attach(server: Server): void;
  close(): Promise<void>;
}

/** Body bytes passed to res.write/res.end: an upper bound on what reached the network. */
function countQueued(res: ServerResponse): () => number {
  let bytes = 0;
  const add = (chunk: unknown) => {
    if (typeof chunk === 'string') bytes += Buffer.byteLength(chunk);
    else if (chunk instanceof Uint8Array) bytes += chunk.length;
  };
  const write = res.write.bind(res) as (...a: unknown[]) => boolean;
  const end = res.end.bind(res) as (...a: unknown[]) => ServerResponse;
  res.write = ((chunk: unknown, ...rest: unknown[]) => {
    add(chunk);
    return write(chunk, ...rest);
  }) as ServerResponse['write'];
  res.end = ((chunk?: unknown, ...rest: unknown[]) => {
    if (typeof chunk !== 'function') add(chunk);
    return end(chunk, ...rest);
  }) as ServerResponse['end'];
  return () => bytes;
}

/**
 * Body bytes the socket took for this response: its growth since the request came, less the
 * header block (Node keeps it as `_header`), never more than was queued. What a client that left
 * mid-file got is not knowable here: bytes in the kernel's buffers count as sent.
 */
function countSent(req: IncomingMessage, res: ServerResponse): () => number {
  const socket = req.socket;
  const before = socket.bytesWritten;
  const queued = countQueued(res);
  return () => {
    const header = (res as unknown as { _header?: unknown })._header;
    const headerBytes = typeof header === 'string' ? Buffer.byteLength(header) : 0;
    return Math.max(0, Math.min(queued(), socket.bytesWritten - before - headerBytes));
  };
}

/** `at`: what the request said when it came (the routes rewrite req.url; a gone socket has no address) */
function lineFor(
  req: IncomingMessage,
  res: ServerResponse,
  at: { path: string; client: string | null },
  bytes: number,
): AccessLogLine {
  return {
    time: new Date().toISOString(),
    method: req.method ?? '',
    path: at.path,
    status: res.statusCode,
    bytes: req.method === 'HEAD' ? 0 : bytes,
    complete: res.writableFinished,
    range: req.headers.range ?? null,
    client: at.client,
    origin: req.headers.origin ?? null,
    userAgent: req.headers['user-agent'] ?? null,
  };
}

/** Opens `file` for appending (a CliError, exit 4, when it cannot be); `onError` hears of a later write failure. */
export async function openAccessLog(file: string, onError: (e: unknown) => void): Promise<AccessLog> {
  const handle = await open(file, 'a').catch((e: unknown) => {
    throw ioError(`open the access log ${file}`, e, '--access-log');
  });
  const stream = handle.createWriteStream();
  let failed = false;
  stream.on('error', (e) => {
    if (!failed) onError(e);
    failed = true;
  });
  const onRequest = (req: IncomingMessage, res: ServerResponse) => {
    const at = { path: (req.url ?? '').split('?')[0]!, client: req.socket.remoteAddress ?? null };
    const sent = countSent(req, res);
    let written = false;
    const write = () => {
      if (written || failed) return;
      written = true;
      stream.write(`${JSON.stringify(lineFor(req, res, at, sent()))}\n`);
    };
    res.on('close', write);
  };
  let server: Server | undefined;
  return {
    attach(s) {
      server = s;
      s.prependListener('request', onRequest);
    },
    close: () =>
      new Promise((done) => {
        server?.off('request', onRequest);
        stream.end(done);
      }),
  };
}
