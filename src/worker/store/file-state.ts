// Whether a manifest's file is in the store. Files are keyed by SHA-256, and a stored file was
// verified against its hash, so its size is a fact: a manifest that gives the same hash another
// size is wrong about it. That is the manifest's error, never a reason to drop the stored file
// (another model may use it).
import { AirlockError } from '../../errors.js';
import type { ManifestFile } from '../../manifest/types.js';
import { visiblePath } from '../../manifest/paths.js';
import type { FileRecord, StoreDb } from './schema.js';

export function sizeConflict(modelId: string, file: ManifestFile, storedSize: number): AirlockError {
  return new AirlockError(
    'MANIFEST_INVALID',
    `Manifest of "${modelId}" is invalid: ${visiblePath(file.path)} has sha256 ${file.sha256}, which the store holds as ${storedSize} bytes, not ${file.size}`,
    { modelId, path: file.path, sha256: file.sha256, size: file.size, storedSize },
  );
}

/** Whether `rec` is `file`, committed; throws MANIFEST_INVALID when it is committed with another size. */
export function isComplete(modelId: string, file: ManifestFile, rec: FileRecord | undefined): boolean {
  if (rec?.state !== 'complete') return false;
  if (rec.size !== file.size) throw sizeConflict(modelId, file, rec.size);
  return true;
}

/** Whether `file` is stored and committed (see `isComplete`). */
export async function isStored(db: StoreDb, modelId: string, file: ManifestFile): Promise<boolean> {
  return isComplete(modelId, file, await db.get('files', file.sha256));
}
