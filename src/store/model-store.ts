// The model store: every model byte an engine gets comes out of it, and every byte in it was
// checked against its manifest, when it was written and again when it is read.
import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex } from '@noble/hashes/utils.js';
import { AirlockError, isAirlockError } from '../errors.js';
import type { Manifest, ManifestFile } from '../manifest/types.js';
import type { FetchLike } from '../policy/guarded-fetch.js';
import { ChunksInconsistent, dropFile, readChunks, scanChunks } from './chunks.js';
import { digestOf } from './digest.js';
import { downloadFile } from './download.js';
import { holdShared, withLock } from './locks.js';
import { estimateStorage, evictFor, quotaError, removeModel, type Eviction, type LockNames, type StorageEstimate } from './quota.js';
import { openStore, type FileRecord, type ModelRecord, type StoreDb } from './schema.js';

export interface StoreOptions {
  dbName: string;
  /** bytes per stored chunk: the most of a file held in memory while it downloads */
  chunkBytes: number;
  /** evict least-recently-used models when the quota is short */
  evict: boolean;
  /** the most bytes the store may hold, below the browser's quota */
  maxBytes?: number | undefined;
}

/** A stored model, as `cache.list()` shows it. */
export interface StoredModel {
  id: string;
  modelBase: string;
  revision: string;
  bytes: number;
  /** whether every file is stored (a raw session stores only the files it needs) */
  complete: boolean;
  storedAt: number;
  lastUsed: number;
}

export interface FileCheck {
  path: string;
  ok: boolean;
  /** why not: missing, incomplete, or a hash that no longer matches (the file is then dropped) */
  problem?: 'missing' | 'incomplete' | 'mismatch';
}

export interface VerifyReport {
  id: string;
  revision: string;
  ok: boolean;
  files: FileCheck[];
}

/** The model being brought in: where its files come from and who wants to hear about it. */
export interface EnsureRequest {
  key: string;
  id: string;
  modelBase: string;
  manifest: Manifest;
  fetch: FetchLike;
  urlOf(path: string): string;
  signal?: AbortSignal | undefined;
  onBytes?: ((file: ManifestFile, fileLoaded: number) => void) | undefined;
  /** a file is in the store, verified: just now, or already before */
  onStored?: ((file: ManifestFile, downloaded: boolean) => void) | undefined;
}

/** The files a load needs: eviction must leave them. */
function keepOf(req: EnsureRequest): Set<string> {
  return new Set(req.manifest.files.map((f) => f.sha256));
}

export class ModelStore {
  private opened: Promise<StoreDb> | undefined;
  readonly locks: LockNames;

  constructor(readonly options: StoreOptions) {
    const prefix = `airlock:${options.dbName}`;
    this.locks = { model: (key) => `${prefix}:model:${key}`, file: (sha) => `${prefix}:file:${sha}` };
  }

  private db(): Promise<StoreDb> {
    if (!this.opened) {
      const opening = openStore(this.options.dbName);
      this.opened = opening;
      // a newer version's upgrade closes this connection: open again next time
      void opening.then((db) => db.addEventListener('close', () => this.opened === opening && (this.opened = undefined)), () => (this.opened = undefined));
    }
    return this.opened;
  }

  /** Marks a model as in use until the returned function runs: eviction passes it by. */
  inUse(key: string): Promise<() => void> {
    return holdShared(this.locks.model(key));
  }

  async record(key: string): Promise<ModelRecord | undefined> {
    return (await this.db()).get('models', key);
  }

  /**
   * Stores every file of `files` not yet stored (resuming partial ones), after making room for
   * them, then records the model. Returns the models evicted to make room.
   */
  async ensure(req: EnsureRequest, files: readonly ManifestFile[] = req.manifest.files): Promise<Eviction[]> {
    const db = await this.db();
    const records = new Map<string, FileRecord | undefined>();
    for (const f of files) records.set(f.sha256, await db.get('files', f.sha256));
    const missing = files.filter((f) => records.get(f.sha256)?.state !== 'complete');
    const evicted = missing.length > 0 ? await this.makeRoom(db, req, missing, records) : [];
    for (const file of files) {
      if (req.signal?.aborted) throw new AirlockError('ABORTED', `Loading "${req.id}" was aborted`, { modelId: req.id });
      if (!missing.includes(file)) {
        req.onStored?.(file, false);
        continue;
      }
      try {
        await this.download(db, req, file);
      } catch (e) {
        // the browser's estimate can be far off (Chromium reports a fixed figure), so a refused
        // write is the real sign of a full quota: make room for this file and try it once more
        if (!isAirlockError(e) || e.code !== 'QUOTA_EXCEEDED' || !this.options.evict) throw e;
        const room = await evictFor(db, this.locks, file.size, keepOf(req), new Set([req.key]));
        if (room.evicted.length === 0) throw e;
        evicted.push(...room.evicted);
        await this.download(db, req, file);
      }
      req.onStored?.(file, true);
    }
    // recorded even when only some files were asked for (a raw session's): offline loads need
    // the manifest, and `has` still checks every file
    await this.commitModel(db, req);
    return evicted;
  }

