// How the store downloads one file: under the file's lock (one tab or worker at a time), making
// room when a write is refused, and, for a file a load keeps whole, answering at the hand-over of
// its verified bytes while its last writes go on.
import { isAirlockError } from '../../errors.js';
import type { ManifestFile } from '../../manifest/types.js';
import type { StoreOptions } from '../../protocol/config.js';
import type { Eviction } from '../../protocol/types.js';
import { downloadFile } from './download.js';
import { withLock } from './locks.js';
import { makeRoomFor } from './make-room.js';
import type { LockNames } from './quota.js';
import type { StoreDb } from './schema.js';
import type { EnsureRequest } from './types.js';
import type { WritesBehind } from './writes-behind.js';

export interface DownloadEnv {
  db: StoreDb;
  locks: LockNames;
  options: StoreOptions;
  behind: WritesBehind;
}

export interface Downloaded {
  evicted: Eviction[];
  fetched: boolean;
  /** handed over before its last writes (`onKept`): they are done with this, and needed these evictions */
  written?: Promise<Eviction[]>;
}

/**
 * Downloads a file. The browser's estimate can be far off (Chromium reports a fixed figure), so
 * a refused write is the real sign of a full quota: then it makes room and tries once more.
 */
export async function downloadMakingRoom(
  env: DownloadEnv,
  req: EnsureRequest,
  file: ManifestFile,
): Promise<Downloaded> {
  try {
    return await download(env, req, file);
  } catch (e) {
    const evicted = await roomAfter(env, req, file, e);
    const again = await download(env, req, file);
    return { ...again, evicted: [...evicted, ...again.evicted] };
  }
}

/** After a refused write: the models evicted to make room, or `e` again when there is none to make. */
async function roomAfter(env: DownloadEnv, req: EnsureRequest, file: ManifestFile, e: unknown): Promise<Eviction[]> {
  if (!isAirlockError(e) || e.code !== 'QUOTA_EXCEEDED' || !env.options.evict) throw e;
  const room = await makeRoomFor(env.db, env.locks, req, file);
  if (room.freed === 0) throw e;
  return room.evicted;
}

/**
 * One tab or worker downloads a file; the others wait for its lock and then find it complete
 * (not fetched). With `onKept`, it answers at the hand-over; the lock is held until the file is
 * committed, and a write refused after the hand-over makes room and stores the file again.
 */
function download(env: DownloadEnv, req: EnsureRequest, file: ManifestFile): Promise<Downloaded> {
  const locked = (onKept?: (bytes: Uint8Array<ArrayBuffer>) => void, request = req) =>
    withLock(env.locks.file(file.sha256), () => downloadOne(env, request, file, onKept), req.signal);
  const keep = req.onKept;
  if (!keep) return locked().then((fetched) => ({ evicted: [], fetched }));
  return new Promise<Downloaded>((resolve, reject) => {
    let handedOver = false;
    const whole = locked((bytes) => {
      handedOver = true;
      env.behind.file(file.sha256, written);
      keep(file, bytes);
      resolve({ evicted: [], fetched: true, written });
    });
    const written = whole.then(
      () => [],
      async (e: unknown) => {
        if (!handedOver) return [];
        const evicted = await roomAfter(env, req, file, e);
        // the load has answered: its progress is over
        await locked(undefined, { ...req, onBytes: undefined });
        return evicted;
      },
    );
    written.catch(() => undefined); // the load hears of it through `onWritten`
    whole.then((fetched) => resolve({ evicted: [], fetched }), reject);
  });
}

function downloadOne(
  env: DownloadEnv,
  req: EnsureRequest,
  file: ManifestFile,
  onKept: ((bytes: Uint8Array<ArrayBuffer>) => void) | undefined,
): Promise<boolean> {
  return downloadFile({
    db: env.db,
    fetch: req.fetch,
    url: req.urlOf(file.path),
    modelId: req.id,
    file,
    label: `${file.path} of "${req.id}"`,
    chunkBytes: env.options.chunkBytes,
    headerTimeoutMs: env.options.headerTimeoutMs,
    signal: req.signal,
    onBytes: req.onBytes && ((n) => req.onBytes!(file, n)),
    onKept,
  });
}
