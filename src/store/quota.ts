// How much the origin may still store, and making room by evicting least-recently-used models
// that no page has loaded.
import { AirlockError } from '../errors.js';
import { dropFile } from './chunks.js';
import { ifFree, withLock } from './locks.js';
import type { ModelRecord, StoreDb } from './schema.js';

export interface StorageEstimate {
  /** bytes the origin uses (all its storage, not only models) */
  usage: number;
  quota: number;
  available: number;
}

/** The browser's estimate; `undefined` where there is none (insecure contexts). */
export async function estimateStorage(): Promise<StorageEstimate | undefined> {
  if (typeof navigator === 'undefined' || typeof navigator.storage?.estimate !== 'function') return undefined;
  const { usage = 0, quota } = await navigator.storage.estimate();
  if (quota === undefined) return undefined;
  return { usage, quota, available: Math.max(0, quota - usage) };
}

export interface LockNames {
  model(key: string): string;
  file(sha: string): string;
}

export interface Eviction {
  id: string;
  modelBase: string;
  revision: string;
  /** bytes removed: the files no other stored model uses */
  bytes: number;
}

/** The files of `models` by hash, with their sizes. */
function filesOf(models: Iterable<ModelRecord>): Map<string, number> {
  const files = new Map<string, number>();
  for (const m of models) for (const f of m.manifest.files) files.set(f.sha256, f.size);
  return files;
}

/**
 * Removes `victim`'s record and the files no other model uses (`keep` lists hashes that must stay
 * whatever happens). Returns the bytes freed.
 */
export async function removeModel(db: StoreDb, locks: LockNames, victim: ModelRecord, keep: ReadonlySet<string> = new Set()): Promise<number> {
  await db.delete('models', victim.key);
  const others = filesOf(await db.getAll('models'));
  let freed = 0;
  for (const [sha, size] of filesOf([victim])) {
    if (others.has(sha) || keep.has(sha)) continue;
    // wait for a download of the same bytes (another tab) rather than tear it
    await withLock(locks.file(sha), () => dropFile(db, sha));
    freed += size;
  }
  return freed;
}

/**
 * Evicts least-recently-used models until `needed` bytes are freed, skipping models that a page
 * holds loaded (their shared lock is taken) and the files in `keep`. Returns what it evicted.
 */
export async function evictFor(db: StoreDb, locks: LockNames, needed: number, keep: ReadonlySet<string>, protectedKeys: ReadonlySet<string>): Promise<{ freed: number; evicted: Eviction[] }> {
  const evicted: Eviction[] = [];
  let freed = 0;
  for (const victim of await db.getAllFromIndex('models', 'by-last-used')) {
    if (freed >= needed) break;
    if (protectedKeys.has(victim.key)) continue;
    const bytes = await ifFree(locks.model(victim.key), () => removeModel(db, locks, victim, keep));
    if (bytes === undefined) continue;
    freed += bytes;
    evicted.push({ id: victim.id, modelBase: victim.modelBase, revision: victim.manifest.revision, bytes });
  }
  return { freed, evicted };
}

export function quotaError(label: string, needed: number, available: number): AirlockError {
  return new AirlockError('QUOTA_EXCEEDED', `${label} needs ${needed} bytes of storage; ${available} are available`, { needed, available });
}
