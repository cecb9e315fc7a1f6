// Reading and writing one file's chunks. Every write puts a chunk and the file's record in one
// transaction, so the record always says exactly what the chunks hold, whatever happens next.
import type { sha256 } from '@noble/hashes/sha2.js';
import { AirlockError } from '../errors.js';
import { chunksOf, type FileRecord, type StoreDb } from './schema.js';

type Hash = ReturnType<typeof sha256.create>;

function isQuotaError(e: unknown): boolean {
  return (e as DOMException)?.name === 'QuotaExceededError';
}

/** Appends `bytes` as the file's next chunk; returns the updated record. */
export async function appendChunk(db: StoreDb, rec: FileRecord, bytes: Uint8Array): Promise<FileRecord> {
  // a view is cloned with its whole buffer: store a buffer of exactly these bytes
  const buffer = bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength ? bytes.buffer : bytes.slice().buffer;
  const next: FileRecord = { ...rec, stored: rec.stored + bytes.byteLength, chunks: rec.chunks + 1 };
  try {
    const tx = db.transaction(['files', 'chunks'], 'readwrite');
    void tx.objectStore('chunks').put(buffer as ArrayBuffer, [rec.sha256, rec.chunks]);
    void tx.objectStore('files').put(next);
    await tx.done;
  } catch (e) {
    if (isQuotaError(e)) throw new AirlockError('QUOTA_EXCEEDED', 'The browser refused to store more: its storage quota is used up', { sha256: rec.sha256 });
    throw e;
  }
  return next;
}

/** Removes a file's record and all its chunks, in one transaction. */
export async function dropFile(db: StoreDb, sha: string): Promise<void> {
  const tx = db.transaction(['files', 'chunks'], 'readwrite');
  void tx.objectStore('files').delete(sha);
  void tx.objectStore('chunks').delete(chunksOf(sha));
  await tx.done;
}

/**
 * Feeds a file's stored chunks, in order, to `hash` and to `visit` (with each chunk's offset).
 * Returns the byte count, or `undefined` when the chunks do not add up to what the record says
 * (a chunk missing, resized or added behind the store's back).
 */
export async function scanChunks(db: StoreDb, rec: FileRecord, hash: Hash, visit?: (bytes: Uint8Array, offset: number) => void): Promise<number | undefined> {
  let offset = 0;
  let index = 0;
  let cursor = await db.transaction('chunks').store.openCursor(chunksOf(rec.sha256));
  while (cursor) {
    const [, n] = cursor.key;
    const value: unknown = cursor.value;
    if (n !== index || !(value instanceof ArrayBuffer) || offset + value.byteLength > rec.stored) return undefined;
    const bytes = new Uint8Array(value);
    hash.update(bytes);
    visit?.(bytes, offset);
    offset += bytes.byteLength;
    index++;
    cursor = await cursor.continue();
  }
  return index === rec.chunks && offset === rec.stored ? offset : undefined;
}
