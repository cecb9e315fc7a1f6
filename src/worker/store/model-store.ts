// The model store: every model byte an engine gets comes out of it, and every byte in it was
// checked against its manifest, when it was written and again when it is read (verified-read.ts).
import { AirlockError } from '../../errors.js';
import { storeFailure } from './errors.js';
import type { ManifestFile } from '../../manifest/types.js';
import { isStored } from './file-state.js';
import { holdShared } from './locks.js';
import { makeRoom } from './make-room.js';
import { commitModel, storedPart } from './model-record.js';
import { removeModel, type LockNames } from './quota.js';
import { openStore, type ModelRecord, type StoreDb } from './schema.js';
import type { StoreOptions } from '../../protocol/config.js';
import type { Eviction, FileCheck, StoredModel, VerifyReport } from '../../protocol/types.js';
import type { EnsureRequest } from './types.js';
import { readVerified, verifyFile } from './verified-read.js';
import { downloadMakingRoom } from './store-downloads.js';
import { streamVerified } from './verified-stream.js';
import { WritesBehind } from './writes-behind.js';

export type { EnsureRequest };

const MAX_NOTES = 8;

export class ModelStore {
  private opened: Promise<StoreDb> | undefined;
  readonly locks: LockNames;
  private readonly behind = new WritesBehind();
  private readonly unstored: string[] = [];

  constructor(readonly options: StoreOptions) {
    const prefix = `airlock:${options.dbName}`;
    this.locks = {
      model: (key) => `${prefix}:model:${key}`,
      file: (sha) => `${prefix}:file:${sha}`,
      pin: (sha) => `${prefix}:pin:${sha}`,
      room: `${prefix}:room`,
    };
  }

  /** The open database; a newer version's upgrade elsewhere closes it, and the next call opens it again. */
  private db(): Promise<StoreDb> {
    if (!this.opened) {
      const opening = openStore(this.options.dbName, () => this.opened === opening && (this.opened = undefined));
      this.opened = opening;
      opening.catch(() => this.opened === opening && (this.opened = undefined));
    }
    return this.opened;
  }

  /** Runs a store operation; its failures leave the store as typed errors with stable codes. */
  private async run<T>(op: (db: StoreDb) => Promise<T>): Promise<T> {
    try {
      return await op(await this.db());
    } catch (e) {
      throw this.failed(e);
    }
  }

  /** A page's store call: it sees the store as it is once the writes loads left going on are done. */
  private async runSettled<T>(op: (db: StoreDb) => Promise<T>): Promise<T> {
    await this.behind.settled();
    return this.run(op);
  }

  /** The error a failed operation or stream read reports (see errors.ts). */
  private failed(e: unknown): AirlockError {
    // a closed connection (another tab's upgrade, a database closed under us) is opened again by the next call
    if ((e as DOMException)?.name === 'InvalidStateError') this.opened = undefined;
    return storeFailure(e);
  }

  /** Marks a model as in use until the returned function runs: eviction passes it by. */
  inUse(key: string, signal?: AbortSignal): Promise<() => void> {
    return holdShared(this.locks.model(key), signal);
  }

  /** Pins files until the returned function runs: nothing removes them meanwhile. */
  async pin(files: readonly ManifestFile[], signal?: AbortSignal): Promise<() => void> {
    const releases: (() => void)[] = [];
    const release = () => releases.splice(0).forEach((r) => r());
    try {
      for (const sha of new Set(files.map((f) => f.sha256)))
        releases.push(await holdShared(this.locks.pin(sha), signal));
    } catch (e) {
      release();
      throw e;
    }
    return release;
  }

  async record(key: string): Promise<ModelRecord | undefined> {
    await this.behind.forModel(key);
    return this.run((db) => db.get('models', key));
  }

  /** Once the writes that loads left going on are done (see `EnsureRequest.onWritten`). */
  settled(): Promise<void> {
    return this.behind.settled();
  }

  /**
   * Stores every file of `files` not yet stored (resuming partial ones), after making room for
   * them, then records the model. Returns the models evicted to make room. The caller pins the
   * files first. With `onKept`, files downloaded now are handed over once verified, and the
   * call returns while their last writes and the record may still be going on (`onWritten`).
   */
  ensure(req: EnsureRequest, files: readonly ManifestFile[] = req.manifest.files): Promise<Eviction[]> {
    return this.run(async (db) => {
      const evicted: Eviction[] = [];
      const behind: Promise<Eviction[]>[] = [];
      // a file stored earlier in this call may be gone by its end (the store was cleared): go again
      for (let round = 0; ; round++) {
        const missing: ManifestFile[] = [];
        for (const f of files) if (!this.behind.pending(f.sha256) && !(await isStored(db, req.id, f))) missing.push(f);
        if (missing.length === 0) break;
        if (round === 3)
          throw new AirlockError(
            'STORAGE_FAILED',
            `The files of "${req.id}" kept disappearing from the store while it loaded`,
            { modelId: req.id },
          );
        evicted.push(...(await makeRoom(db, this.locks, this.options, req, missing)));
        for (const file of files) {
          if (req.signal?.aborted)
            throw new AirlockError('ABORTED', `Loading "${req.id}" was aborted`, { modelId: req.id });
          if (!missing.includes(file)) {
            if (round === 0) req.onStored?.(file, false);
            continue;
          }
          const got = await downloadMakingRoom(
            { db, locks: this.locks, options: this.options, behind: this.behind },
            req,
            file,
          );
          evicted.push(...got.evicted);
          if (got.written) behind.push(got.written);
          req.onStored?.(file, got.fetched);
        }
      }
      if (behind.length > 0) this.recordBehind(db, req, behind);
      // recorded even when only some files were asked for (a raw session's): offline loads need
      // the manifest, and `has` still checks every file
      else if (req.record !== false) await commitModel(db, this.locks, req);
      return evicted;
    });
  }

