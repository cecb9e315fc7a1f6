// Downloads one file into the store: its body is cut into chunks as it arrives, each chunk is
// written as soon as it is full, and the file is committed only when its size and SHA-256 match
// the manifest; a file with pieces has each piece checked as it arrives instead (./pieces.ts).
// A broken download keeps its chunks and continues later with a Range request.
import { AirlockError, isAirlockError } from '../../errors.js';
import type { ManifestFile } from '../../manifest/types.js';
import type { FetchLike } from '../policy/guarded-fetch.js';
import { bodyReader } from './body-reader.js';
import { isComplete } from './file-state.js';
import { appendChunk, commitFile, dropFile, RecordChanged, scanChunks } from './chunks.js';
import { createHasher, digestOf, type Hasher } from './digest.js';
import { DownloadMismatch } from './errors.js';
import { connectionBroke, HttpStatusError } from '../http-status.js';
import { estimateStorage } from '../../shared/storage-estimate.js';
import { isPieced, PieceChecks, pieceLength, scanPieces, storedInPieces } from './pieces.js';
import type { FileRecord, StoreDb } from './schema.js';
import { backOff, requestHeaders, RETRIES, withinIdle } from './timeouts.js';

export interface DownloadContext {
  db: StoreDb;
  fetch: FetchLike;
  /** where the file is served */
  url: string;
  /** the model whose manifest lists the file, for messages */
  modelId: string;
  file: ManifestFile;
  /** for messages */
  label: string;
  chunkBytes: number;
  /** how long the request may wait for response headers before it counts as broken */
  headerTimeoutMs: number;
  signal?: AbortSignal | undefined;
  /** bytes of this file held so far (stored or on their way) */
  onBytes?: ((loaded: number) => void) | undefined;
  /**
   * Set when the caller needs the whole file next (a session load): the download then also
   * assembles it in memory, hashes that copy whole (WebCrypto) instead of chunk by chunk (a
   * file with pieces: its pieces are checked as they come), and hands it over once committed,
   * so the bytes just verified are not read back and hashed again.
   */
  onKept?: ((bytes: Uint8Array<ArrayBuffer>) => void) | undefined;
}

/**
 * What is known of a download in progress: the hash always covers exactly the stored bytes, or,
 * when the file is kept whole, `kept` holds exactly them and is hashed at the end.
 */
interface InProgress {
  rec: FileRecord;
  hash: Hasher | undefined;
  kept: Uint8Array<ArrayBuffer> | undefined;
}

function mismatch(ctx: DownloadContext, actual: ConstructorParameters<typeof DownloadMismatch>[2]): DownloadMismatch {
  return new DownloadMismatch(ctx.label, ctx.file, actual);
}

/** An empty hash, or none when the file is kept whole (it is hashed whole at the end). */
const freshHash = (kept: Uint8Array | undefined) => (kept ? Promise.resolve(undefined) : createHasher());

/**
 * Starts a fresh partial file, or picks up the stored one after re-hashing (or re-reading) what it
 * holds. A committed file of another size is the manifest's error (MANIFEST_INVALID), and stays.
 */
async function begin(
  db: StoreDb,
  modelId: string,
  file: ManifestFile,
  keep: boolean,
): Promise<InProgress | 'complete'> {
  const rec = await db.get('files', file.sha256);
  if (isComplete(modelId, file, rec)) return 'complete';
  const kept = keep ? new Uint8Array(file.size) : undefined;
  const keepBytes = kept && ((bytes: Uint8Array, at: number) => kept.set(bytes, at));
  if (rec && rec.size === file.size) {
    if (!isPieced(file)) {
      const hash = await freshHash(kept);
      if ((await scanChunks(db, rec, hash, keepBytes)) !== undefined) return { rec, hash, kept };
    } else if (storedInPieces(rec, file) && (await scanPieces(db, rec, file, keepBytes)) === undefined) {
      return { rec, hash: undefined, kept };
    }
  }
  // nothing stored, or stored chunks that do not add up (or not in this file's pieces): start over
  if (rec) await dropFile(db, file.sha256);
  const fresh: FileRecord = {
    sha256: file.sha256,
    size: file.size,
    state: 'partial',
    stored: 0,
    chunks: 0,
    ...(isPieced(file) && { pieceBytes: file.pieces.bytes }),
  };
  await db.put('files', fresh);
  return { rec: fresh, hash: isPieced(file) ? undefined : await freshHash(kept), kept };
}

