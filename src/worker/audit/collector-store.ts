// The collector's outbox in IndexedDB (a database of its own): the events not yet delivered and
// the count of those the queue had to drop, so both survive a reload while the collector is away.
import type { QueuedEvent } from './collector-otlp.js';

export interface Outbox {
  /** every stored event, oldest first, and the stored drop count */
  load(): Promise<{ events: QueuedEvent[]; dropped: number }>;
  add(event: QueuedEvent): Promise<void>;
  remove(ids: readonly string[]): Promise<void>;
  setDropped(count: number): Promise<void>;
}

const EVENTS = 'events';
const META = 'meta';

function done<T>(request: IDBRequest<T>): Promise<T> {
  return new Promise((resolve, reject) => {
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error ?? new Error('IndexedDB request failed'));
  });
}

function committed(tx: IDBTransaction): Promise<void> {
  return new Promise((resolve, reject) => {
    tx.oncomplete = () => resolve();
    tx.onerror = tx.onabort = () => reject(tx.error ?? new Error('IndexedDB transaction failed'));
  });
}

/** Opens (and on first use creates) the outbox `name`; rejects where IndexedDB is unavailable. */
export async function openOutbox(name: string): Promise<Outbox> {
  const open = indexedDB.open(name, 1);
  open.onupgradeneeded = () => {
    // keyed by id; ids start with their time, so the key order is the order they came in
    open.result.createObjectStore(EVENTS, { keyPath: 'id' });
    open.result.createObjectStore(META);
  };
  const db = await done(open);
  const write = (change: (tx: IDBTransaction) => void, stores = [EVENTS, META]) => {
    const tx = db.transaction(stores, 'readwrite');
    change(tx);
    return committed(tx);
  };
  return {
    async load() {
      const tx = db.transaction([EVENTS, META]);
      const [events, dropped] = await Promise.all([
        done(tx.objectStore(EVENTS).getAll() as IDBRequest<QueuedEvent[]>),
        done(tx.objectStore(META).get('dropped') as IDBRequest<number | undefined>),
      ]);
      return { events, dropped: dropped ?? 0 };
    },
    add: (event) => write((tx) => tx.objectStore(EVENTS).add(event), [EVENTS]),
    remove: (ids) =>
      write(
        (tx) => {
          for (const id of ids) tx.objectStore(EVENTS).delete(id);
        },
        [EVENTS],
      ),
    setDropped: (count) => write((tx) => tx.objectStore(META).put(count, 'dropped'), [META]),
  };
}
