// The IndexedDB layout of the model store, and its migrations. Files are stored by content: a
// file's key is its SHA-256, so a file shared by two models or two revisions is stored once, and a
// new revision fetches only the files whose hash changed.
import { openDB, type DBSchema, type IDBPDatabase, type IDBPTransaction, type StoreNames } from 'idb';
import type { Manifest } from '../../manifest/types.js';
import type { StoredModel } from '../../protocol/types.js';
import type { SignedText } from '../trust/signed-documents.js';

/** A model whose files are all committed. Written only after the last file is. */
export interface ModelRecord extends Pick<StoredModel, 'id' | 'modelBase' | 'storedAt'> {
  /** the model's folder URL: `<modelBase><id>/` */
  key: string;
  manifest: Manifest;
  /** sum of the manifest's file sizes */
  bytes: number;
  /** when a page last loaded or prefetched it (for least-recently-used eviction) */
  lastUsed: number;
  /** the manifest as signed, when a load with `trust` checked it: an offline load checks it again */
  signed?: SignedText;
}

/** One file's bytes, by hash. `partial` while its chunks arrive; `complete` once verified. */
export interface FileRecord {
  sha256: string;
  size: number;
  state: 'partial' | 'complete';
  /** bytes held in chunks 0..chunks-1 */
  stored: number;
  chunks: number;
  /** when its hash was last checked against the bytes stored */
  verifiedAt?: number;
  /** set when it is stored piece by piece: one chunk per piece of this size (see ./pieces.ts) */
  pieceBytes?: number;
}

export interface StoreSchema extends DBSchema {
  models: { key: string; value: ModelRecord; indexes: { 'by-last-used': number } };
  files: { key: string; value: FileRecord };
  /** [sha256, index] -> the bytes of that chunk */
  chunks: { key: [string, number]; value: ArrayBuffer };
}

export type StoreDb = IDBPDatabase<StoreSchema>;

export const DEFAULT_DB_NAME = 'airlock-models';

/**
 * Migrations, one per version step: `MIGRATIONS[v]` upgrades a database at version v to v + 1.
 * A database is only ever upgraded in place: what an older version stored stays usable.
 */
type UpgradeTx = IDBPTransaction<StoreSchema, StoreNames<StoreSchema>[], 'versionchange'>;

const MIGRATIONS: ((db: StoreDb, tx: UpgradeTx) => void)[] = [
  // 0 -> 1: models, files and their chunks
  (db) => {
    db.createObjectStore('models', { keyPath: 'key' });
    db.createObjectStore('files', { keyPath: 'sha256' });
    db.createObjectStore('chunks');
  },
  // 1 -> 2: an index on last use, for eviction; records written by version 1 lack nothing
  (_db, tx) => {
    tx.objectStore('models').createIndex('by-last-used', 'lastUsed');
  },
];

export const SCHEMA_VERSION = MIGRATIONS.length;

/** Opens the store; `closed` runs when another tab's newer version makes this connection step aside. */
export function openStore(name: string, closed: () => void): Promise<StoreDb> {
  return openDB<StoreSchema>(name, SCHEMA_VERSION, {
    upgrade(db, oldVersion, _newVersion, tx) {
      for (let v = oldVersion; v < SCHEMA_VERSION; v++) MIGRATIONS[v]!(db, tx);
    },
    blocking(_current, _next, event) {
      // a newer version wants to upgrade in another tab: step aside rather than block it (a
      // close made here fires no close event, hence the callback)
      (event.target as IDBDatabase).close();
      closed();
    },
    terminated: closed,
  });
}

/** The key range of every chunk of one file. */
export function chunksOf(sha256: string): IDBKeyRange {
  return IDBKeyRange.bound([sha256, 0], [sha256, Number.MAX_SAFE_INTEGER]);
}
