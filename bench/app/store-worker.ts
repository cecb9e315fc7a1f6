// Store throughput: Airlock's model store driven directly (download with hashing into chunks,
// verified read back), against plain IndexedDB puts and gets of the same bytes in chunks of the
// same size. Both sides fetch the same file from the same origin.
import { DEFAULT_MANIFEST_LIMITS } from '../../src/manifest/limits.js';
import type { Manifest } from '../../src/manifest/types.js';
import { ModelStore } from '../../src/worker/store/model-store.js';

export type StoreRequest =
  | { op: 'airlock-write'; manifestUrl: string; chunkBytes: number }
  | { op: 'airlock-read'; manifestUrl: string; chunkBytes: number }
  | { op: 'raw-write'; manifestUrl: string; chunkBytes: number }
  | { op: 'raw-read'; manifestUrl: string; chunkBytes: number }
  | { op: 'clear' };

const AIRLOCK_DB = 'bench-store';
const RAW_DB = 'bench-raw-chunks';

async function manifestOf(url: string): Promise<Manifest> {
  return (await (await fetch(url, { cache: 'no-store' })).json()) as Manifest;
}

const fileUrl = (manifestUrl: string, path: string) => new URL(path, manifestUrl).href;
const storeOf = (chunkBytes: number) =>
  new ModelStore({
    dbName: AIRLOCK_DB,
    chunkBytes,
    evict: false,
    headerTimeoutMs: 30_000,
    manifestLimits: DEFAULT_MANIFEST_LIMITS,
  });

async function airlockWrite(manifestUrl: string, chunkBytes: number): Promise<number> {
  const manifest = await manifestOf(manifestUrl);
  const t0 = performance.now();
  await storeOf(chunkBytes).ensure({
    key: manifestUrl,
    id: manifest.id,
    modelBase: manifestUrl,
    manifest,
    fetch: (input, init) => fetch(input, init),
    urlOf: (p) => fileUrl(manifestUrl, p),
  });
  return performance.now() - t0;
}

async function airlockRead(manifestUrl: string, chunkBytes: number): Promise<number> {
  const manifest = await manifestOf(manifestUrl);
  const store = storeOf(chunkBytes);
  const t0 = performance.now();
  let n = 0;
  for (const f of manifest.files) n += (await store.read(f, f.path)).byteLength;
  const ms = performance.now() - t0;
  if (n !== manifest.files.reduce((a, f) => a + f.size, 0)) throw new Error('short read');
  return ms;
}

function openRaw(): Promise<IDBDatabase> {
  return new Promise((resolve, reject) => {
    const req = indexedDB.open(RAW_DB, 1);
    req.onupgradeneeded = () => req.result.createObjectStore('chunks');
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error ?? new Error(`${RAW_DB} could not be opened`));
  });
}

function done(tx: IDBTransaction): Promise<void> {
  return new Promise((resolve, reject) => {
    tx.oncomplete = () => resolve();
    tx.onerror = tx.onabort = () => reject(tx.error ?? new Error('the transaction was aborted'));
  });
}

async function rawWrite(manifestUrl: string, chunkBytes: number): Promise<number> {
  const manifest = await manifestOf(manifestUrl);
  const db = await openRaw();
  const t0 = performance.now();
  for (const f of manifest.files) {
    const reader = (await fetch(fileUrl(manifestUrl, f.path), { cache: 'no-store' })).body!.getReader();
    const chunk = new Uint8Array(chunkBytes);
    let filled = 0;
    let index = 0;
    let writing = Promise.resolve();
    const flush = async () => {
      const tx = db.transaction('chunks', 'readwrite');
      tx.objectStore('chunks').put(chunk.slice(0, filled).buffer, [f.sha256, index++]);
      filled = 0;
      await writing;
      writing = done(tx);
    };
    for (;;) {
      const { value, done: end } = await reader.read();
      if (end) break;
      for (let at = 0; at < value.byteLength;) {
        const n = Math.min(chunkBytes - filled, value.byteLength - at);
        chunk.set(value.subarray(at, at + n), filled);
        filled += n;
        at += n;
        if (filled === chunkBytes) await flush();
      }
    }
    if (filled > 0) await flush();
    await writing;
  }
  db.close();
  return performance.now() - t0;
}

async function rawRead(manifestUrl: string, chunkBytes: number): Promise<number> {
  const manifest = await manifestOf(manifestUrl);
  const db = await openRaw();
  const t0 = performance.now();
  for (const f of manifest.files) {
    const whole = new Uint8Array(f.size);
    const count = Math.ceil(f.size / chunkBytes);
    const tx = db.transaction('chunks', 'readonly');
    const gets = Array.from({ length: count }, (_, i) => tx.objectStore('chunks').get([f.sha256, i]));
    await done(tx);
    gets.forEach((g, i) => whole.set(new Uint8Array(g.result as ArrayBuffer), i * chunkBytes));
  }
  db.close();
  return performance.now() - t0;
}

function deleteDb(name: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const req = indexedDB.deleteDatabase(name);
    req.onsuccess = () => resolve();
    req.onerror = () => reject(req.error ?? new Error(`${name} could not be deleted`));
  });
}

async function handle(req: StoreRequest): Promise<number | null> {
  switch (req.op) {
    case 'airlock-write':
      return airlockWrite(req.manifestUrl, req.chunkBytes);
    case 'airlock-read':
      return airlockRead(req.manifestUrl, req.chunkBytes);
    case 'raw-write':
      return rawWrite(req.manifestUrl, req.chunkBytes);
    case 'raw-read':
      return rawRead(req.manifestUrl, req.chunkBytes);
    case 'clear':
      await deleteDb(AIRLOCK_DB);
      await deleteDb(RAW_DB);
      return null;
  }
}

self.onmessage = async (e: MessageEvent<StoreRequest & { id: number }>) => {
  try {
    self.postMessage({ id: e.data.id, ok: true, value: await handle(e.data) });
  } catch (err) {
    self.postMessage({ id: e.data.id, ok: false, message: (err as Error)?.message ?? String(err) });
  }
};
