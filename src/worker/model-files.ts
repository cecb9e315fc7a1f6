// Fetches a model's manifest and files through the guarded fetch, and checks every byte against
// the manifest before anything else sees it.
import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex } from '@noble/hashes/utils.js';
import { AirlockError } from '../errors.js';
import { MANIFEST_FILE, validateManifest, type Manifest, type ManifestFile } from '../manifest/index.js';
import { modelIdProblem } from '../manifest/paths.js';
import type { FetchLike } from '../policy/guarded-fetch.js';
import { throwIfAborted } from './calls.js';
import type { LoadProgress } from './protocol.js';

export interface ModelFiles {
  manifest: Manifest;
  /** file path -> verified bytes */
  bytes: Map<string, Uint8Array>;
}

export interface FetchContext {
  fetch: FetchLike;
  modelBase: string;
  signal?: AbortSignal | undefined;
  onProgress?: ((p: LoadProgress) => void) | undefined;
}

export function modelUrl(modelBase: string, id: string, path: string): string {
  return new URL(`${encodeURIComponent(id)}/${path}`, modelBase).href;
}

export async function fetchManifest(ctx: FetchContext, id: string): Promise<Manifest> {
  const problem = modelIdProblem(id);
  if (problem) throw new AirlockError('BAD_INPUT', `Model id "${id}" ${problem}`, { modelId: id });
  ctx.onProgress?.({ modelId: id, phase: 'manifest', loaded: 0, total: 0 });
  const url = modelUrl(ctx.modelBase, id, MANIFEST_FILE);
  const res = await ctx.fetch(url, { cache: 'no-store', signal: ctx.signal ?? null });
  if (res.status === 404) throw new AirlockError('MODEL_NOT_FOUND', `No model "${id}" at ${url}`, { modelId: id, url });
  if (!res.ok) throw new AirlockError('NETWORK', `Manifest of "${id}" answered HTTP ${res.status}`, { modelId: id, url, status: res.status });
  let raw: unknown;
  try {
    raw = await res.json();
  } catch {
    throw new AirlockError('MANIFEST_INVALID', `Manifest of "${id}" is not JSON`, { modelId: id, url });
  }
  return validateManifest(raw, id);
}

function mismatch(id: string, file: ManifestFile, actual: { size: number; sha256?: string }): AirlockError {
  return new AirlockError('INTEGRITY_MISMATCH', `${file.path} of "${id}" does not match its manifest`, {
    modelId: id,
    path: file.path,
    expected: { size: file.size, sha256: file.sha256 },
    actual,
  });
}

/**
 * Reads one file into a buffer of the manifest's size, hashing as bytes arrive (a streaming
 * SHA-256 that works in any context, secure or not) and reporting progress.
 */
async function fetchVerified(ctx: FetchContext, id: string, file: ManifestFile, report: (fileLoaded: number) => void): Promise<Uint8Array> {
  const url = modelUrl(ctx.modelBase, id, file.path);
  // revalidate with the server: a cached copy of an older file would fail its new hash
  const res = await ctx.fetch(url, { signal: ctx.signal ?? null, cache: 'no-cache' });
  if (!res.ok) throw new AirlockError('NETWORK', `${file.path} of "${id}" answered HTTP ${res.status}`, { modelId: id, url, status: res.status });
  let bytes: Uint8Array;
  try {
    bytes = new Uint8Array(file.size);
  } catch {
    throw new AirlockError('QUOTA_EXCEEDED', `${file.path} of "${id}" (${file.size} bytes) does not fit in memory`, { modelId: id, size: file.size });
  }
  const hash = sha256.create();
  let loaded = 0;
  if (res.body) {
    const reader = res.body.getReader();
    for (;;) {
      let chunk: ReadableStreamReadResult<Uint8Array>;
      try {
        chunk = await reader.read();
      } catch (e) {
        throwIfAborted(ctx.signal, `Loading "${id}"`);
        throw new AirlockError('NETWORK', `${file.path} of "${id}" broke off: ${(e as Error)?.message ?? String(e)}`, { modelId: id, url });
      }
      if (chunk.done) break;
      // a body longer than the manifest says is wrong, whatever its hash
      if (loaded + chunk.value.byteLength > file.size) {
        await reader.cancel();
        throw mismatch(id, file, { size: loaded + chunk.value.byteLength });
      }
      bytes.set(chunk.value, loaded);
      hash.update(chunk.value);
      loaded += chunk.value.byteLength;
      report(loaded);
    }
  }
  if (loaded !== file.size) throw mismatch(id, file, { size: loaded });
  const digest = bytesToHex(hash.digest());
  if (digest !== file.sha256) throw mismatch(id, file, { size: loaded, sha256: digest });
  return bytes;
}

/** Calls `report` with a byte count at most once per 1/64 of `total`, and always at the end. */
function throttled(total: number, report: (n: number) => void): (n: number) => void {
  const step = Math.max(1, Math.floor(total / 64));
  let next = step;
  return (n) => {
    if (n < next && n < total) return;
    next = n + step;
    report(n);
  };
}

/**
 * Fetches and verifies the files of `id` that `select` picks from its manifest (all by default);
 * `select` may throw to refuse a manifest before anything is downloaded.
 */
export async function fetchModelFiles(ctx: FetchContext, id: string, select: (m: Manifest) => ManifestFile[] = (m) => m.files): Promise<ModelFiles> {
  const manifest = await fetchManifest(ctx, id);
  const files = select(manifest);
  const total = files.reduce((n, f) => n + f.size, 0);
  const bytes = new Map<string, Uint8Array>();
  let done = 0;
  for (const file of files) {
    throwIfAborted(ctx.signal, `Loading "${id}"`);
    const progress = (phase: 'download' | 'verify', fileLoaded: number) =>
      ctx.onProgress?.({ modelId: id, phase, file: file.path, fileLoaded, fileTotal: file.size, loaded: done + fileLoaded, total });
    bytes.set(file.path, await fetchVerified(ctx, id, file, throttled(file.size, (n) => progress('download', n))));
    progress('verify', file.size);
    done += file.size;
  }
  return { manifest, bytes };
}
