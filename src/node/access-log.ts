// An access log for the model origin: one JSON line per request (time, method, path, status,
// bytes sent, Range, client address, Origin, User-Agent), appended to a file.
import { createWriteStream } from 'node:fs';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';

export interface AccessLogLine {
  time: string;
  method: string;
  path: string;
  status: number;
  bytes: number;
  range: string | null;
  client: string | null;
  origin: string | null;
  userAgent: string | null;
}

/** Counts the body bytes `res` sends (headers not included). */
function countBytes(res: ServerResponse): () => number {
  let bytes = 0;
  const add = (chunk: unknown) => {
    if (typeof chunk === 'string') bytes += Buffer.byteLength(chunk);
    else if (chunk instanceof Uint8Array) bytes += chunk.length;
  };
  const write = res.write.bind(res) as (...a: unknown[]) => boolean;
  const end = res.end.bind(res) as (...a: unknown[]) => ServerResponse;
  res.write = ((chunk: unknown, ...rest: unknown[]) => { add(chunk); return write(chunk, ...rest); }) as ServerResponse['write'];
  res.end = ((chunk?: unknown, ...rest: unknown[]) => { if (typeof chunk !== 'function') add(chunk); return end(chunk, ...rest); }) as ServerResponse['end'];
  return () => bytes;
}

/** Logs every request `server` answers into `file`; returns a function that closes the log. */
export function attachAccessLog(server: Server, file: string): () => Promise<void> {
  const log = createWriteStream(file, { flags: 'a' });
  const onRequest = (req: IncomingMessage, res: ServerResponse) => {
    const bytes = countBytes(res);
    const path = (req.url ?? '').split('?')[0]!; // now: the server's routes rewrite req.url
    let written = false;
    const write = () => {
      if (written) return;
      written = true;
      const line: AccessLogLine = {
        time: new Date().toISOString(),
        method: req.method ?? '',
        path,
        status: res.statusCode,
        bytes: req.method === 'HEAD' ? 0 : bytes(),
        range: req.headers.range ?? null,
        client: req.socket.remoteAddress ?? null,
        origin: req.headers.origin ?? null,
        userAgent: req.headers['user-agent'] ?? null,
      };
      log.write(`${JSON.stringify(line)}\n`);
    };
    res.on('finish', write);
    res.on('close', write);
  };
  server.prependListener('request', onRequest);
  return () => new Promise((done) => { server.off('request', onRequest); log.end(done); });
}
