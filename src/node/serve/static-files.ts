// Files of one folder, answered by us rather than a library: every header is ours to choose.
// - Range per RFC 9110 (./range.ts); Content-Length always the bytes that follow.
// - Never a hidden name (`.env`, `.git/`), never a link whose real path leaves the folder or
//   passes through a hidden name: a model folder cloned with git, or assembled with links, must
//   not leak what lies beside or behind it.
// - Never a Content-Encoding: `x.onnx.gz` is a file of its own, verified by its own hash; a client
//   told it is gzip would hand the decoded bytes on, and they would not match.
// - Never a directory listing; `index.html` for a folder only where asked (an app, not models).
import { constants, type Stats } from 'node:fs';
import { open, realpath, stat, type FileHandle } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { join } from 'node:path';
import { pipeline } from 'node:stream';
import { contentTypeFor } from './headers.js';
import { parseRange } from './range.js';
import { requestSegments, segmentsInside } from './request-path.js';
import type { Handler } from './server.js';

export interface StaticOptions {
  /** answer a folder's URL with its index.html (a built app); default false */
  index?: boolean;
}

/** errors that mean "no such file to serve here" */
const ABSENT = new Set(['ENOENT', 'ENOTDIR', 'ELOOP', 'EISDIR', 'ENAMETOOLONG', 'EACCES', 'EPERM']);
const absent = (error: unknown) => ABSENT.has((error as NodeJS.ErrnoException).code ?? '');

interface Found {
  real: string;
  /** the name its content type comes from: the one asked for, not the link's target */
  name: string;
}

/** The real path of the file a request names, when it may be served; undefined otherwise. */
async function resolveFile(root: string, segments: readonly string[], index: boolean): Promise<Found | undefined> {
  try {
    // resolved on every request: models may be added, and the folder itself may be a link
    const rootReal = await realpath(root);
    const real = await realpath(join(rootReal, ...segments));
    const inside = segmentsInside(rootReal, real);
    if (!inside) return undefined;
    const found = await stat(real);
    const name = segments.at(-1) ?? '';
    if (found.isFile()) return name === '' ? undefined : { real, name };
    if (!found.isDirectory() || !index) return undefined;
    return resolveFile(root, [...inside, 'index.html'], false);
  } catch (error) {
    if (absent(error)) return undefined;
    throw error;
  }
}

/** a strong validator: nginx builds its ETag from the same two facts */
const etagOf = (file: Stats) => `"${Math.floor(file.mtimeMs).toString(16)}-${file.size.toString(16)}"`;

function notModified(req: IncomingMessage, etag: string): boolean {
  const header = req.headers['if-none-match'];
  if (!header) return false;
  return header.trim() === '*' || header.split(',').some((tag) => tag.trim().replace(/^W\//, '') === etag);
}

/**
 * If-Range: a Range holds only while the file is the one the client started on. A date is a
 * strong validator only when the file is at least a second older than now (RFC 9110 §13.1.5):
 * a file changed twice within one second has one Last-Modified for both.
 */
function rangeStillValid(req: IncomingMessage, etag: string, file: Stats): boolean {
  const ifRange = req.headers['if-range'];
  if (ifRange === undefined || ifRange === etag) return true;
  const settled = Math.floor(Date.now() / 1000) - Math.floor(file.mtimeMs / 1000) >= 1;
  return settled && ifRange === file.mtime.toUTCString();
}

function send(req: IncomingMessage, res: ServerResponse, handle: FileHandle, name: string, file: Stats): void {
  const etag = etagOf(file);
  const lastModified = file.mtime.toUTCString();
  res.setHeader('Content-Type', contentTypeFor(name) ?? 'application/octet-stream');
  res.setHeader('Accept-Ranges', 'bytes');
  res.setHeader('ETag', etag);
  res.setHeader('Last-Modified', lastModified);
  res.setHeader('Cache-Control', 'no-cache');
  const done = (status: number, length?: number) => {
    res.statusCode = status;
    if (length !== undefined) res.setHeader('Content-Length', String(length));
    void handle.close();
    res.end();
  };
  if (notModified(req, etag)) return done(304);
  const range = rangeStillValid(req, etag, file)
    ? parseRange(req.headers.range, file.size)
    : { kind: 'whole' as const };
  if (range.kind === 'unsatisfiable') {
    res.setHeader('Content-Range', `bytes */${file.size}`);
    return done(416, 0);
  }
  const [start, end] = range.kind === 'slice' ? [range.start, range.end] : [0, file.size - 1];
  if (range.kind === 'slice') res.setHeader('Content-Range', `bytes ${start}-${end}/${file.size}`);
  const status = range.kind === 'slice' ? 206 : 200;
  const length = end - start + 1;
  if (req.method === 'HEAD' || length === 0) return done(status, length);
  res.statusCode = status;
  res.setHeader('Content-Length', String(length));
  // a client that leaves early ends the pipeline with an error: nothing more to send then
  pipeline(handle.createReadStream({ start, end }), res, () => undefined);
}

async function answerFile(root: string, index: boolean, req: IncomingMessage, res: ServerResponse): Promise<boolean> {
  const segments = requestSegments(req.url ?? '/');
  if (!segments) return false;
  const found = await resolveFile(root, segments, index);
  if (!found) return false;
  // the resolved path, not followed again: a link swapped in meanwhile is not taken
  const handle = await open(found.real, constants.O_RDONLY | (constants.O_NOFOLLOW ?? 0)).catch((error: unknown) => {
    if (absent(error)) return undefined;
    throw error;
  });
  if (!handle) return false;
  const file = await handle.stat();
  if (!file.isFile()) {
    await handle.close();
    return false;
  }
  send(req, res, handle, found.name, file);
  return true;
}

/** Serves the files of `root`; anything it does not serve goes to `next`. */
export function staticDir(root: string, options: StaticOptions = {}): Handler {
  return (req, res, next) => {
    answerFile(root, options.index ?? false, req, res).then(
      (served) => served || next(),
      () => {
        if (res.headersSent) return void res.destroy();
        res.statusCode = 500;
        res.end();
      },
    );
  };
}
