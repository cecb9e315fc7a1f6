// The last verified hosting policy, kept in IndexedDB with its signature: what stands when the
// policy URL cannot be reached. It is verified again each time it is read.
import { openDB } from 'idb';

export interface StoredPolicy {
  url: string;
  /** the exact bytes of policy.json as served, and its `.sig` file */
  text: string;
  signature: string;
  storedAt: number;
}

const STORE = 'policies';

function open(dbName: string) {
  return openDB(`${dbName}:policy`, 1, {
    upgrade: (db) => void db.createObjectStore(STORE, { keyPath: 'url' }),
  });
}

export async function readStoredPolicy(dbName: string, url: string): Promise<StoredPolicy | undefined> {
  const db = await open(dbName);
  try {
    return (await db.get(STORE, url)) as StoredPolicy | undefined;
  } finally {
    db.close();
  }
}

export async function writeStoredPolicy(dbName: string, record: StoredPolicy): Promise<void> {
  const db = await open(dbName);
  try {
    await db.put(STORE, record);
  } finally {
    db.close();
  }
}
