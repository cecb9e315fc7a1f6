// What a load asks of the store. (Its settings and what it says of stored models are part of
// the worker's contract: src/protocol/.)
import type { Manifest, ManifestFile } from '../../manifest/types.js';
import type { FetchLike } from '../policy/guarded-fetch.js';
import type { SignedText } from '../trust/signed-documents.js';
import type { Eviction } from '../../protocol/types.js';

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
  /** with it, a file downloaded now is also handed over whole, verified (see `DownloadContext.onKept`) */
  onKept?: ((file: ManifestFile, bytes: Uint8Array<ArrayBuffer>) => void) | undefined;
  /**
   * With `onKept`: told once, when the call returns while writes of the files it handed over
   * are still going on, of their end: the models evicted meanwhile, or why the files could
   * not be stored (the bytes handed over were verified all the same)
   */
  onWritten?: ((written: Promise<Eviction[]>) => void) | undefined;
  /** false: store the files only, and record no model (a load's first look at its config.json, before the files are chosen) */
  record?: boolean;
  /** the manifest's signed text and signature (with `trust`), kept with the model to be checked again */
  signed?: SignedText | undefined;
}
