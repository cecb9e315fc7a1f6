// Validation of a manifest read from the network: every field checked, nothing trusted.
import { AirlockError } from '../errors.js';
import { DEFAULT_MANIFEST_LIMITS, type ManifestLimits } from './limits.js';
import { caseTwinKey, modelIdProblem, pathProblem, pointsElsewhere, visiblePath } from './paths.js';
import { computeRevision } from './revision.js';
import { isPieceSize, MAX_PIECE_BYTES, MIN_PIECE_BYTES, pieceCount, type FilePieces } from './pieces.js';
import { MANIFEST_SCHEMA, type Manifest, type ManifestFile } from './types.js';

const HEX64 = /^[0-9a-f]{64}$/;

function invalid(id: string, why: string, details: Record<string, unknown> = {}): AirlockError {
  return new AirlockError('MANIFEST_INVALID', `Manifest of "${id}" is invalid: ${why}`, { modelId: id, ...details });
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** A JSON value as a message names it: its kind, and itself when short (`the string "1"`). */
function described(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'an array';
  if (typeof v === 'string') return `the string ${JSON.stringify(v.length > 40 ? `${v.slice(0, 40)}…` : v)}`;
  if (typeof v === 'number' || typeof v === 'boolean') return `the ${typeof v} ${String(v)}`;
  return typeof v === 'undefined' ? 'nothing' : `an ${typeof v}`;
}

/** Checks one entry of `files`; throws for anything wrong with it on its own. */
function checkedFile(id: string, f: unknown, i: number): ManifestFile {
  if (!isRecord(f)) throw invalid(id, `files[${i}] is not an object`);
  const { path, size, sha256 } = f;
  if (typeof path !== 'string') throw invalid(id, `files[${i}].path must be a string`);
  if (pointsElsewhere(path)) {
    throw new AirlockError(
      'EGRESS_BLOCKED',
      `Manifest of "${id}" lists a file at another location (${path}): refused`,
      { modelId: id, url: path },
    );
  }
  const shown = visiblePath(path);
  const problem = pathProblem(path);
  if (problem) throw invalid(id, `path ${shown} ${problem}`, { path });
  if (typeof size !== 'number' || !Number.isSafeInteger(size) || size < 0)
    throw invalid(id, `size of ${shown} must be a non-negative integer`, { path });
  if (typeof sha256 !== 'string' || !HEX64.test(sha256))
    throw invalid(id, `sha256 of ${shown} must be 64 lowercase hex digits`, { path });
  const pieces = checkedPieces(id, f.pieces, size, shown);
  return { path, size, sha256, ...(pieces && { pieces }) };
}

/** A file's `pieces`, when present: a piece size the browser takes, and one digest per piece. */
function checkedPieces(id: string, pieces: unknown, size: number, shown: string): FilePieces | undefined {
  if (pieces === undefined) return undefined;
  const bad = (why: string) => invalid(id, `pieces of ${shown} ${why}`);
  if (!isRecord(pieces)) throw bad('must be an object');
  const { bytes, sha256 } = pieces;
  if (!isPieceSize(bytes)) throw bad(`bytes must be a power of two from ${MIN_PIECE_BYTES} to ${MAX_PIECE_BYTES}`);
  if (size <= bytes) throw bad('are listed for a file no larger than one piece');
  if (!Array.isArray(sha256) || sha256.length !== pieceCount(size, bytes))
    throw bad(`must list ${pieceCount(size, bytes)} digests, one per piece of ${bytes} bytes`);
  if (!sha256.every((d) => typeof d === 'string' && HEX64.test(d))) throw bad('must be 64 lowercase hex digits each');
  return { bytes, sha256: [...(sha256 as string[])] };
}

/**
 * Checks the entries against each other: each path once, no two that differ only in case, and one
 * size per sha256 (one content has one length; a second size would contradict the stored file).
 */
function checkTogether(id: string, files: readonly ManifestFile[]): void {
  const byPath = new Set<string>();
  const byTwinKey = new Map<string, string>();
  const bySha = new Map<string, ManifestFile>();
  for (const f of files) {
    if (byPath.has(f.path)) throw invalid(id, `path ${visiblePath(f.path)} is listed twice`, { path: f.path });
    byPath.add(f.path);
    const key = caseTwinKey(f.path);
    const twin = byTwinKey.get(key);
    if (twin !== undefined)
      throw invalid(id, `paths ${visiblePath(twin)} and ${visiblePath(f.path)} differ only in case`, {
        paths: [twin, f.path],
      });
    byTwinKey.set(key, f.path);
    const same = bySha.get(f.sha256);
    if (same && same.size !== f.size) {
      throw invalid(
        id,
        `sha256 ${f.sha256} is listed with two sizes: ${visiblePath(same.path)} (${same.size} bytes) and ${visiblePath(f.path)} (${f.size} bytes)`,
        {
          sha256: f.sha256,
          paths: [same.path, f.path],
          sizes: [same.size, f.size],
        },
      );
    }
    if (!same) bySha.set(f.sha256, f);
  }
}

/**
 * Checks `raw` as the manifest of model `expectedId`; throws MANIFEST_INVALID with the reason, or
 * EGRESS_BLOCKED when a file path is a location of its own (a URL, `//host/...`).
 */
export function validateManifest(raw: unknown, expectedId: string, limits: Partial<ManifestLimits> = {}): Manifest {
  if (!isRecord(raw)) throw invalid(expectedId, 'not a JSON object');
  if (raw.schema !== MANIFEST_SCHEMA)
    throw invalid(expectedId, `schema must be the number ${MANIFEST_SCHEMA}, got ${described(raw.schema)}`);
  if (raw.id !== expectedId) throw invalid(expectedId, `id is "${String(raw.id)}"`);
  const idProblem = modelIdProblem(expectedId);
  if (idProblem) throw invalid(expectedId, `id ${idProblem}`);
  for (const key of ['task', 'source', 'license'] as const) {
    if (typeof raw[key] !== 'string' || raw[key] === '') throw invalid(expectedId, `${key} must be a non-empty string`);
  }
  if (!Array.isArray(raw.files) || raw.files.length === 0) throw invalid(expectedId, 'files must be a non-empty array');
  const maxFiles = limits.maxFiles ?? DEFAULT_MANIFEST_LIMITS.maxFiles;
  if (raw.files.length > maxFiles)
    throw invalid(expectedId, `it lists ${raw.files.length} files, more than the ${maxFiles} allowed`, {
      files: raw.files.length,
      maxFiles,
    });
  const files = raw.files.map((f: unknown, i: number) => checkedFile(expectedId, f, i));
  checkTogether(expectedId, files);
  if (typeof raw.revision !== 'string' || raw.revision !== computeRevision(files)) {
    throw invalid(expectedId, 'revision does not match the file list');
  }
  const dtypes = checkedDtypes(expectedId, raw.dtypes);
  return {
    schema: MANIFEST_SCHEMA,
    id: expectedId,
    task: raw.task as string,
    revision: raw.revision,
    source: raw.source as string,
    license: raw.license as string,
    files,
    ...(dtypes && { dtypes }),
  };
}

/** `dtypes`, when present: names such as "q8" (not covered by the revision, it only describes the files). */
function checkedDtypes(id: string, dtypes: unknown): string[] | undefined {
  if (dtypes === undefined) return undefined;
  if (!Array.isArray(dtypes) || !dtypes.every((d) => typeof d === 'string' && /^[a-z0-9_]{1,32}$/.test(d))) {
    throw invalid(id, 'dtypes must be an array of dtype names such as "q8"');
  }
  return dtypes as string[];
}
