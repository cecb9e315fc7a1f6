// A download's body as it arrives: cut into chunks, each checked (a file with pieces) and written
// as soon as it is full. A file kept whole is copied into memory and written from that copy, its
// writes queued one after another so the body is read at the network's pace.
import { AirlockError } from '../../errors.js';
import type { ManifestFile } from '../../manifest/types.js';
import type { FetchLike } from '../policy/guarded-fetch.js';
import { bodyReader } from './body-reader.js';
import { appendChunk } from './chunks.js';
import type { Hasher } from './digest.js';
import { DownloadMismatch } from './errors.js';
import { isPieced, PieceChecks, pieceLength } from './pieces.js';
import type { FileRecord, StoreDb } from './schema.js';
import { withinIdle } from './timeouts.js';

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
   * file with pieces: its pieces are checked as they come), and hands it over as soon as it is
   * verified, so the bytes just verified are not read back and hashed again. The chunks are
   * written from that copy without holding the download back, and may still be on their way
   * then: the download resolves once they are written and the file is committed. Called once.
   */
  onKept?: ((bytes: Uint8Array<ArrayBuffer>) => void) | undefined;
}

/**
 * What is known of a download in progress: the hash always covers exactly the bytes handed to
 * writes, or, when the file is kept whole, `kept` holds exactly them and is hashed at the end.
 */
export interface InProgress {
  rec: FileRecord;
  hash: Hasher | undefined;
  kept: Uint8Array<ArrayBuffer> | undefined;
  /** bytes received and handed to writes: `rec.stored` once these are done */
  handed: number;
  /** the writes queued from `kept`, one after the other (a file not kept has one at most) */
  writing: Promise<void>;
  /** the first queued write that failed: the download stops at its next chunk */
  writeFailed?: Error;
}

export function mismatch(
  ctx: DownloadContext,
  actual: ConstructorParameters<typeof DownloadMismatch>[2],
): DownloadMismatch {
  return new DownloadMismatch(ctx.label, ctx.file, actual);
}

export const inProgress = (
  rec: FileRecord,
  hash: Hasher | undefined,
  kept: Uint8Array<ArrayBuffer> | undefined,
): InProgress => ({
  rec,
  hash,
  kept,
  handed: rec.stored,
  writing: Promise.resolve(),
});

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
export async function receive(ctx: DownloadContext, part: InProgress, res: Response): Promise<void> {
  const { file } = ctx;
  const pieced = isPieced(file) ? file : undefined;
  const chunkBytes = pieced ? pieced.pieces.bytes : ctx.chunkBytes;
  const chunk = new Uint8Array(Math.max(1, Math.min(chunkBytes, file.size - part.handed)));
  const checks = pieced && new PieceChecks(pieced);
  let filled = 0;
  const flush = async () => {
    if (filled === 0) return;
    const index = part.handed / chunkBytes;
    // a piece cut short by a broken connection is not kept: only whole, checked pieces are
    if (pieced && filled < pieceLength(pieced, index)) return void (filled = 0);
    const bytes = filled === chunk.byteLength ? chunk : chunk.subarray(0, filled);
    await checks?.add(index, bytes);
    // a wrong piece ends the download at once: the file is dropped, nothing more is fetched
    const bad = checks?.failed;
    if (bad) throw mismatch(ctx, { size: part.handed + filled, piece: bad.index, sha256: bad.actual });
    await queueWrite(ctx, part, bytes);
    filled = 0;
  };
  const body = res.body ? bodyReader(res.body) : undefined;
  const read = (into: Uint8Array) => readBody(ctx, body!, into);
  try {
    while (body) {
      const room = Math.min(chunk.byteLength - filled, file.size - part.handed - filled);
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
      ctx.onBytes?.(part.handed + filled);
    }
    await flush();
  } catch (e) {
    // keep what arrived, even when the connection broke: the next try resumes after it
    await flush().catch(() => undefined);
    await part.writing;
    part.handed = part.rec.stored;
    throw e;
  } finally {
    await body?.cancel().catch(() => undefined);
  }
  // a file kept whole goes on being written behind; the others' last write is done here
  if (!part.kept) await part.writing;
  const failed = await checks?.result();
  if (failed) throw mismatch(ctx, { size: part.handed, piece: failed.index, sha256: failed.actual });
}

/**
 * Hands a full chunk to the store. A file kept whole is written from its copy in memory, each
 * write queued after the one before, so the download goes on at the network's pace; otherwise
 * the previous write is awaited first, and the store copies `bytes` as this one starts, so the
 * caller may fill them again at once.
 */
async function queueWrite(ctx: DownloadContext, part: InProgress, bytes: Uint8Array): Promise<void> {
  if (part.writeFailed !== undefined) throw part.writeFailed;
  if (!part.kept) {
    await part.writing;
    part.writing = written(part, appendChunk(ctx.db, part.rec, bytes));
    part.hash?.update(bytes);
    part.handed += bytes.byteLength;
    return;
  }
  const kept = part.kept;
  const from = part.handed;
  kept.set(bytes, from);
  part.handed += bytes.byteLength;
  part.writing = written(
    part,
    part.writing.then(() => appendChunk(ctx.db, part.rec, kept.subarray(from, from + bytes.byteLength))),
  );
}

/** A write's outcome noted on the download: its record on success, its error for the next chunk. */
function written(part: InProgress, write: Promise<FileRecord>): Promise<void> {
  const done = write.then(
    (rec) => void (part.rec = rec),
    (e: unknown) => {
      part.writeFailed ??= e as Error;
      throw e;
    },
  );
  done.catch(() => undefined); // awaited before the file is committed; this only marks it handled
  return done;
}