  /** Records the model once the writes its load left going on are done; tells the load how that ended. */
  private recordBehind(db: StoreDb, req: EnsureRequest, behind: Promise<Eviction[]>[]): void {
    const done = (async () => {
      try {
        const evicted = (await Promise.all(behind)).flat();
        if (req.record !== false) await commitModel(db, this.locks, req);
        return evicted;
      } catch (e) {
        const failure = this.failed(e);
        this.noteUnstored(req.id, failure);
        throw failure;
      }
    })();
    this.behind.model(req.key, done);
    req.onWritten?.(done);
  }

  /** A model a load could not store after it had its bytes: `info().notes` says so (the latest few). */
  private noteUnstored(id: string, e: AirlockError): void {
    this.unstored.push(`"${id}" was loaded, but could not be stored for the next load (${e.code}): ${e.message}`);
    this.unstored.splice(0, this.unstored.length - MAX_NOTES);
  }

  /** What `info()` notes of the store: the models loads could not store. */
  notes(): string[] {
    return [...this.unstored];
  }

  /** Notes a use of the model, for least-recently-used eviction. */
  async touch(key: string): Promise<void> {
    // a record still to be written behind a load notes this use itself: no write need wait for its chunks'
    if (this.behind.modelPending(key)) return;
    return this.run(async (db) => {
      // read and write in one transaction: a delete in between must not be undone
      const tx = db.transaction('models', 'readwrite');
      const rec = await tx.store.get(key);
      if (rec) await tx.store.put({ ...rec, lastUsed: Date.now() });
      await tx.done;
    });
  }

  /** The verified bytes of a stored file (see verified-read.ts). */
  async read(file: ManifestFile, label: string): Promise<Uint8Array> {
    await this.behind.forFile(file.sha256);
    return this.run((db) => readVerified(db, this.locks, file, label));
  }

  /** A stored file as a stream that errors rather than end on a wrong byte. */
  stream(file: ManifestFile, label: string): ReadableStream<Uint8Array> {
    return streamVerified(
      () => this.behind.forFile(file.sha256).then(() => this.db()),
      this.locks,
      file,
      label,
      (e) => this.failed(e),
    );
  }

  list(): Promise<StoredModel[]> {
    return this.runSettled(async (db) => {
      const out: StoredModel[] = [];
      for (const m of await db.getAll('models')) {
        const { bytes, complete } = await storedPart(db, m);
        out.push({
          id: m.id,
          modelBase: m.modelBase,
          revision: m.manifest.revision,
          bytes,
          complete,
          storedAt: m.storedAt,
          lastUsed: m.lastUsed,
        });
      }
      return out;
    });
  }

  /** Whether every file of the stored model is complete (no re-hash: see `verify`). */
  has(key: string): Promise<boolean> {
    return this.runSettled(async (db) => {
      const model = await db.get('models', key);
      return model !== undefined && (await storedPart(db, model)).complete;
    });
  }

  /**
   * Re-hashes every stored file of a model; files that fail are dropped. Files of the manifest
   * that no load asked for (another dtype's ONNX files) are listed as not stored, not as failures.
   */
  verify(key: string): Promise<VerifyReport | undefined> {
    return this.runSettled(async (db) => {
      const model = await db.get('models', key);
      if (!model) return undefined;
      const files: FileCheck[] = [];
      const notStored: string[] = [];
      for (const f of model.manifest.files) {
        if (await db.get('files', f.sha256)) files.push(await verifyFile(db, this.locks, f));
        else notStored.push(f.path);
      }
      return { id: model.id, revision: model.manifest.revision, ok: files.every((f) => f.ok), files, notStored };
    });
  }

  /** Removes a model and the files no other stored model uses (files a load has pinned stay, and are swept later). */
  delete(key: string): Promise<boolean> {
    return this.runSettled(async (db) => {
      const model = await db.get('models', key);
      if (!model) return false;
      await removeModel(db, this.locks, model);
      return true;
    });
  }

  /**
   * Removes every model and file, partial downloads included. A download running meanwhile
   * notices (its next write finds its record gone) and starts over.
   */
  clear(): Promise<void> {
    return this.runSettled(async (db) => {
      const tx = db.transaction(['models', 'files', 'chunks'], 'readwrite');
      await Promise.all([
        tx.objectStore('models').clear(),
        tx.objectStore('files').clear(),
        tx.objectStore('chunks').clear(),
        tx.done,
      ]);
    });
  }
}
