// Reading and writing one file's chunks. Every write puts a chunk and the file's record in one
// transaction, so the record always says exactly what the chunks hold, whatever happens next.
import { AirlockError } from '../../errors.js';
import type { Hasher } from './digest.js';
import { chunksOf, type FileRecord, type StoreDb } from './schema.js';

function isQuotaError(e: unknown): boolean {
  return (e as DOMException)?.name === 'QuotaExceededError';
}

import { ChunksInconsistent, RecordChanged } from './errors.js';

export { ChunksInconsistent, RecordChanged };

/** Requests whose outcome the transaction reports: this keeps their own rejection from going unhandled. */
function quietly(request: Promise<unknown>): void {
  request.catch(() => undefined);
}

const sameProgress = (a: FileRecord | undefined, b: FileRecord) =>
  a !== undefined && a.state === 'partial' && a.stored === b.stored && a.chunks === b.chunks;

/**
 * Appends `bytes` as the file's next chunk; returns the updated record. The bytes are copied
 * before it returns (IndexedDB clones a value when it is put), so the caller may reuse them.
 * The chunk lands only if the stored record still says what `rec` says; otherwise nothing is
 * written and `RecordChanged` is thrown.
 */
export async function appendChunk(db: StoreDb, rec: FileRecord, bytes: Uint8Array): Promise<FileRecord> {
  // a view is cloned with its whole buffer: store a buffer of exactly these bytes
  const buffer =
    bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength ? bytes.buffer : bytes.slice().buffer;
  const next: FileRecord = { ...rec, stored: rec.stored + bytes.byteLength, chunks: rec.chunks + 1 };
  const tx = db.transaction(['files', 'chunks'], 'readwrite');
  quietly(tx.done);
  try {
    // put first, while the caller's bytes are as they are now
    quietly(tx.objectStore('chunks').put(buffer as ArrayBuffer, [rec.sha256, rec.chunks]));
    if (!sameProgress(await tx.objectStore('files').get(rec.sha256), rec)) {
      tx.abort();
      throw new RecordChanged();
    }
    quietly(tx.objectStore('files').put(next));
    await tx.done;
  } catch (e) {
    if (isQuotaError(e))
      throw new AirlockError('QUOTA_EXCEEDED', 'The browser refused to store more: its storage quota is used up', {
        sha256: rec.sha256,
      });
    throw e;
  }
  return next;
}

/** Marks a fully written file complete, if its record still says what `rec` says. */
export async function commitFile(db: StoreDb, rec: FileRecord): Promise<void> {
  const tx = db.transaction('files', 'readwrite');
  quietly(tx.done);
  if (!sameProgress(await tx.store.get(rec.sha256), rec)) {
    tx.abort();
    throw new RecordChanged();
  }
  quietly(tx.store.put({ ...rec, state: 'complete', verifiedAt: Date.now() }));
  await tx.done;
}

/**
 * Removes a file's record and all its chunks, in one transaction; with `only`, just when the
 * record is still the one the caller means. Returns the bytes it held.
 */
export async function dropFile(db: StoreDb, sha: string, only?: (rec: FileRecord) => boolean): Promise<number> {
  const tx = db.transaction(['files', 'chunks'], 'readwrite');
  quietly(tx.done);
  const rec = await tx.objectStore('files').get(sha);
  if (rec && only && !only(rec)) {
    await tx.done;
    return 0;
  }
  quietly(tx.objectStore('files').delete(sha));
  quietly(tx.objectStore('chunks').delete(chunksOf(sha)));
  await tx.done;
  return rec?.stored ?? 0;
}

/**
 * A file's stored chunks, in order. Each is read in its own transaction (a stream may pause
 * between chunks for as long as its reader likes), and the next one is already asked for while
 * the caller works on the current one. Throws `ChunksInconsistent` when a chunk is missing, added,
 * or of a size that does not add up to the record's.
 */
export async function* readChunks(db: StoreDb, rec: FileRecord): AsyncGenerator<Uint8Array<ArrayBuffer>, void> {
  if ((await db.count('chunks', chunksOf(rec.sha256))) !== rec.chunks) throw new ChunksInconsistent();
  const ask = (i: number) => {
    const p = i < rec.chunks ? db.get('chunks', [rec.sha256, i]) : Promise.resolve(undefined);
    p.catch(() => undefined); // awaited below; this only keeps an abandoned read from going unhandled
    return p;
  };
  // a few reads in flight: IndexedDB serves them while the caller works on the current chunk
  const ahead = [ask(0), ask(1), ask(2)];
  let total = 0;
  for (let i = 0; i < rec.chunks; i++) {
    const value: unknown = await ahead.shift();
    ahead.push(ask(i + 3));
    if (!(value instanceof ArrayBuffer) || (total += value.byteLength) > rec.stored) throw new ChunksInconsistent();
    yield new Uint8Array(value);
  }
  if (total !== rec.stored) throw new ChunksInconsistent();
}

/**
 * Feeds a file's stored chunks, in order, to `hash` and to `visit` (with each chunk's offset).
 * Returns the byte count, or `undefined` when the chunks do not add up to what the record says.
 */
export async function scanChunks(
  db: StoreDb,
  rec: FileRecord,
  hash: Hasher | undefined,
  visit?: (bytes: Uint8Array, offset: number) => void,
): Promise<number | undefined> {
  let offset = 0;
  try {
    for await (const bytes of readChunks(db, rec)) {
      hash?.update(bytes);
      visit?.(bytes, offset);
      offset += bytes.byteLength;
    }
  } catch (e) {
    if (e instanceof ChunksInconsistent) return undefined;
    throw e;
  }
  return offset;
}
