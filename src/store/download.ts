// Downloads one file into the store: its body is cut into chunks as it arrives, each chunk is
// written as soon as it is full, and the file is committed only when its size and SHA-256 match
// the manifest. A broken download keeps its chunks and continues later with a Range request.
import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex } from '@noble/hashes/utils.js';
import { AirlockError, isAirlockError } from '../errors.js';
import type { ManifestFile } from '../manifest/types.js';
import type { FetchLike } from '../policy/guarded-fetch.js';
import { bodyReader } from './body-reader.js';
import { appendChunk, dropFile, scanChunks } from './chunks.js';
import { estimateStorage } from './quota.js';
import type { FileRecord, StoreDb } from './schema.js';

export interface DownloadContext {
  db: StoreDb;
  fetch: FetchLike;
  /** where the file is served */
  url: string;
  file: ManifestFile;
  /** for messages */
  label: string;
  chunkBytes: number;
  signal?: AbortSignal | undefined;
  /** bytes of this file held so far (stored or on their way) */
  onBytes?: ((loaded: number) => void) | undefined;
  /** how often a broken connection is retried within one call */
  retries?: number;
}

/** What is known of a download in progress: the hash always covers exactly the stored bytes. */
interface Partial {
  rec: FileRecord;
  hash: ReturnType<typeof sha256.create>;
}

function mismatch(ctx: DownloadContext, actual: { size: number; sha256?: string; longer?: boolean }): AirlockError {
  const { file } = ctx;
  return new AirlockError('INTEGRITY_MISMATCH', `${ctx.label} does not match its manifest`, {
    path: file.path,
    expected: { size: file.size, sha256: file.sha256 },
    actual,
  });
}

const sleep = (ms: number, signal?: AbortSignal) =>
  new Promise<void>((done) => {
    const timer = setTimeout(done, ms);
    signal?.addEventListener('abort', () => (clearTimeout(timer), done()), { once: true });
  });

/** Starts a fresh partial file, or picks up the stored one after re-hashing what it holds. */
async function begin(db: StoreDb, file: ManifestFile): Promise<Partial | 'complete'> {
  const rec = await db.get('files', file.sha256);
  if (rec?.state === 'complete') return 'complete';
  if (rec && rec.size === file.size) {
    const hash = sha256.create();
    if ((await scanChunks(db, rec, hash)) !== undefined) return { rec, hash };
  }
  // nothing stored, or stored chunks that do not add up: start over
  if (rec) await dropFile(db, file.sha256);
  const fresh: FileRecord = { sha256: file.sha256, size: file.size, state: 'partial', stored: 0, chunks: 0 };
  await db.put('files', fresh);
  return { rec: fresh, hash: sha256.create() };
}

async function restart(db: StoreDb, part: Partial): Promise<void> {
  await dropFile(db, part.rec.sha256);
  part.rec = { ...part.rec, stored: 0, chunks: 0 };
  await db.put('files', part.rec);
  part.hash = sha256.create();
}

/** The byte offset a response's body starts at, from its status and Content-Range. */
function startOf(res: Response): number | undefined {
  if (res.status === 200) return 0;
  if (res.status !== 206) return undefined;
  const m = /^bytes (\d+)-\d+\/(\d+|\*)$/.exec(res.headers.get('content-range') ?? '');
  return m ? Number(m[1]) : undefined;
}

