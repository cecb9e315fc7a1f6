// Re-hashes a model folder against its manifest: every mismatched, missing and unlisted file.
import { lstat, readdir, realpath, stat } from 'node:fs/promises';
import { isAbsolute, join, relative, sep } from 'node:path';
import { segmentsInside } from './serve/request-path.js';
import { PIECE_BYTES } from '../manifest/pieces.js';
import { MANIFEST_FILE, type ManifestFile } from '../manifest/types.js';
import { sha256WithPieces } from './file-hash.js';
import { readManifest } from './read-manifest.js';
import { SIGNATURE_SUFFIX } from '../shared/trust/format.js';

export interface Mismatch {
  path: string;
  expected: { size: number; sha256: string };
  actual: { size: number; sha256?: string };
  problem?: string;
}

export interface VerifyReport {
  dir: string;
  id: string;
  revision: string;
  ok: boolean;
  files: number;
  mismatched: Mismatch[];
  missing: string[];
  unlisted: string[];
  /** why the manifest itself was refused (or is missing), when it was */
  error?: { code: string; message: string };
}

const isDotPath = (p: string) => p.split('/').some((part) => part.startsWith('.'));

async function presentFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries
    .filter((e) => e.isFile() || e.isSymbolicLink())
    .map((e) => relative(dir, join(e.parentPath, e.name)).split(sep).join('/'))
    .filter((p) => p !== MANIFEST_FILE && p !== MANIFEST_FILE + SIGNATURE_SUFFIX && !isDotPath(p));
}

/**
 * What is wrong with one listed file, or undefined when it matches. Its real path (every link on
 * the way followed) must stay inside the folder and pass through no hidden name, as the server
 * requires: otherwise the server answers it with 404.
 */
async function checkFile(rootReal: string, dir: string, f: ManifestFile): Promise<Mismatch | 'missing' | undefined> {
  const full = join(dir, f.path);
  const info = await lstat(full).catch(() => undefined);
  if (!info) return 'missing';
  const expected = { size: f.size, sha256: f.sha256 };
  const real = await realpath(full).catch(() => undefined);
  if (!real) return { path: f.path, expected, actual: { size: 0 }, problem: 'is a link to nothing' };
  if (!segmentsInside(rootReal, real)) {
    const rel = relative(rootReal, real);
    const outside = isAbsolute(rel) || rel === '..' || rel.startsWith(`..${sep}`);
    return {
      path: f.path,
      expected,
      actual: { size: 0 },
      problem: outside
        ? `leads to ${real}, outside the folder, which the server does not serve`
        : `leads to ${rel}, a hidden name, which the server does not serve`,
    };
  }
  const { sha256, pieces } = await sha256WithPieces(real, f.pieces?.bytes ?? PIECE_BYTES);
  const size = (await stat(real)).size;
  if (size !== f.size || sha256 !== f.sha256) return { path: f.path, expected, actual: { size, sha256 } };
  // the pieces the browser checks must be the file's own: a wrong one would refuse a good file
  const piece = f.pieces?.sha256.findIndex((d, i) => d !== pieces[i]) ?? -1;
  if (piece >= 0)
    return {
      path: f.path,
      expected,
      actual: { size, sha256 },
      problem: `piece ${piece} has another SHA-256 in the manifest`,
    };
  return undefined;
}

export async function verifyDir(dir: string, expectedId?: string): Promise<VerifyReport> {
  const manifest = await readManifest(dir, expectedId);
  const listed = new Set(manifest.files.map((f) => f.path));
  const report: VerifyReport = {
    dir,
    id: manifest.id,
    revision: manifest.revision,
    ok: true,
    files: manifest.files.length,
    mismatched: [],
    missing: [],
    unlisted: [],
  };
  const rootReal = await realpath(dir);
  for (const f of manifest.files) {
    const problem = await checkFile(rootReal, dir, f);
    if (problem === 'missing') report.missing.push(f.path);
    else if (problem) report.mismatched.push(problem);
  }
  report.unlisted = (await presentFiles(dir)).filter((p) => !listed.has(p)).sort();
  report.ok = report.mismatched.length + report.missing.length + report.unlisted.length === 0;
  return report;
}
