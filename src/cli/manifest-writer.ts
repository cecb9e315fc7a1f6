// Node only: builds a manifest for a model folder by hashing every file in it.
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { readdir, stat, writeFile } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';
import { computeRevision } from '../manifest/revision.js';
import { MANIFEST_FILE, MANIFEST_SCHEMA, type Manifest, type ManifestFile } from '../manifest/types.js';
import { pathProblem } from '../manifest/paths.js';
import { validateManifest } from '../manifest/validate.js';

async function listFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true, recursive: true });
  return entries
    .filter((e) => e.isFile())
    .map((e) => relative(dir, join(e.parentPath, e.name)).split(sep).join('/'))
    .filter((p) => p !== MANIFEST_FILE)
    .sort();
}

export async function hashFile(path: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

export interface ManifestInfo {
  id: string;
  task: string;
  source: string;
  license: string;
}

export async function buildManifest(dir: string, info: ManifestInfo): Promise<Manifest> {
  const files: ManifestFile[] = [];
  for (const path of await listFiles(dir)) {
    const problem = pathProblem(path);
    if (problem) throw new Error(`${dir}: file "${path}" ${problem}`);
    const full = join(dir, path);
    files.push({ path, size: (await stat(full)).size, sha256: await hashFile(full) });
  }
  if (files.length === 0) throw new Error(`${dir}: no files to list`);
  // the browser's own rules (case twins, one size per hash, the file cap): refused here, not in every browser
  return validateManifest({ schema: MANIFEST_SCHEMA, id: info.id, task: info.task, revision: computeRevision(files), source: info.source, license: info.license, files }, info.id);
}

/** Hashes `dir` and writes its manifest.json; returns the manifest. */
export async function writeManifest(dir: string, info: ManifestInfo): Promise<Manifest> {
  const manifest = await buildManifest(dir, info);
  await writeFile(join(dir, MANIFEST_FILE), `${JSON.stringify(manifest, null, 2)}\n`);
  return manifest;
}
