// The revision: a SHA-256 over the sorted file list, so it changes whenever any file changes.
import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex, utf8ToBytes } from '@noble/hashes/utils.js';
import type { ManifestFile } from './types.js';

export function computeRevision(files: readonly ManifestFile[]): string {
  const lines = [...files]
    .sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0))
    .map((f) => `${f.path}\t${f.size}\t${f.sha256}\n`)
    .join('');
  return bytesToHex(sha256(utf8ToBytes(lines)));
}