  /** One tab or worker downloads a file; the others wait for its lock and then find it complete. */
  private download(db: StoreDb, req: EnsureRequest, file: ManifestFile): Promise<void> {
    return withLock(this.locks.file(file.sha256), () =>
      downloadFile({
        db,
        fetch: req.fetch,
        url: req.urlOf(file.path),
        file,
        label: `${file.path} of "${req.id}"`,
        chunkBytes: this.options.chunkBytes,
        signal: req.signal,
        onBytes: req.onBytes && ((n) => req.onBytes!(file, n)),
      }),
    );
  }

  /** Bytes the store holds, partial files included. */
  private async storedBytes(db: StoreDb): Promise<number> {
    return (await db.getAll('files')).reduce((n, f) => n + f.stored, 0);
  }

  /**
   * Before downloading: compares the bytes needed with the room left, under the browser's quota
   * and under `maxBytes`, and evicts to make room when allowed.
   */
  private async makeRoom(db: StoreDb, req: EnsureRequest, missing: ManifestFile[], records: Map<string, FileRecord | undefined>): Promise<Eviction[]> {
    const needed = missing.reduce((n, f) => n + f.size - (records.get(f.sha256)?.stored ?? 0), 0);
    const estimate = await estimateStorage();
    const { maxBytes } = this.options;
    const available = Math.min(estimate?.available ?? Infinity, maxBytes === undefined ? Infinity : Math.max(0, maxBytes - (await this.storedBytes(db))));
    if (needed <= available) return [];
    const label = `Model "${req.id}"`;
    if (!this.options.evict) throw quotaError(label, needed, available);
    const { freed, evicted } = await evictFor(db, this.locks, needed - available, keepOf(req), new Set([req.key]));
    // the browser's usage figure lags behind deletions: count what was freed instead
    if (needed > available + freed) throw quotaError(label, needed, available + freed);
    return evicted;
  }

  /** Records a complete model, and drops the files of its previous revision that nothing else uses. */
  private async commitModel(db: StoreDb, req: EnsureRequest): Promise<void> {
    const previous = await db.get('models', req.key);
    const now = Date.now();
    const bytes = req.manifest.files.reduce((n, f) => n + f.size, 0);
    const record: ModelRecord = { key: req.key, id: req.id, modelBase: req.modelBase, manifest: req.manifest, bytes, storedAt: now, lastUsed: now };
    if (previous && previous.manifest.revision === req.manifest.revision) record.storedAt = previous.storedAt;
    if (previous && previous.manifest.revision !== req.manifest.revision) {
      await removeModel(db, this.locks, previous, new Set(req.manifest.files.map((f) => f.sha256)));
    }
    await db.put('models', record);
  }

  /** Notes a use of the model, for least-recently-used eviction. */
  async touch(key: string): Promise<void> {
    const db = await this.db();
    const rec = await db.get('models', key);
    if (rec) await db.put('models', { ...rec, lastUsed: Date.now() });
  }

  /**
   * The verified bytes of a stored file. Its hash is checked again on every read: the engine
   * reads every byte anyway, and a chunk changed behind the store's back is then caught before
   * an engine sees it. A file that fails is dropped, so that the next load fetches it again.
   */
  async read(file: ManifestFile, label: string): Promise<Uint8Array> {
    const db = await this.db();
    const rec = await this.committed(db, file, label);
    const bytes = new Uint8Array(file.size);
    const total = await scanChunks(db, rec, undefined, (chunk, offset) => bytes.set(chunk, offset));
    const digest = total === file.size ? await digestOf(bytes) : '';
    if (total !== file.size || digest !== file.sha256) throw await this.changed(db, file, label, total, digest);
    return bytes;
  }

