// Reading stored files back, hashed again on every read: an engine reads every byte anyway, and a
// chunk changed behind the store's back (a bad disk, another script on the origin) is then caught
// before an engine sees it. A file that fails is dropped, so that the next load fetches it again.
import type { ManifestFile } from '../../manifest/types.js';
import type { FileCheck } from '../../protocol/types.js';
import { dropFile, scanChunks } from './chunks.js';
import { createHasher, digestOf } from './digest.js';
import { FileNotStored, StoredFileChanged } from './errors.js';
import { withLock } from './locks.js';
import type { LockNames } from './quota.js';
import { isPieced, scanPieces, storedInPieces } from './pieces.js';
import type { FileRecord, StoreDb } from './schema.js';

export async function committed(db: StoreDb, file: ManifestFile, label: string): Promise<FileRecord> {
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
export async function changed(
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
  if (isPieced(file) && storedInPieces(rec, file)) {
    // each piece is checked while the next ones are read: no pass over the whole file at the end
    const failed = await scanPieces(db, rec, file, (chunk, offset) => bytes.set(chunk, offset));
    if (failed)
      throw await changed(
        db,
        locks,
        file,
        rec,
        label,
        'chunks' in failed ? failed : { piece: failed.piece, sha256: failed.actual },
      );
    return bytes;
  }
  const total = await scanChunks(db, rec, undefined, (chunk, offset) => bytes.set(chunk, offset));
  if (total !== file.size) throw await changed(db, locks, file, rec, label, { size: total ?? 'inconsistent chunks' });
  const digest = await digestOf(bytes);
  if (digest !== file.sha256) throw await changed(db, locks, file, rec, label, { size: total, sha256: digest });
  return bytes;
}

/**
 * Whether a stored file's bytes are still those of its record: piece by piece (WebCrypto) when it
 * is stored in the manifest's pieces, else hashed whole. `piece` names the first that changed.
 */
async function storedBytesIntact(
  db: StoreDb,
  rec: FileRecord,
  file: ManifestFile,
): Promise<{ ok: boolean; piece?: number }> {
  if (isPieced(file) && storedInPieces(rec, file) && rec.size === file.size) {
    const failed = await scanPieces(db, rec, file);
    return failed ? { ok: false, ...('piece' in failed && { piece: failed.piece }) } : { ok: true };
  }
  // the bytes are checked against their own record: a manifest's wrong size does not make them wrong
  const hash = await createHasher();
  const total = await scanChunks(db, rec, hash);
  return { ok: total === rec.size && hash.hex() === rec.sha256 };
}

/** Re-hashes one stored file under its lock; a file that fails is dropped. */
export function verifyFile(db: StoreDb, locks: LockNames, file: ManifestFile): Promise<FileCheck> {
  return withLock(locks.file(file.sha256), async (): Promise<FileCheck> => {
    const rec = await db.get('files', file.sha256);
    if (!rec) return { path: file.path, sha256: file.sha256, ok: false, problem: 'missing' };
    if (rec.state !== 'complete') return { path: file.path, sha256: file.sha256, ok: false, problem: 'incomplete' };
    const intact = await storedBytesIntact(db, rec, file);
    if (!intact.ok) {
      await dropFile(db, file.sha256);
      const piece = intact.piece !== undefined && { piece: intact.piece };
      return { path: file.path, sha256: file.sha256, ok: false, problem: 'mismatch', ...piece };
    }
    await db.put('files', { ...rec, verifiedAt: Date.now() });
    if (rec.size !== file.size) return { path: file.path, sha256: file.sha256, ok: false, problem: 'size' };
    return { path: file.path, sha256: file.sha256, ok: true };
  });
}
