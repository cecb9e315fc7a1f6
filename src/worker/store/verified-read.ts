// Reading stored files back, hashed again on every read: an engine reads every byte anyway, and a
// chunk changed behind the store's back (a bad disk, another script on the origin) is then caught
// before an engine sees it. A file that fails is dropped, so that the next load fetches it again.
import type { ManifestFile } from '../../manifest/types.js';
import type { FileCheck } from '../../protocol/types.js';
import { ChunksInconsistent, dropFile, readChunks, scanChunks } from './chunks.js';
import { createHasher, digestOf, type Hasher } from './digest.js';
import { FileNotStored, StoredFileChanged } from './errors.js';
import { withLock } from './locks.js';
import type { LockNames } from './quota.js';
import type { FileRecord, StoreDb } from './schema.js';

async function committed(db: StoreDb, file: ManifestFile, label: string): Promise<FileRecord> {
  const rec = await db.get('files', file.sha256);
  if (rec?.state !== 'complete' || rec.size !== file.size) {
    throw new FileNotStored(label, file);
  }
  return rec;
}

/**
 * Drops a file whose stored bytes no longer match, and says so. Only the record the read started
 * from is dropped: another tab may have fetched and verified the file again meanwhile.
 */
async function changed(
  db: StoreDb,
  locks: LockNames,
  file: ManifestFile,
  read: FileRecord,
  label: string,
  actual: ConstructorParameters<typeof StoredFileChanged>[2],
): Promise<StoredFileChanged> {
  await withLock(locks.file(file.sha256), () => dropFile(db, file.sha256, (rec) => rec.verifiedAt === read.verifiedAt));
  return new StoredFileChanged(label, file, actual);
}

/** The verified bytes of a stored file, whole. */
export async function readVerified(
  db: StoreDb,
  locks: LockNames,
  file: ManifestFile,
  label: string,
): Promise<Uint8Array> {
  const rec = await committed(db, file, label);
  const bytes = new Uint8Array(file.size);
  const total = await scanChunks(db, rec, undefined, (chunk, offset) => bytes.set(chunk, offset));
  if (total !== file.size) throw await changed(db, locks, file, rec, label, { size: total ?? 'inconsistent chunks' });
  const digest = await digestOf(bytes);
  if (digest !== file.sha256) throw await changed(db, locks, file, rec, label, { size: total, sha256: digest });
  return bytes;
}

/**
 * A stored file as a stream of its chunks, hashed on the way. The last chunk goes out only once
 * the whole file matched, so a reader never gets a complete file that is wrong (the stream errors
 * instead); no copy of the whole file is made on this side. Nothing is read before a reader asks.
 */
export function streamVerified(
  db: () => Promise<StoreDb>,
  locks: LockNames,
  file: ManifestFile,
  label: string,
  failed: (e: unknown) => Error,
): ReadableStream<Uint8Array> {
  let source: { rec: FileRecord; chunks: AsyncGenerator<Uint8Array<ArrayBuffer>, void> } | undefined;
  let held: Uint8Array | undefined;
  let total = 0;
  let cancelled = false;
  let hash: Hasher | undefined;
  return new ReadableStream<Uint8Array>(
    {
      // each pull must enqueue or close (a pull that does neither stalls the stream), or fail
      // with the store's error, as every other read does
      pull: (controller) => pull(controller).catch((e: unknown) => Promise.reject(failed(e))),
      async cancel() {
        cancelled = true;
        await source?.chunks.return();
      },
    },
    { highWaterMark: 0 },
  );

  async function pull(controller: ReadableStreamDefaultController<Uint8Array>): Promise<void> {
    const store = await db();
    if (!source) {
      const rec = await committed(store, file, label);
      hash = await createHasher();
      source = { rec, chunks: readChunks(store, rec) };
    }
    for (;;) {
      let next: IteratorResult<Uint8Array<ArrayBuffer>, void>;
      try {
        next = await source.chunks.next();
      } catch (e) {
        if (!(e instanceof ChunksInconsistent)) throw e;
        throw await changed(store, locks, file, source.rec, label, { chunks: 'inconsistent' });
      }
      // a cancel ends the chunks early: that is no verdict on the file
      if (cancelled) return;
      if (next.done) break;
      hash!.update(next.value);
      total += next.value.byteLength;
      const out = held;
      held = next.value;
      if (out) return controller.enqueue(out);
    }
    const digest = hash!.hex();
    if (total !== file.size || digest !== file.sha256)
      throw await changed(store, locks, file, source.rec, label, { size: total, sha256: digest });
    if (held) controller.enqueue(held);
    controller.close();
  }
}

/** Re-hashes one stored file under its lock; a file that fails is dropped. */
export function verifyFile(db: StoreDb, locks: LockNames, file: ManifestFile): Promise<FileCheck> {
  return withLock(locks.file(file.sha256), async (): Promise<FileCheck> => {
    const rec = await db.get('files', file.sha256);
    if (!rec) return { path: file.path, sha256: file.sha256, ok: false, problem: 'missing' };
    if (rec.state !== 'complete') return { path: file.path, sha256: file.sha256, ok: false, problem: 'incomplete' };
    // the bytes are checked against their own record: a manifest's wrong size does not make them wrong
    const hash = await createHasher();
    const total = await scanChunks(db, rec, hash);
    if (total !== rec.size || hash.hex() !== rec.sha256) {
      await dropFile(db, file.sha256);
      return { path: file.path, sha256: file.sha256, ok: false, problem: 'mismatch' };
    }
    await db.put('files', { ...rec, verifiedAt: Date.now() });
    if (rec.size !== file.size) return { path: file.path, sha256: file.sha256, ok: false, problem: 'size' };
    return { path: file.path, sha256: file.sha256, ok: true };
  });
}
