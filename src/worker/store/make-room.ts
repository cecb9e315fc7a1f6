// Making room for a load's files before (and after a refused write during) their download.
import type { ManifestFile } from '../../manifest/types.js';
import type { StoreOptions } from '../../protocol/config.js';
import type { Eviction } from '../../protocol/types.js';
import { estimateStorage } from '../../shared/storage-estimate.js';
import { withLock } from './locks.js';
import { evictFor, quotaError, type LockNames } from './quota.js';
import type { StoreDb } from './schema.js';
import type { EnsureRequest } from './types.js';

/** The files a load needs: eviction must leave them. */
export function keepOf(req: EnsureRequest): Set<string> {
  return new Set(req.manifest.files.map((f) => f.sha256));
}

/**
 * Before downloading: compares the bytes needed with the room left, under the browser's quota
 * and under `maxBytes`, and evicts to make room when allowed. One make-room at a time in the
 * origin, so that two loads do not each evict for the same space.
 */
export function makeRoom(
  db: StoreDb,
  locks: LockNames,
  options: StoreOptions,
  req: EnsureRequest,
  missing: ManifestFile[],
): Promise<Eviction[]> {
  return withLock(
    locks.room,
    async () => {
      let needed = 0;
      for (const f of missing) needed += f.size - ((await db.get('files', f.sha256))?.stored ?? 0);
      const estimate = await estimateStorage();
      const { maxBytes } = options;
      const stored = maxBytes === undefined ? 0 : (await db.getAll('files')).reduce((n, f) => n + f.stored, 0);
      const available = Math.min(
        estimate?.available ?? Infinity,
        maxBytes === undefined ? Infinity : Math.max(0, maxBytes - stored),
      );
      if (needed <= available) return [];
      const label = `Model "${req.id}"`;
      if (!options.evict) throw quotaError(label, needed, available);
      const { freed, evicted } = await evictFor(db, locks, needed - available, keepOf(req), new Set([req.key]));
      // the browser's usage figure lags behind deletions: count what was freed instead
      if (needed > available + freed) throw quotaError(label, needed, available + freed);
      return evicted;
    },
    req.signal,
  );
}

/** After the browser refused a write of `file`: evicts for its size, one make-room at a time. */
export function makeRoomFor(
  db: StoreDb,
  locks: LockNames,
  req: EnsureRequest,
  file: ManifestFile,
): Promise<{ freed: number; evicted: Eviction[] }> {
  return withLock(locks.room, () => evictFor(db, locks, file.size, keepOf(req), new Set([req.key])), req.signal);
}
