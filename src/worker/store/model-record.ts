// The model records: writing one once a load has its files, and how much of one is stored.
import type { ModelRecord, StoreDb } from './schema.js';
import { removeModel, type LockNames } from './quota.js';
import { keepOf } from './make-room.js';
import type { EnsureRequest } from './types.js';

/** Records a complete model, and drops the files of its previous revision that nothing else uses. */
export async function commitModel(db: StoreDb, locks: LockNames, req: EnsureRequest): Promise<void> {
  const previous = await db.get('models', req.key);
  const now = Date.now();
  const bytes = req.manifest.files.reduce((n, f) => n + f.size, 0);
  const record: ModelRecord = {
    key: req.key,
    id: req.id,
    modelBase: req.modelBase,
    manifest: req.manifest,
    bytes,
    storedAt: now,
    lastUsed: now,
    ...(req.signed && { signed: req.signed }),
  };
  if (previous && previous.manifest.revision === req.manifest.revision) record.storedAt = previous.storedAt;
  if (previous && previous.manifest.revision !== req.manifest.revision) {
    // files a load of the old revision still has pinned stay, and are swept later
    await removeModel(db, locks, previous, keepOf(req));
  }
  await db.put('models', record);
}

/** The bytes of the model's files that are stored whole, and whether that is every file (a pipeline stores one dtype, a session its files). */
export async function storedPart(db: StoreDb, model: ModelRecord): Promise<{ bytes: number; complete: boolean }> {
  let bytes = 0;
  let complete = true;
  for (const f of model.manifest.files) {
    const rec = await db.get('files', f.sha256);
    if (rec?.state === 'complete' && rec.size === f.size) bytes += f.size;
    else complete = false;
  }
  return { bytes, complete };
}
