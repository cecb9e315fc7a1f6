// Files checked piece by piece (a manifest's `pieces`, see src/manifest/pieces.ts): the store
// keeps such a file as one chunk per piece, so that every chunk can be checked on its own, by
// WebCrypto, while the next one is downloaded or read. Only whole pieces are ever stored.
import type { ManifestFile } from '../../manifest/types.js';
import type { FilePieces } from '../../manifest/pieces.js';
import { readChunks, ChunksInconsistent } from './chunks.js';
import { digestOf } from './digest.js';
import type { FileRecord, StoreDb } from './schema.js';

/** A manifest file that is checked piece by piece. */
export type PiecedFile = ManifestFile & { pieces: FilePieces };

/** Whether the store checks `file` piece by piece: it has pieces, and digests can be taken (WebCrypto). */
export function isPieced(file: ManifestFile): file is PiecedFile {
  return file.pieces !== undefined && globalThis.crypto?.subtle !== undefined;
}

/** Whether `rec` was stored piece by piece, in the pieces `file` gives. */
export function storedInPieces(rec: FileRecord, file: PiecedFile): boolean {
  return rec.pieceBytes === file.pieces.bytes;
}

/** The length piece `index` of `file` has. */
export function pieceLength(file: PiecedFile, index: number): number {
  return Math.min(file.pieces.bytes, file.size - index * file.pieces.bytes);
}

/** The digest of `bytes` when it is not piece `index` of `file`; undefined when it is. */
export async function pieceProblem(
  file: PiecedFile,
  index: number,
  bytes: Uint8Array<ArrayBuffer>,
): Promise<string | undefined> {
  if (bytes.byteLength !== pieceLength(file, index)) return `${bytes.byteLength} bytes`;
  // WebCrypto takes its copy of the bytes in this call: the caller may reuse them at once
  const digest = await digestOf(bytes);
  return digest === file.pieces.sha256[index] ? undefined : digest;
}

/**
 * Checks pieces as they come, a few at a time in flight (each holds a copy of its piece), and
 * says which failed first.
 */
export class PieceChecks {
  private readonly inFlight: Promise<void>[] = [];
  private failure: { index: number; actual: string } | undefined;

  constructor(
    private readonly file: PiecedFile,
    private readonly depth = 4,
  ) {}

  /** Starts the check of piece `index`; waits while `depth` checks are in flight. */
  async add(index: number, bytes: Uint8Array<ArrayBuffer>): Promise<void> {
    const check = pieceProblem(this.file, index, bytes).then((actual) => {
      if (actual !== undefined && (!this.failure || index < this.failure.index)) this.failure = { index, actual };
    });
    check.catch(() => undefined); // a download that ends early never waits for it
    this.inFlight.push(check);
    if (this.inFlight.length >= this.depth) await this.inFlight.shift();
  }

  /** The first piece known to have failed so far, if one has. */
  get failed(): { index: number; actual: string } | undefined {
    return this.failure;
  }

  /** Waits for every check; the first piece that failed, if one did. */
  async result(): Promise<{ index: number; actual: string } | undefined> {
    await Promise.all(this.inFlight.splice(0));
    return this.failure;
  }
}

/**
 * Reads a file stored piece by piece, checking each chunk against its piece; `visit` gets each
 * chunk with its offset. The first piece that failed, or `chunks: 'inconsistent'`, or undefined
 * when every piece matched.
 */
export async function scanPieces(
  db: StoreDb,
  rec: FileRecord,
  file: PiecedFile,
  visit?: (bytes: Uint8Array, offset: number) => void,
): Promise<{ piece: number; actual: string } | { chunks: 'inconsistent' } | undefined> {
  const checks = new PieceChecks(file);
  let index = 0;
  try {
    for await (const bytes of readChunks(db, rec)) {
      visit?.(bytes, index * file.pieces.bytes);
      await checks.add(index++, bytes);
    }
  } catch (e) {
    if (e instanceof ChunksInconsistent) return { chunks: 'inconsistent' };
    throw e;
  }
  const failed = await checks.result();
  return failed && { piece: failed.index, actual: failed.actual };
}
