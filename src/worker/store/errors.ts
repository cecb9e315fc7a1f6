// The store's typed errors. Control flow goes by their class, never by keys of `details`:
// RecordChanged and ChunksInconsistent stay inside the store; the others are AirlockErrors with a
// public code, which the page receives as they are. The browser's own IndexedDB failures get
// their codes in one place, `storeFailure`, at the store's surface.
import { AirlockError } from '../../errors.js';
import type { ManifestFile } from '../../manifest/types.js';

/** The file's record changed under a writer (cleared, or written by a tab without Web Locks). */
export class RecordChanged extends Error {}

/** The chunks do not add up to what the file's record says: changed behind the store's back. */
export class ChunksInconsistent extends Error {}

/** Bytes that do not match their manifest; `actualSha256` when a whole hash could be taken. */
export class IntegrityFailure extends AirlockError {
  constructor(
    message: string,
    readonly path: string,
    readonly actualSha256: string | undefined,
    details: Record<string, unknown>,
  ) {
    super('INTEGRITY_MISMATCH', message, { path, ...details });
  }
}

/** A download whose body does not match the manifest (nothing of it is kept). */
export class DownloadMismatch extends IntegrityFailure {
  constructor(
    label: string,
    file: ManifestFile,
    actual: { size: number; sha256?: string; longer?: boolean; piece?: number },
  ) {
    super(`${label} does not match its manifest`, file.path, actual.sha256, {
      expected: { size: file.size, sha256: file.sha256 },
      actual,
    });
  }
}

/** A stored file whose bytes changed since it was verified (it is dropped): a repair fetches it again. */
export class StoredFileChanged extends IntegrityFailure {
  constructor(
    label: string,
    file: ManifestFile,
    actual: { size?: number | string; sha256?: string; chunks?: string; piece?: number },
  ) {
    super(`${label} changed in the store since it was verified`, file.path, actual.sha256, {
      stored: true,
      expected: { size: file.size, sha256: file.sha256 },
      actual,
    });
  }
}

/**
 * A file the load stored is not there when read (the store was cleared, or another tab removed
 * it): not a wrong byte, so not INTEGRITY_MISMATCH. A repair fetches it again.
 */
export class FileNotStored extends AirlockError {
  constructor(label: string, file: ManifestFile) {
    super('STORAGE_FAILED', `${label} is not in the store: it was removed after it was stored`, {
      path: file.path,
      stored: false,
    });
  }
}

/** Whether a read failed in a way that fetching the file again mends. */
export function repairable(e: unknown): boolean {
  return e instanceof StoredFileChanged || e instanceof FileNotStored;
}

/** The browser's storage failures, with stable codes; the library's own errors pass as they are. */
export function storeFailure(e: unknown): AirlockError {
  if (e instanceof AirlockError) return e;
  const name = (e as DOMException)?.name ?? 'Error';
  const message = (e as Error)?.message ?? String(e);
  if (name === 'QuotaExceededError')
    return new AirlockError('QUOTA_EXCEEDED', `The browser refused to store more: ${message}`);
  return new AirlockError('STORAGE_FAILED', `The model store failed (${name}): ${message}`, { name });
}
