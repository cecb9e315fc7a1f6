// Fetches a model's manifest and files through the guarded fetch, and checks every byte against
// the manifest before anything else sees it.
import { AirlockError } from '../errors.js';
import { MANIFEST_FILE, validateManifest, type Manifest, type ManifestFile } from '../manifest/index.js';
import { modelIdProblem } from '../manifest/paths.js';
import type { FetchLike } from '../policy/guarded-fetch.js';

export interface ModelFiles {
  manifest: Manifest;
  /** file path -> verified bytes */
  bytes: Map<string, Uint8Array>;
}

export function modelUrl(modelBase: string, id: string, path: string): string {
  return new URL(`${encodeURIComponent(id)}/${path}`, modelBase).href;
}

export async function fetchManifest(fetchFn: FetchLike, modelBase: string, id: string): Promise<Manifest> {
  const problem = modelIdProblem(id);
  if (problem) throw new AirlockError('BAD_INPUT', `Model id "${id}" ${problem}`, { modelId: id });
  const url = modelUrl(modelBase, id, MANIFEST_FILE);
  const res = await fetchFn(url, { cache: 'no-store' });
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

function toHex(buf: ArrayBuffer): string {
  return Array.from(new Uint8Array(buf), (b) => b.toString(16).padStart(2, '0')).join('');
}

async function fetchVerified(fetchFn: FetchLike, modelBase: string, id: string, file: ManifestFile): Promise<Uint8Array> {
  const url = modelUrl(modelBase, id, file.path);
  const res = await fetchFn(url);
  if (!res.ok) throw new AirlockError('NETWORK', `${file.path} of "${id}" answered HTTP ${res.status}`, { modelId: id, url, status: res.status });
  const bytes = new Uint8Array(await res.arrayBuffer());
  const sha256 = toHex(await crypto.subtle.digest('SHA-256', bytes));
  if (bytes.byteLength !== file.size || sha256 !== file.sha256) {
    throw new AirlockError('INTEGRITY_MISMATCH', `${file.path} of "${id}" does not match its manifest`, {
      modelId: id,
      path: file.path,
      expected: { size: file.size, sha256: file.sha256 },
      actual: { size: bytes.byteLength, sha256 },
    });
  }
  return bytes;
}

/** Fetches and verifies the files of `id` that `wanted` selects (all by default). */
export async function fetchModelFiles(
  fetchFn: FetchLike,
  modelBase: string,
  id: string,
  wanted: (path: string) => boolean = () => true,
): Promise<ModelFiles> {
  const manifest = await fetchManifest(fetchFn, modelBase, id);
  const bytes = new Map<string, Uint8Array>();
  for (const file of manifest.files.filter((f) => wanted(f.path))) {
    bytes.set(file.path, await fetchVerified(fetchFn, modelBase, id, file));
  }
  return { manifest, bytes };
}