async function restart(db: StoreDb, file: ManifestFile, part: InProgress): Promise<void> {
  await dropFile(db, part.rec.sha256);
  part.rec = { ...part.rec, stored: 0, chunks: 0 };
  await db.put('files', part.rec);
  part.hash = isPieced(file) ? undefined : await freshHash(part.kept);
}

/** The byte offset a response's body starts at, from its status and Content-Range. */
function startOf(res: Response): number | undefined {
  if (res.status === 200) return 0;
  if (res.status !== 206) return undefined;
  const m = /^bytes (\d+)-\d+\/(\d+|\*)$/.exec(res.headers.get('content-range') ?? '');
  return m ? Number(m[1]) : undefined;
}

/** One request for the bytes not yet stored; appends them chunk by chunk. */
async function fetchRest(ctx: DownloadContext, part: InProgress): Promise<void> {
  const { db, file } = ctx;
  const from = part.rec.stored;
  const headers: HeadersInit = from > 0 ? { Range: `bytes=${from}-` } : {};
  const res = await requestHeaders(ctx, headers);
  if (res.status === 416 && from > 0) {
    // the server no longer agrees with what we hold: start again from the first byte
    await res.body?.cancel();
    await restart(db, file, part);
    return fetchRest(ctx, part);
  }
  if (!res.ok) {
    await res.body?.cancel();
    throw new HttpStatusError(`${ctx.label} answered HTTP ${res.status}`, res.status, { url: ctx.url });
  }
  const start = startOf(res);
  if (start === undefined || (start !== 0 && start !== from)) {
    await res.body?.cancel();
    throw new HttpStatusError(`${ctx.label} answered a range the store did not ask for`, res.status, {
      url: ctx.url,
      contentRange: res.headers.get('content-range'),
    });
  }
  // a server that ignores Range sends the whole file again
  if (start === 0 && from > 0) await restart(db, file, part);
  await receive(ctx, part, res);
  if (part.rec.stored < file.size) {
    // a range answered in part is legal: ask for the rest; a whole answer this short is wrong
    if (res.status === 206)
      throw new AirlockError('NETWORK', `${ctx.label} ended after ${part.rec.stored} of ${file.size} bytes`, {
        url: ctx.url,
      });
    throw mismatch(ctx, { size: part.rec.stored });
  }
}

/** The next bytes of a body into `into`, or null at its end; a broken body is NETWORK (or ABORTED). */
async function readBody(
  ctx: DownloadContext,
  body: ReturnType<typeof bodyReader>,
  into: Uint8Array,
): Promise<number | null> {
  try {
    return await withinIdle(() => body.read(into));
  } catch (e) {
    if (ctx.signal?.aborted) throw new AirlockError('ABORTED', `Loading ${ctx.label} was aborted`);
    throw new AirlockError('NETWORK', `${ctx.label} broke off: ${(e as Error)?.message ?? String(e)}`, {
      url: ctx.url,
    });
  }
}

/**
 * Reads a response body into chunks, each written as soon as it is full; what arrived is kept
 * even when the connection breaks, so the next try resumes after it.
 */