  /**
   * A stored file as a stream of its chunks, hashed on the way; the last chunk goes out only once
   * the whole file matched, so a reader never gets a complete file that is wrong (the stream
   * errors instead). No copy of the whole file is made on this side.
   */
  stream(file: ManifestFile, label: string): ReadableStream<Uint8Array> {
    let chunks: AsyncGenerator<Uint8Array<ArrayBuffer>, void> | undefined;
    let held: Uint8Array | undefined;
    let total = 0;
    const hash = sha256.create();
    return new ReadableStream<Uint8Array>({
      start: async () => {
        const db = await this.db();
        chunks = readChunks(db, await this.committed(db, file, label));
      },
      // each pull must enqueue or close: a pull that does neither stalls the stream
      pull: async (controller) => {
        for (;;) {
          let next: IteratorResult<Uint8Array<ArrayBuffer>, void>;
          try {
            next = await chunks!.next();
          } catch (e) {
            if (!(e instanceof ChunksInconsistent)) throw e;
            throw await this.changed(await this.db(), file, label, undefined, '');
          }
          if (next.done) break;
          hash.update(next.value);
          total += next.value.byteLength;
          const out = held;
          held = next.value;
          if (out) return controller.enqueue(out);
        }
        const digest = bytesToHex(hash.digest());
        if (total !== file.size || digest !== file.sha256) throw await this.changed(await this.db(), file, label, total, digest);
        if (held) controller.enqueue(held);
        controller.close();
      },
      cancel: async () => void (await chunks?.return()),
    });
  }

  private async committed(db: StoreDb, file: ManifestFile, label: string): Promise<FileRecord> {
    const rec = await db.get('files', file.sha256);
    if (rec?.state !== 'complete' || rec.size !== file.size) {
      throw new AirlockError('INTEGRITY_MISMATCH', `${label} is not stored`, { path: file.path, stored: false });
    }
    return rec;
  }

  /** Drops a file whose stored bytes no longer match, and says so. */
  private async changed(db: StoreDb, file: ManifestFile, label: string, total: number | undefined, digest: string): Promise<AirlockError> {
    await withLock(this.locks.file(file.sha256), () => dropFile(db, file.sha256));
    return new AirlockError('INTEGRITY_MISMATCH', `${label} changed in the store since it was verified`, {
      path: file.path,
      stored: true,
      expected: { size: file.size, sha256: file.sha256 },
      actual: total === undefined ? { chunks: 'inconsistent' } : { size: total, sha256: digest },
    });
  }

  async list(): Promise<StoredModel[]> {
    const db = await this.db();
    const models = await db.getAll('models');
    const out: StoredModel[] = [];
    for (const m of models) {
      out.push({ id: m.id, modelBase: m.modelBase, revision: m.manifest.revision, bytes: m.bytes, complete: await this.complete(db, m), storedAt: m.storedAt, lastUsed: m.lastUsed });
    }
    return out;
  }

  /** Whether every file of the stored model is complete (no re-hash: see `verify`). */
  async has(key: string): Promise<boolean> {
    const db = await this.db();
    const model = await db.get('models', key);
    return model !== undefined && (await this.complete(db, model));
  }

  private async complete(db: StoreDb, model: ModelRecord): Promise<boolean> {
    for (const f of model.manifest.files) {
      const rec = await db.get('files', f.sha256);
      if (rec?.state !== 'complete' || rec.size !== f.size) return false;
    }
    return true;
  }

  /** Re-hashes every stored file of a model; files that fail are dropped. */
  async verify(key: string): Promise<VerifyReport | undefined> {
    const db = await this.db();
    const model = await db.get('models', key);
    if (!model) return undefined;
    const files: FileCheck[] = [];
    for (const f of model.manifest.files) {
      files.push(
        await withLock(this.locks.file(f.sha256), async (): Promise<FileCheck> => {
          const rec = await db.get('files', f.sha256);
          if (!rec) return { path: f.path, ok: false, problem: 'missing' };
          if (rec.state !== 'complete') return { path: f.path, ok: false, problem: 'incomplete' };
          const hash = sha256.create();
          const total = await scanChunks(db, rec, hash);
          if (total === f.size && rec.size === f.size && bytesToHex(hash.digest()) === f.sha256) {
            await db.put('files', { ...rec, verifiedAt: Date.now() });
            return { path: f.path, ok: true };
          }
          await dropFile(db, f.sha256);
          return { path: f.path, ok: false, problem: 'mismatch' };
        }),
      );
    }
    return { id: model.id, revision: model.manifest.revision, ok: files.every((f) => f.ok), files };
  }

  /** Removes a model and the files no other stored model uses. */
  async delete(key: string): Promise<boolean> {
    const db = await this.db();
    const model = await db.get('models', key);
    if (!model) return false;
    await removeModel(db, this.locks, model);
    return true;
  }

  /** Removes every model and file, partial downloads included. */
  async clear(): Promise<void> {
    const db = await this.db();
    const tx = db.transaction(['models', 'files', 'chunks'], 'readwrite');
    await Promise.all([tx.objectStore('models').clear(), tx.objectStore('files').clear(), tx.objectStore('chunks').clear(), tx.done]);
  }

  estimate(): Promise<StorageEstimate | undefined> {
    return estimateStorage();
  }
}
