// Node only: builds a manifest for a model folder by hashing every file in it that the model
// server would serve (see ./model-files.ts for which).
import { rename, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { computeRevision } from '../manifest/revision.js';
import { MANIFEST_FILE, MANIFEST_SCHEMA, type Manifest, type ManifestFile } from '../manifest/types.js';
import { pathProblem } from '../manifest/paths.js';
import { validateManifest } from '../manifest/validate.js';
import { sha256WithPieces } from './file-hash.js';
import { PIECE_BYTES } from '../manifest/pieces.js';
import { listModelFiles } from './model-files.js';
import { SIGNATURE_SUFFIX } from '../shared/trust/format.js';

export { ManifestWriteError, type LinkRefusal } from './model-files.js';

export interface ManifestInfo {
  id: string;
  task: string;
  source: string;
  license: string;
}

export interface BuildOptions {
  /** told each hidden name left out (`.git/`, `.env`) */
  onSkip?: (path: string) => void;
  /** the served tree the folder lies in: links may lead anywhere inside it (default: the folder) */
  within?: string;
  /** the piece size of files larger than one piece (default PIECE_BYTES, 4 MiB) */
  pieceBytes?: number;
}

export async function buildManifest(dir: string, info: ManifestInfo, options: BuildOptions = {}): Promise<Manifest> {
  const files: ManifestFile[] = [];
  const pieceBytes = options.pieceBytes ?? PIECE_BYTES;
  const listed = await listModelFiles(dir, options.within);
  for (const path of listed.skipped) options.onSkip?.(path);
  for (const { path, real } of listed.files) {
    // the manifest and its signature (airlock sign) describe the model; they are not its files
    if (path === MANIFEST_FILE || path === MANIFEST_FILE + SIGNATURE_SUFFIX) continue;
    const problem = pathProblem(path);
    if (problem) throw new Error(`${dir}: file "${path}" ${problem}`);
    const { sha256, pieces } = await sha256WithPieces(real, pieceBytes);
    const entry: ManifestFile = { path, size: (await stat(real)).size, sha256 };
    if (pieces.length > 0) entry.pieces = { bytes: pieceBytes, sha256: pieces };
    files.push(entry);
  }
  if (files.length === 0) throw new Error(`${dir}: no files to list`);
  // the browser's own rules (case twins, one size per hash, the file cap): refused here, not in every browser
  return validateManifest(
    {
      schema: MANIFEST_SCHEMA,
      id: info.id,
      task: info.task,
      revision: computeRevision(files),
      source: info.source,
      license: info.license,
      files,
    },
    info.id,
  );
}

/**
 * Writes `manifest` as dir/manifest.json: to a hidden temporary name, then renamed, so that a
 * server reading the folder never sees half a manifest (nor a reader's file rewritten in place).
 */
export async function writeManifestFile(dir: string, manifest: object): Promise<void> {
  const tmp = join(dir, `.${MANIFEST_FILE}.${process.pid}.tmp`);
  try {
    await writeFile(tmp, `${JSON.stringify(manifest, null, 2)}\n`);
    await rename(tmp, join(dir, MANIFEST_FILE));
  } catch (e) {
    await rm(tmp, { force: true }).catch(() => undefined);
    throw e;
  }
}

/** Hashes `dir` and writes its manifest.json; returns the manifest. */
export async function writeManifest(dir: string, info: ManifestInfo, options: BuildOptions = {}): Promise<Manifest> {
  const manifest = await buildManifest(dir, info, options);
  await writeManifestFile(dir, manifest);
  return manifest;
}
