// What a model folder already holds: its manifest, and whether a local file is the hub's file
// (so a re-run downloads nothing, and a new commit only what changed).
import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { MANIFEST_FILE } from '../manifest/types.js';
import { gitBlobId, sha256File } from './file-hash.js';
import type { WantedFile } from './download.js';

export interface PulledManifest {
  id: string;
  task: string;
  license: string;
  source: string;
  revision: string;
  dtypes?: string[];
  upstream?: { hub: string; repo: string; commit: string; revision: string };
  files: { path: string; size: number; sha256: string }[];
}

/** The folder's manifest.json as written, or undefined when there is none (or it does not parse). */
export async function readLocalManifest(dir: string): Promise<PulledManifest | undefined> {
  try {
    return JSON.parse(await readFile(join(dir, MANIFEST_FILE), 'utf8')) as PulledManifest;
  } catch {
    return undefined;
  }
}

/** The file's SHA-256 when `path` holds exactly the hub's file (same size, and LFS SHA-256 or git blob id). */
export async function sameAsHub(path: string, file: WantedFile): Promise<string | undefined> {
  try {
    const { size } = await stat(path);
    if (size !== file.size) return undefined;
    const sha256 = await sha256File(path);
    if (file.sha256) return sha256 === file.sha256 ? sha256 : undefined;
    return file.blobId !== undefined && (await gitBlobId(path, size)) === file.blobId ? sha256 : undefined;
  } catch {
    return undefined;
  }
}
