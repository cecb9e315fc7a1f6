// The store's settings, what it says about stored models, and what a load asks of it.
import type { ManifestLimits } from '../../manifest/limits.js';
import type { Manifest, ManifestFile } from '../../manifest/types.js';
import type { FetchLike } from '../policy/guarded-fetch.js';
import type { FileCheck } from './verified-read.js';

export interface StoreOptions {
  dbName: string;
  /** bytes per stored chunk: the most of a file held in memory while it downloads */
  chunkBytes: number;
  /** evict least-recently-used models when the quota is short */
  evict: boolean;
  /** the most bytes the store may hold, below the browser's quota */
  maxBytes?: number | undefined;
  /** how long a file request may wait for its response headers before it counts as broken */
  headerTimeoutMs: number;
  /** caps on the manifests a load accepts (files, bytes) */
  manifestLimits: ManifestLimits;
}

/** A stored model, as `cache.list()` shows it. */
export interface StoredModel {
  id: string;
  modelBase: string;
  revision: string;
  bytes: number;
  /** whether every file is stored (a raw session stores only the files it needs) */
  complete: boolean;
  storedAt: number;
  lastUsed: number;
}

export interface VerifyReport {
  id: string;
  revision: string;
  ok: boolean;
  files: FileCheck[];
}

/** The model being brought in: where its files come from and who wants to hear about it. */
export interface EnsureRequest {
  key: string;
  id: string;
  modelBase: string;
  manifest: Manifest;
  fetch: FetchLike;
  urlOf(path: string): string;
  signal?: AbortSignal | undefined;
  onBytes?: ((file: ManifestFile, fileLoaded: number) => void) | undefined;
  /** a file is in the store, verified: just now, or already before */
  onStored?: ((file: ManifestFile, downloaded: boolean) => void) | undefined;
}
