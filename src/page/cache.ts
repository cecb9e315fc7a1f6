// The page's view of the model store, `runtime.cache`. The store lives in the worker (with the
// engines); estimates and persistence are the page's, since only a page may ask to persist.
import type { PrefetchOptions, PrefetchResult, StorageEstimate, StoredModel, VerifyReport } from '../protocol/types.js';
import { estimateStorage } from '../shared/storage-estimate.js';
import type { LoadControls } from './handles.js';
import type { WorkerHost } from './worker-host.js';
import { progressSink } from './progress.js';
import { nonEmptyString, optionalBoolean, optionalString, optionsObject } from './checks.js';
import { loadControls } from './load-options.js';

export interface ModelCache {
  /** The stored models: id, revision, bytes, whether complete, when stored and last used. */
  list(): Promise<StoredModel[]>;
  /** Whether every file of the model is stored (for this runtime's model base). */
  has(modelId: string): Promise<boolean>;
  /**
   * Downloads and verifies what the store lacks of a model, without loading it: every file of its
   * manifest, or with `dtype` the files a pipeline of that dtype reads.
   */
  prefetch(modelId: string, options?: LoadControls & PrefetchOptions): Promise<PrefetchResult>;
  /** Re-hashes the stored files of a model; files that fail are dropped (and fetched again on the next load). `null` if not stored. */
  verify(modelId: string): Promise<VerifyReport | null>;
  /** Removes a model and the files no other stored model shares; `false` if it was not stored. */
  delete(modelId: string): Promise<boolean>;
  /** Removes every stored model and partial download. */
  clear(): Promise<void>;
  /** The origin's storage use and quota, as the browser estimates them; `null` where the browser has no estimate. */
  estimate(): Promise<StorageEstimate | null>;
  /** Whether the browser keeps this origin's storage under pressure instead of clearing it. */
  persisted(): Promise<boolean>;
}

/**
 * Asks once, on the first download, for persistent storage: without it the browser may clear the
 * models under storage pressure. The answer is what `persisted()` reports.
 */
export function persistence(enabled: boolean): { request(): void; persisted(): Promise<boolean> } {
  let asked: Promise<unknown> | undefined;
  const storage = () => (typeof navigator !== 'undefined' ? navigator.storage : undefined);
  return {
    request() {
      if (enabled && !asked)
        asked =
          storage()
            ?.persist?.()
            .catch(() => false) ?? Promise.resolve(false);
    },
    async persisted() {
      await asked;
      return (
        (await storage()
          ?.persisted?.()
          .catch(() => false)) ?? false
      );
    },
  };
}

export function createCache(host: WorkerHost, persist: ReturnType<typeof persistence>): ModelCache {
  // async, so that a bad argument rejects like every other failure
  const id = (modelId: unknown) => nonEmptyString('modelId', modelId);
  return {
    list: () => host.call((api) => api.cacheList()),
    has: async (modelId) => host.call((api) => api.cacheHas(id(modelId))),
    async prefetch(modelId, options) {
      id(modelId);
      const { onProgress, signal, revalidate, dtype } = optionsObject('options', options);
      const controls = loadControls({
        ...(onProgress !== undefined && { onProgress }),
        ...(signal !== undefined && { signal }),
      });
      const load: PrefetchOptions = {
        ...(revalidate !== undefined && { revalidate: optionalBoolean('revalidate', revalidate)! }),
        ...(dtype !== undefined && { dtype: optionalString('dtype', dtype)! }),
      };
      persist.request();
      return host.call((api, callId, events) => api.cachePrefetch(modelId, load, callId, events), {
        signal: controls.signal,
        events: progressSink(controls),
      });
    },
    verify: async (modelId) => host.call((api) => api.cacheVerify(id(modelId))),
    delete: async (modelId) => host.call((api) => api.cacheDelete(id(modelId))),
    clear: () => host.call((api) => api.cacheClear()),
    estimate: async () => (await estimateStorage()) ?? null,
    persisted: () => persist.persisted(),
  };
}
