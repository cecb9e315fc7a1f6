// A stored file as a stream of its chunks, checked on the way, for readers that take a file
// piece by piece (transformers.js). Nothing is read before a reader asks, and no copy of the
// whole file is made on this side.
import type { ManifestFile } from '../../manifest/types.js';
import { ChunksInconsistent, readChunks } from './chunks.js';
import { createHasher, type Hasher } from './digest.js';
import { isPieced, pieceProblem, storedInPieces, type PiecedFile } from './pieces.js';
import type { LockNames } from './quota.js';
import type { FileRecord, StoreDb } from './schema.js';
import { changed, committed } from './verified-read.js';

type Chunks = AsyncGenerator<Uint8Array<ArrayBuffer>, void>;

/**
 * A file stored piece by piece sends each chunk once its own piece matched. Any other file is
 * hashed whole on the way, and its last chunk goes out only once the whole file matched: a reader
 * never gets a complete file that is wrong (the stream errors instead).
 */
class VerifiedSource implements UnderlyingDefaultSource<Uint8Array> {
  private opened: { store: StoreDb; rec: FileRecord; chunks: Chunks; pieced: PiecedFile | undefined } | undefined;
  private hash: Hasher | undefined;
  private held: Uint8Array | undefined;
  private total = 0;
  private piece = 0;
  private cancelled = false;

  constructor(
    private readonly db: () => Promise<StoreDb>,
    private readonly locks: LockNames,
    private readonly file: ManifestFile,
    private readonly label: string,
    private readonly failed: (e: unknown) => Error,
  ) {}

  // each pull must enqueue or close (a pull that does neither stalls the stream), or fail with
  // the store's error, as every other read does
  pull(controller: ReadableStreamDefaultController<Uint8Array>): Promise<void> {
    return this.next(controller).catch((e: unknown) => Promise.reject(this.failed(e)));
  }

  async cancel(): Promise<void> {
    this.cancelled = true;
    await this.opened?.chunks.return();
  }

  private async open() {
    if (this.opened) return this.opened;
    const store = await this.db();
    const rec = await committed(store, this.file, this.label);
    const pieced = isPieced(this.file) && storedInPieces(rec, this.file) ? this.file : undefined;
    if (!pieced) this.hash = await createHasher();
    return (this.opened = { store, rec, chunks: readChunks(store, rec), pieced });
  }

  private async next(controller: ReadableStreamDefaultController<Uint8Array>): Promise<void> {
    const { pieced } = await this.open();
    if (pieced) return this.nextPiece(controller, pieced);
    for (;;) {
      const next = await this.chunk();
      if (next === 'cancelled') return;
      if (next.done) break;
      this.hash!.update(next.value);
      this.total += next.value.byteLength;
      const out = this.held;
      this.held = next.value;
      if (out) return controller.enqueue(out);
    }
    const digest = this.hash!.hex();
    if (this.total !== this.file.size || digest !== this.file.sha256)
      throw await this.changed({ size: this.total, sha256: digest });
    if (this.held) controller.enqueue(this.held);
    controller.close();
  }

  private async nextPiece(controller: ReadableStreamDefaultController<Uint8Array>, pieced: PiecedFile): Promise<void> {
    const next = await this.chunk();
    if (next === 'cancelled') return;
    if (next.done) {
      if (this.total !== this.file.size) throw await this.changed({ size: this.total });
      return controller.close();
    }
    const actual = await pieceProblem(pieced, this.piece, next.value);
    if (actual) throw await this.changed({ piece: this.piece, sha256: actual });
    this.piece++;
    this.total += next.value.byteLength;
    controller.enqueue(next.value);
  }

  private async chunk(): Promise<IteratorResult<Uint8Array<ArrayBuffer>, void> | 'cancelled'> {
    try {
      const next = await this.opened!.chunks.next();
      // a cancel ends the chunks early: that is no verdict on the file
      return this.cancelled ? 'cancelled' : next;
    } catch (e) {
      if (!(e instanceof ChunksInconsistent)) throw e;
      throw await this.changed({ chunks: 'inconsistent' });
    }
  }

  private changed(actual: Parameters<typeof changed>[5]) {
    const { store, rec } = this.opened!;
    return changed(store, this.locks, this.file, rec, this.label, actual);
  }
}

export function streamVerified(
  db: () => Promise<StoreDb>,
  locks: LockNames,
  file: ManifestFile,
  label: string,
  failed: (e: unknown) => Error,
): ReadableStream<Uint8Array> {
  return new ReadableStream<Uint8Array>(new VerifiedSource(db, locks, file, label, failed), { highWaterMark: 0 });
}
