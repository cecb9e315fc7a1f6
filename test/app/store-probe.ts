// Reads and changes the model store's database directly, with plain IndexedDB and WebCrypto
// rather than the library's own code, so that tests check the store from the outside.

interface ProbedFile {
  sha256: string;
  state: string;
  size: number;
  stored: number;
  chunks: number;
  /** set when the file is stored piece by piece */
  pieceBytes?: number;
  /** bytes in the chunks actually present, each chunk's length, and their SHA-256 */
  chunkBytes: number;
  chunkCount: number;
  chunkSizes: number[];
  digest: string;
}

export interface StoreSnapshot {
  version: number;
  stores: string[];
  indexes: string[];
  models: { key: string; id: string; revision: string; bytes: number; lastUsed: number }[];
  files: ProbedFile[];
  /** chunks whose file has no record */
  orphanChunks: number;
}

const done = <T>(req: IDBRequest<T>) =>
  new Promise<T>(
    (resolve, reject) => (
      (req.onsuccess = () => resolve(req.result)),
      (req.onerror = () => reject(req.error ?? new Error('IndexedDB request failed')))
    ),
  );

async function exists(name: string): Promise<boolean> {
  return (await indexedDB.databases()).some((d) => d.name === name);
}

function open(name: string, version?: number, upgrade?: (db: IDBDatabase) => void): Promise<IDBDatabase> {
  const req = indexedDB.open(name, version);
  if (upgrade) req.onupgradeneeded = () => upgrade(req.result);
  return done(req);
}

const hex = (buf: ArrayBuffer) => [...new Uint8Array(buf)].map((b) => b.toString(16).padStart(2, '0')).join('');

async function sha256Of(parts: ArrayBuffer[]): Promise<string> {
  const total = parts.reduce((n, p) => n + p.byteLength, 0);
  const all = new Uint8Array(total);
  let at = 0;
  for (const p of parts) all.set(new Uint8Array(p), (at += p.byteLength) - p.byteLength);
  return hex(await crypto.subtle.digest('SHA-256', all));
}

export async function read(name: string): Promise<StoreSnapshot | null> {
  if (!(await exists(name))) return null;
  const db = await open(name);
  try {
    const stores = [...db.objectStoreNames];
    const tx = db.transaction(stores, 'readonly');
    const models = (await done(tx.objectStore('models').getAll())) as {
      key: string;
      id: string;
      manifest: { revision: string };
      bytes: number;
      lastUsed: number;
    }[];
    const files = (await done(tx.objectStore('files').getAll())) as Omit<
      ProbedFile,
      'chunkBytes' | 'chunkCount' | 'chunkSizes' | 'digest'
    >[];
    const chunkKeys = (await done(tx.objectStore('chunks').getAllKeys())) as [string, number][];
    const chunkValues = (await done(tx.objectStore('chunks').getAll())) as ArrayBuffer[];
    const indexes = [...tx.objectStore('models').indexNames];
    const bySha = new Map<string, ArrayBuffer[]>();
    chunkKeys.forEach(([sha], i) => bySha.set(sha, [...(bySha.get(sha) ?? []), chunkValues[i]!]));
    const probed: ProbedFile[] = [];
    for (const f of files) {
      const parts = bySha.get(f.sha256) ?? [];
      probed.push({
        ...f,
        chunkBytes: parts.reduce((n, p) => n + p.byteLength, 0),
        chunkCount: parts.length,
        chunkSizes: parts.map((p) => p.byteLength),
        digest: await sha256Of(parts),
      });
    }
    const known = new Set(files.map((f) => f.sha256));
    return {
      version: db.version,
      stores,
      indexes,
      models: models.map((m) => ({
        key: m.key,
        id: m.id,
        revision: m.manifest.revision,
        bytes: m.bytes,
        lastUsed: m.lastUsed,
      })),
      files: probed,
      orphanChunks: chunkKeys.filter(([sha]) => !known.has(sha)).length,
    };
  } finally {
    db.close();
  }
}

/** Flips one byte of a stored chunk, as a bad disk or another script on the origin could. */
export async function tamper(name: string, sha: string, chunk = 0, byte = 0): Promise<void> {
  const db = await open(name);
  try {
    const tx = db.transaction('chunks', 'readwrite');
    const value = (await done(tx.objectStore('chunks').get([sha, chunk]))) as ArrayBuffer;
    const bytes = new Uint8Array(value);
    bytes[byte] = bytes[byte]! ^ 0xff;
    await done(tx.objectStore('chunks').put(value, [sha, chunk]));
  } finally {
    db.close();
  }
}

/** Rewrites the database as schema version 1 laid it out (no last-use index), records kept. */
export async function downgradeToV1(name: string): Promise<void> {
  const db = await open(name);
  const tx = db.transaction(['models', 'files', 'chunks'], 'readonly');
  const models = await done(tx.objectStore('models').getAll());
  const files = await done(tx.objectStore('files').getAll());
  const chunkKeys = await done(tx.objectStore('chunks').getAllKeys());
  const chunks = await done(tx.objectStore('chunks').getAll());
  db.close();
  await done(indexedDB.deleteDatabase(name));
  const v1 = await open(name, 1, (fresh) => {
    fresh.createObjectStore('models', { keyPath: 'key' });
    fresh.createObjectStore('files', { keyPath: 'sha256' });
    fresh.createObjectStore('chunks');
  });
  const write = v1.transaction(['models', 'files', 'chunks'], 'readwrite');
  for (const m of models) write.objectStore('models').put(m);
  for (const f of files) write.objectStore('files').put(f);
  chunkKeys.forEach((k, i) => write.objectStore('chunks').put(chunks[i], k));
  await new Promise(
    (resolve, reject) => (
      (write.oncomplete = resolve),
      (write.onerror = () => reject(write.error ?? new Error('IndexedDB transaction failed')))
    ),
  );
  v1.close();
}

/** Writes `bytes` of noise into a database of its own; returns the error name if the browser refuses. */
export async function fill(bytes: number): Promise<string | null> {
  const db = await open('airlock-test-filler', 1, (fresh) => fresh.createObjectStore('blobs'));
  try {
    const tx = db.transaction('blobs', 'readwrite');
    // random bytes: the browser compresses what it stores, and would shrink a constant fill
    const data = new Uint8Array(bytes);
    for (let at = 0; at < bytes; at += 65536) crypto.getRandomValues(data.subarray(at, Math.min(bytes, at + 65536)));
    tx.objectStore('blobs').put(data.buffer, Date.now());
    await new Promise(
      (resolve, reject) => (
        (tx.oncomplete = resolve),
        (tx.onabort = () => reject(tx.error ?? new Error('IndexedDB transaction aborted')))
      ),
    );
    return null;
  } catch (e) {
    return (e as DOMException).name;
  } finally {
    db.close();
  }
}
