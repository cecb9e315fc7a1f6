// Downloads one file into the store: its body is cut into chunks as it arrives, each chunk is
// written as soon as it is full, and the file is committed only when its size and SHA-256 match
// the manifest; a file with pieces has each piece checked as it arrives instead (./pieces.ts).
// A broken download keeps its chunks and continues later with a Range request. A file kept
// whole for a load is handed over once verified, and its writes finish behind.
import { AirlockError, isAirlockError } from '../../errors.js';
import type { ManifestFile } from '../../manifest/types.js';
import { isComplete } from './file-state.js';
import { commitFile, dropFile, RecordChanged, scanChunks } from './chunks.js';
import { createHasher, digestOf } from './digest.js';
import { connectionBroke, HttpStatusError } from '../http-status.js';
import { estimateStorage } from '../../shared/storage-estimate.js';
import { isPieced, scanPieces, storedInPieces } from './pieces.js';
import { inProgress, mismatch, receive, type DownloadContext, type InProgress } from './receive.js';
import type { FileRecord, StoreDb } from './schema.js';
import { backOff, requestHeaders, RETRIES } from './timeouts.js';

export type { DownloadContext } from './receive.js';

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
      if ((await scanChunks(db, rec, hash, keepBytes)) !== undefined) return inProgress(rec, hash, kept);
    } else if (storedInPieces(rec, file) && (await scanPieces(db, rec, file, keepBytes)) === undefined) {
      return inProgress(rec, undefined, kept);
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
  return inProgress(fresh, isPieced(file) ? undefined : await freshHash(kept), kept);
}

async function restart(db: StoreDb, file: ManifestFile, part: InProgress): Promise<void> {
  await part.writing;
  await dropFile(db, part.rec.sha256);
  part.rec = { ...part.rec, stored: 0, chunks: 0 };
  part.handed = 0;
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
  const from = part.handed;
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
  if (part.handed < file.size) {
    // a range answered in part is legal: ask for the rest; a whole answer this short is wrong
    if (res.status === 206)
      throw new AirlockError('NETWORK', `${ctx.label} ended after ${part.handed} of ${file.size} bytes`, {
        url: ctx.url,
      });
    throw mismatch(ctx, { size: part.handed });
  }
}

/**
 * Brings one file into the store, resuming what an earlier call left, and commits it once it is
 * verified. The caller holds the file's lock. On a mismatch nothing of the file stays. When the
 * file's record changes underneath (the store was cleared, or a tab without Web Locks wrote the
 * same file), it starts over from what the store then holds. Says whether it fetched anything:
 * false when another tab or worker had stored the file meanwhile.
 */
export async function downloadFile(ctx: DownloadContext): Promise<boolean> {
  const onKept = ctx.onKept;
  let handedOver = false;
  const once: DownloadContext = onKept ? { ...ctx, onKept: (bytes) => ((handedOver = true), onKept(bytes)) } : ctx;
  for (let round = 0; ; round++) {
    try {
      // bytes handed over already are not kept again when the store changed behind their writes
      return await downloadOnce(handedOver ? { ...ctx, onKept: undefined } : once);
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
  for (let attempt = 0; part.handed < file.size; attempt++) {
    if (ctx.signal?.aborted) throw new AirlockError('ABORTED', `Loading ${ctx.label} was aborted`);
    try {
      await fetchRest(ctx, part);
    } catch (e) {
      if (e instanceof RecordChanged) throw e;
      await failedWrites(ctx, part, e);
      // a dropped connection is worth another try from where it stopped; an HTTP error is not
      if (!connectionBroke(e) || attempt >= RETRIES || ctx.signal?.aborted) throw e;
      await backOff(attempt, ctx.signal);
    }
  }
  // a file checked piece by piece is checked: every stored piece matched the manifest's
  const digest = isPieced(file) ? file.sha256 : part.kept ? await digestOf(part.kept) : part.hash!.hex();
  if (digest !== file.sha256) {
    await part.writing.catch(() => undefined);
    await dropFile(db, file.sha256, (rec) => rec.state === 'partial');
    throw mismatch(ctx, { size: part.handed, sha256: digest });
  }
  // verified: the engine may have the bytes while the last chunks are still being written
  if (part.kept) ctx.onKept?.(part.kept);
  try {
    await part.writing;
  } catch (e) {
    if (!(e instanceof RecordChanged)) await failedWrites(ctx, part, e);
    throw e;
  }
  await commitFile(db, part.rec);
  return true;
}

/**
 * After a failure: once the writes still queued are done, drops what is not worth keeping (a
 * partial file with bytes stays, to resume), and throws a full quota as QUOTA_EXCEEDED.
 */
async function failedWrites(ctx: DownloadContext, part: InProgress, e: unknown): Promise<void> {
  const { db, file } = ctx;
  await part.writing.catch(() => undefined);
  const code = isAirlockError(e) ? e.code : undefined;
  if (code === 'INTEGRITY_MISMATCH' || code === 'QUOTA_EXCEEDED' || part.rec.stored === 0)
    await dropFile(db, file.sha256, (rec) => rec.state === 'partial');
  if (code !== 'QUOTA_EXCEEDED') return;
  const available = (await estimateStorage())?.available ?? null;
  throw new AirlockError(
    'QUOTA_EXCEEDED',
    `${ctx.label}: the browser refused to store more, its storage quota is used up (${file.size} bytes needed, ${available ?? 'unknown'} available)`,
    { path: file.path, needed: file.size, available },
  );
}