async function receive(ctx: DownloadContext, part: InProgress, res: Response): Promise<void> {
  const { db, file } = ctx;
  const pieced = isPieced(file) ? file : undefined;
  const chunkBytes = pieced ? pieced.pieces.bytes : ctx.chunkBytes;
  const chunk = new Uint8Array(Math.max(1, Math.min(chunkBytes, file.size - part.rec.stored)));
  const checks = pieced && new PieceChecks(pieced);
  let filled = 0;
  /** bytes handed to writes, the one in flight included */
  let handed = part.rec.stored;
  // one write in flight while the next chunk fills: the store copies a chunk when the write
  // starts (and WebCrypto when a piece's check does), so the buffer is free again at once
  let writing: Promise<void> = Promise.resolve();
  const flush = async () => {
    if (filled === 0) return;
    const index = handed / chunkBytes;
    // a piece cut short by a broken connection is not kept: only whole, checked pieces are
    if (pieced && filled < pieceLength(pieced, index)) return void (filled = 0);
    const bytes = filled === chunk.byteLength ? chunk : chunk.subarray(0, filled);
    await writing;
    await checks?.add(index, bytes);
    // a wrong piece ends the download at once: the file is dropped, nothing more is fetched
    const bad = checks?.failed;
    if (bad) throw mismatch(ctx, { size: handed + filled, piece: bad.index, sha256: bad.actual });
    const write = appendChunk(db, part.rec, bytes);
    part.hash?.update(bytes);
    part.kept?.set(bytes, handed);
    handed += filled;
    filled = 0;
    writing = write.then((rec) => void (part.rec = rec));
    writing.catch(() => undefined); // awaited before the next write; this only marks it handled
  };
  const body = res.body ? bodyReader(res.body) : undefined;
  const read = (into: Uint8Array) => readBody(ctx, body!, into);
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
    try {
      // keep what arrived, even when the connection broke: the next try resumes after it
      await flush();
      await writing;
    } finally {
      await body?.cancel().catch(() => undefined);
    }
  }
  const failed = await checks?.result();
  if (failed) throw mismatch(ctx, { size: handed, piece: failed.index, sha256: failed.actual });
}

/**
 * Brings one file into the store, resuming what an earlier call left, and commits it once it is
 * verified. The caller holds the file's lock. On a mismatch nothing of the file stays. When the
 * file's record changes underneath (the store was cleared, or a tab without Web Locks wrote the
 * same file), it starts over from what the store then holds. Says whether it fetched anything:
 * false when another tab or worker had stored the file meanwhile.
 */
export async function downloadFile(ctx: DownloadContext): Promise<boolean> {
  for (let round = 0; ; round++) {
    try {
      return await downloadOnce(ctx);
    } catch (e) {
      if (!(e instanceof RecordChanged)) throw e;
      if (round >= 2)
        throw new AirlockError('STORAGE_FAILED', `${ctx.label}: the store kept changing while it was written`, {
          path: ctx.file.path,
        });
    }
  }
}

async function downloadOnce(ctx: DownloadContext): Promise<boolean> {
  const { db, file } = ctx;
  const begun = await begin(db, ctx.modelId, file, ctx.onKept !== undefined);
  if (begun === 'complete') {
    ctx.onBytes?.(file.size);
    return false;
  }
  const part = begun;
  ctx.onBytes?.(part.rec.stored);
  for (let attempt = 0; part.rec.stored < file.size; attempt++) {
    if (ctx.signal?.aborted) throw new AirlockError('ABORTED', `Loading ${ctx.label} was aborted`);
    try {
      await fetchRest(ctx, part);
    } catch (e) {
      if (e instanceof RecordChanged) throw e;
      const code = isAirlockError(e) ? e.code : undefined;
      // nothing worth keeping: no record either (a partial one with bytes stays, to resume)
      if (code === 'INTEGRITY_MISMATCH' || code === 'QUOTA_EXCEEDED' || part.rec.stored === 0)
        await dropFile(db, file.sha256, (rec) => rec.state === 'partial');
      if (code === 'QUOTA_EXCEEDED') {
        const available = (await estimateStorage())?.available ?? null;
        throw new AirlockError(
          'QUOTA_EXCEEDED',
          `${ctx.label}: the browser refused to store more, its storage quota is used up (${file.size} bytes needed, ${available ?? 'unknown'} available)`,
          {
            path: file.path,
            needed: file.size,
            available,
          },
        );
      }
      // a dropped connection is worth another try from where it stopped; an HTTP error is not
      if (!connectionBroke(e) || attempt >= RETRIES || ctx.signal?.aborted) throw e;
      await backOff(attempt, ctx.signal);
    }
  }
  // a file checked piece by piece is checked: every stored piece matched the manifest's
  const digest = isPieced(file) ? file.sha256 : part.kept ? await digestOf(part.kept) : part.hash!.hex();
  if (digest !== file.sha256) {
    await dropFile(db, file.sha256, (rec) => rec.state === 'partial');
    throw mismatch(ctx, { size: part.rec.stored, sha256: digest });
  }
  await commitFile(db, part.rec);
  if (part.kept) ctx.onKept?.(part.kept);
  return true;
}
