// How much the origin may still store, and making room: first files no model lists (abandoned
// downloads, a dropped revision), then least-recently-used models that no page has loaded.
// Files a load has pinned are never removed; they are swept later, once nobody needs them.
import { AirlockError } from '../../errors.js';
import { dropFile } from './chunks.js';
import { ifFree, withLock } from './locks.js';
import type { Eviction } from '../../protocol/types.js';
import type { ModelRecord, StoreDb } from './schema.js';

export interface LockNames {
  /** shared while a page has the model loaded (or is loading it) */
  model(key: string): string;
  /** exclusive while a file is written or dropped */
  file(sha: string): string;
  /** shared while a load needs the file, from before its download until its engine is built */
  pin(sha: string): string;
  /** one make-room at a time in the origin */
  room: string;
}

const shasOf = (models: Iterable<ModelRecord>) =>
  new Set([...models].flatMap((m) => m.manifest.files.map((f) => f.sha256)));

/** Drops one file unless a load has it pinned; waits for a write of it in progress. Returns the bytes freed. */
async function dropUnpinned(db: StoreDb, locks: LockNames, sha: string): Promise<number> {
  return (await ifFree(locks.pin(sha), () => withLock(locks.file(sha), () => dropFile(db, sha)))) ?? 0;
}

/**
 * Removes `victim`'s record and the stored files no other model uses (`keep` lists hashes that
 * must stay whatever happens). Returns the bytes freed.
 */
export async function removeModel(
  db: StoreDb,
  locks: LockNames,
  victim: ModelRecord,
  keep: ReadonlySet<string> = new Set(),
): Promise<number> {
  await db.delete('models', victim.key);
  const others = shasOf(await db.getAll('models'));
  let freed = 0;
  for (const sha of shasOf([victim])) {
    if (!others.has(sha) && !keep.has(sha)) freed += await dropUnpinned(db, locks, sha);
  }
  return freed;
}

/** Drops stored files that no model lists and nobody is writing or has pinned. */
export async function sweepOrphans(db: StoreDb, locks: LockNames, keep: ReadonlySet<string>): Promise<number> {
  const listed = shasOf(await db.getAll('models'));
  let freed = 0;
  for (const sha of await db.getAllKeys('files')) {
    if (listed.has(sha) || keep.has(sha)) continue;
    freed +=
      (await ifFree(locks.pin(sha), async () => (await ifFree(locks.file(sha), () => dropFile(db, sha))) ?? 0)) ?? 0;
  }
  return freed;
}

/**
 * Frees at least `needed` bytes if it can: orphaned files first, then least-recently-used models
 * that no page holds and that are not in `protectedKeys`. Evicts nothing when even all candidates
 * would not be enough. Returns what it freed and evicted.
 */
export async function evictFor(
  db: StoreDb,
  locks: LockNames,
  needed: number,
  keep: ReadonlySet<string>,
  protectedKeys: ReadonlySet<string>,
): Promise<{ freed: number; evicted: Eviction[] }> {
  let freed = await sweepOrphans(db, locks, keep);
  const evicted: Eviction[] = [];
  if (freed >= needed) return { freed, evicted };
  const models = await db.getAllFromIndex('models', 'by-last-used');
  const candidates = models.filter((m) => !protectedKeys.has(m.key));
  // what evicting every candidate could free: files no remaining model or `keep` needs
  const staying = shasOf(models.filter((m) => protectedKeys.has(m.key)));
  let possible = 0;
  for (const sha of shasOf(candidates)) {
    if (staying.has(sha) || keep.has(sha)) continue;
    possible += (await db.get('files', sha))?.stored ?? 0;
  }
  if (freed + possible < needed) return { freed, evicted };
  for (const victim of candidates) {
    if (freed >= needed) break;
    const bytes = await ifFree(locks.model(victim.key), async () => {
      // the record may have changed since it was listed (a newer revision): remove what is there now
      const current = await db.get('models', victim.key);
      return current ? removeModel(db, locks, current, keep) : 0;
    });
    if (bytes === undefined) continue;
    freed += bytes;
    evicted.push({ id: victim.id, modelBase: victim.modelBase, revision: victim.manifest.revision, bytes });
  }
  return { freed, evicted };
}

export function quotaError(label: string, needed: number, available: number): AirlockError {
  return new AirlockError('QUOTA_EXCEEDED', `${label} needs ${needed} bytes of storage; ${available} are available`, {
    needed,
    available,
  });
}
