// One file from the hub into a `.part` file: redirects followed by hand (the token never follows
// them), resumed with Range after a cut, and checked for size and hash before it counts.
import { createHash, type Hash } from 'node:crypto';
import { open, rm, stat } from 'node:fs/promises';
import { CliError, ioError } from './errors.js';
import { gitBlobId, hashInto } from './file-hash.js';
import { hubError, request, type HubClient } from './hub-client.js';

export interface WantedFile {
  path: string;
  size: number;
  /** the LFS object's SHA-256, when the hub stores the file in LFS */
  sha256?: string | undefined;
  /** the git blob id, for regular files */
  blobId?: string | undefined;
}

export interface DownloadContext {
  client: HubClient;
  repo: string;
  commit: string;
  /** bytes that arrived, for the progress display */
  onBytes: (n: number) => void;
  /** how many times a cut transfer is picked up again */
  retries?: number;
  /** how long a transfer may send nothing before it counts as cut; default 60 s */
  idleMs?: number | undefined;
}

export interface Downloaded {
  sha256: string;
  /** whether some of it came from an earlier, cut transfer */
  resumed: boolean;
}

const MAX_REDIRECTS = 5;
const IDLE_MS = 60_000;

async function sizeOf(path: string): Promise<number> {
  return stat(path).then(
    (s) => s.size,
    () => 0,
  );
}

/** GET `url` with `range`, following redirects; the token goes to the hub only. */
async function get(ctx: DownloadContext, file: WantedFile, range: number, signal: AbortSignal): Promise<Response> {
  let url = ctx.client.resolveUrl(ctx.repo, ctx.commit, file.path);
  for (let hop = 0; hop <= MAX_REDIRECTS; hop++) {
    const headers = { ...ctx.client.headersFor(url), ...(range > 0 && { Range: `bytes=${range}-` }) };
    const res = await request(url, headers, signal);
    const location = res.headers.get('location');
    if (res.status < 300 || res.status >= 400 || !location) return res;
    await res.body?.cancel();
    url = new URL(location, url).href;
    if (!/^https?:$/.test(new URL(url).protocol)) break;
  }
  throw new CliError(
    'HUB_ERROR',
    `the hub redirected ${file.path} too often or to a non-http location`,
    'Try again later, or check --hub',
  );
}

/** Appends the body to `part`, hashing as it goes; a cut or stalled body rejects with NETWORK. */
async function receive(
  res: Response,
  part: string,
  hash: Hash,
  file: WantedFile,
  start: number,
  ctx: DownloadContext,
  idle: () => void,
): Promise<void> {
  const fh = await open(part, start > 0 ? 'a' : 'w').catch((e: unknown) => {
    throw ioError(`write ${part}`, e);
  });
  let have = start;
  try {
    const reader = res.body!.getReader();
    for (;;) {
      const { done, value } = await reader.read().catch((e: unknown) => {
        throw new CliError(
          'NETWORK',
          `the transfer of ${file.path} broke off at ${have} of ${file.size} bytes (${(e as Error).message})`,
          'Run again: it resumes where it stopped',
        );
      });
      if (done) break;
      idle();
      have += value.length;
      if (have > file.size) throw tooLong(file);
      await fh.write(value).catch((e: unknown) => {
        throw ioError(`write ${part}`, e);
      });
      hash.update(value);
      ctx.onBytes(value.length);
    }
  } finally {
    await fh.close().catch(() => undefined);
  }
  if (have < file.size) {
    throw new CliError(
      'NETWORK',
      `the transfer of ${file.path} ended at ${have} of ${file.size} bytes`,
      'Run again: it resumes where it stopped',
    );
  }
}

function tooLong(file: WantedFile): CliError {
  return new CliError(
    'VERIFICATION_FAILED',
    `the hub sent more than the ${file.size} bytes it lists for ${file.path}`,
    "Nothing was kept; run again, or report the hub's storage",
  );
}

/** One attempt: from what `part` holds, to the end. */
async function attempt(
  ctx: DownloadContext,
  file: WantedFile,
  part: string,
): Promise<{ hash: Hash; resumed: boolean }> {
  let start = await sizeOf(part);
  if (start > file.size) start = 0;
  const idleAbort = new AbortController();
  const idleMs = ctx.idleMs ?? IDLE_MS;
  let timer = setTimeout(() => idleAbort.abort(), idleMs);
  const idle = () => {
    clearTimeout(timer);
    timer = setTimeout(() => idleAbort.abort(), idleMs);
  };
  try {
    if (start === file.size && file.size > 0) return await rehash(part, true);
    const res = await get(ctx, file, start, idleAbort.signal);
    if (res.status === 206 && contentRangeStart(res) === start) {
      const hash = createHash('sha256');
      await hashInto(hash, part);
      await receive(res, part, hash, file, start, ctx, idle);
      return { hash, resumed: start > 0 };
    }
    if (res.status !== 200)
      throw await hubError(res, {
        repo: ctx.repo,
        revision: ctx.commit,
        file: file.path,
        hasToken: ctx.client.hasToken,
      });
    const hash = createHash('sha256');
    await receive(res, part, hash, file, 0, ctx, idle); // the whole file again: the server ignored Range
    return { hash, resumed: false };
  } finally {
    clearTimeout(timer);
  }
}

async function rehash(part: string, resumed: boolean): Promise<{ hash: Hash; resumed: boolean }> {
  const hash = createHash('sha256');
  await hashInto(hash, part);
  return { hash, resumed };
}

function contentRangeStart(res: Response): number | undefined {
  const m = /^bytes (\d+)-/.exec(res.headers.get('content-range') ?? '');
  return m ? Number(m[1]) : undefined;
}

/** Checks size and hash; a file that fails is deleted, so nothing wrong is ever kept. */
async function check(file: WantedFile, part: string, sha256: string): Promise<void> {
  const size = await sizeOf(part);
  const bad =
    size !== file.size
      ? `is ${size} bytes, not ${file.size}`
      : file.sha256 && sha256 !== file.sha256
        ? `has SHA-256 ${sha256}, not the hub's ${file.sha256}`
        : !file.sha256 && file.blobId && (await gitBlobId(part, size)) !== file.blobId
          ? `does not match the hub's git blob id ${file.blobId}`
          : undefined;
  if (!bad) return;
  await rm(part, { force: true });
  throw new CliError(
    'VERIFICATION_FAILED',
    `${file.path} as downloaded ${bad}`,
    "Nothing was kept; run again, or report the hub's storage",
    { path: file.path, sha256 },
  );
}

/** Downloads `file` into `part` (resuming what it holds) and checks it. */
export async function downloadFile(ctx: DownloadContext, file: WantedFile, part: string): Promise<Downloaded> {
  const retries = ctx.retries ?? 3;
  for (let i = 0; ; i++) {
    try {
      const { hash, resumed } = await attempt(ctx, file, part);
      const sha256 = hash.digest('hex');
      await check(file, part, sha256);
      return { sha256, resumed: resumed || i > 0 };
    } catch (e) {
      if (!(e instanceof CliError) || e.code !== 'NETWORK' || i >= retries) throw e;
    }
  }
}