/** One request for the bytes not yet stored; appends them chunk by chunk. */
async function fetchRest(ctx: DownloadContext, part: Partial): Promise<void> {
  const { db, file } = ctx;
  const from = part.rec.stored;
  const headers: HeadersInit = from > 0 ? { Range: `bytes=${from}-` } : {};
  // no-store: the store is the cache; the HTTP cache would hold every model a second time
  const res = await ctx.fetch(ctx.url, { signal: ctx.signal ?? null, cache: 'no-store', headers });
  if (res.status === 416 && from > 0) {
    // the server no longer agrees with what we hold: start again from the first byte
    await res.body?.cancel();
    await restart(db, part);
    return fetchRest(ctx, part);
  }
  if (!res.ok) {
    await res.body?.cancel();
    throw new AirlockError('NETWORK', `${ctx.label} answered HTTP ${res.status}`, { url: ctx.url, status: res.status });
  }
  const start = startOf(res);
  if (start === undefined || (start !== 0 && start !== from)) {
    await res.body?.cancel();
    throw new AirlockError('NETWORK', `${ctx.label} answered a range the store did not ask for`, { url: ctx.url, status: res.status, contentRange: res.headers.get('content-range') });
  }
  // a server that ignores Range sends the whole file again
  if (start === 0 && from > 0) await restart(db, part);

  const chunk = new Uint8Array(Math.max(1, Math.min(ctx.chunkBytes, file.size - part.rec.stored)));
  let filled = 0;
  /** bytes handed to writes, the one in flight included */
  let handed = part.rec.stored;
  // one write in flight while the next chunk fills: the store copies a chunk when the write
  // starts, so the buffer is free again at once
  let writing: Promise<void> = Promise.resolve();
  const flush = async () => {
    if (filled === 0) return;
    const bytes = filled === chunk.byteLength ? chunk : chunk.subarray(0, filled);
    await writing;
    const write = appendChunk(db, part.rec, bytes);
    part.hash.update(bytes);
    handed += filled;
    filled = 0;
    writing = write.then((rec) => void (part.rec = rec));
    writing.catch(() => undefined); // awaited before the next write; this only marks it handled
  };
  const body = res.body ? bodyReader(res.body) : undefined;
  const read = async (into: Uint8Array) => {
    try {
      return await body!.read(into);
    } catch (e) {
      if (ctx.signal?.aborted) throw new AirlockError('ABORTED', `Loading ${ctx.label} was aborted`);
      throw new AirlockError('NETWORK', `${ctx.label} broke off: ${(e as Error)?.message ?? String(e)}`, { url: ctx.url });
    }
  };
  try {
    while (body) {
      const room = Math.min(chunk.byteLength - filled, file.size - handed - filled);
      if (room === 0) {
        // every byte the manifest promises is here: anything more makes the body wrong
        const extra = await read(new Uint8Array(1));
        if (extra !== null) throw mismatch(ctx, { size: file.size + extra, longer: true });
        break;
      }
      const n = await read(chunk.subarray(filled, filled + room));
      if (n === null) break;
      filled += n;
      if (filled === chunk.byteLength) await flush();
      ctx.onBytes?.(handed + filled);
    }
  } finally {
    // keep what arrived, even when the connection broke: the next try resumes after it
    await flush();
    await writing;
    await body?.cancel().catch(() => undefined);
  }
  // the response ended cleanly: the server says this is the whole file, and it is too short
  if (part.rec.stored < file.size) throw mismatch(ctx, { size: part.rec.stored });
}

/**
 * Brings one file into the store, resuming what an earlier call left, and commits it once it is
 * verified. The caller holds the file's lock. On a mismatch nothing of the file stays.
 */
export async function downloadFile(ctx: DownloadContext): Promise<void> {
  const { db, file } = ctx;
  const begun = await begin(db, file);
  if (begun === 'complete') return ctx.onBytes?.(file.size);
  const part = begun;
  ctx.onBytes?.(part.rec.stored);
  const retries = ctx.retries ?? 2;
  for (let attempt = 0; part.rec.stored < file.size; attempt++) {
    if (ctx.signal?.aborted) throw new AirlockError('ABORTED', `Loading ${ctx.label} was aborted`);
    try {
      await fetchRest(ctx, part);
    } catch (e) {
      const code = isAirlockError(e) ? e.code : undefined;
      // nothing worth keeping: no record either (a partial one with bytes stays, to resume)
      if (code === 'INTEGRITY_MISMATCH' || code === 'QUOTA_EXCEEDED' || part.rec.stored === 0) await dropFile(db, file.sha256);
      if (code === 'QUOTA_EXCEEDED') {
        const available = (await estimateStorage())?.available ?? null;
        throw new AirlockError('QUOTA_EXCEEDED', `${ctx.label}: the browser refused to store more, its storage quota is used up (${file.size} bytes needed, ${available ?? 'unknown'} available)`, {
          path: file.path,
          needed: file.size,
          available,
        });
      }
      // a dropped connection is worth another try from where it stopped; an HTTP error is not
      const broken = code === 'NETWORK' && (e as AirlockError).details?.status === undefined;
      if (!broken || attempt >= retries || ctx.signal?.aborted) throw e;
      await sleep(250 * 4 ** attempt, ctx.signal);
    }
  }
  const digest = bytesToHex(part.hash.digest());
  if (digest !== file.sha256) {
    await dropFile(db, file.sha256);
    throw mismatch(ctx, { size: part.rec.stored, sha256: digest });
  }
  await db.put('files', { ...part.rec, state: 'complete', verifiedAt: Date.now() });
}
