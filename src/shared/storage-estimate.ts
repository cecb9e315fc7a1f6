// The browser's estimate of the origin's storage, as the page's `cache.estimate()` and the
// worker's quota check both read it.
import type { StorageEstimate } from '../protocol/types.js';

/** The estimate; `undefined` where the browser has none (insecure contexts). */
export async function estimateStorage(): Promise<StorageEstimate | undefined> {
  const storage = typeof navigator !== 'undefined' ? navigator.storage : undefined;
  if (typeof storage?.estimate !== 'function') return undefined;
  const { usage = 0, quota } = await storage.estimate();
  if (quota === undefined) return undefined;
  return { usage, quota, available: Math.max(0, quota - usage) };
}
