// Validation of a manifest read from the network: every field checked, nothing trusted.
import { AirlockError } from '../errors.js';
import { modelIdProblem, pathProblem, pointsElsewhere } from './paths.js';
import { computeRevision } from './revision.js';
import { MANIFEST_SCHEMA, type Manifest, type ManifestFile } from './types.js';

const HEX64 = /^[0-9a-f]{64}$/;

function invalid(id: string, why: string): AirlockError {
  return new AirlockError('MANIFEST_INVALID', `Manifest of "${id}" is invalid: ${why}`, { modelId: id });
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/**
 * Checks `raw` as the manifest of model `expectedId`; throws MANIFEST_INVALID with the reason, or
 * EGRESS_BLOCKED when a file path is a location of its own (a URL, `//host/...`).
 */
export function validateManifest(raw: unknown, expectedId: string): Manifest {
  if (!isRecord(raw)) throw invalid(expectedId, 'not a JSON object');
  if (raw.schema !== MANIFEST_SCHEMA) throw invalid(expectedId, `schema must be ${MANIFEST_SCHEMA}, got ${String(raw.schema)}`);
  if (raw.id !== expectedId) throw invalid(expectedId, `id is "${String(raw.id)}"`);
  const idProblem = modelIdProblem(expectedId);
  if (idProblem) throw invalid(expectedId, `id ${idProblem}`);
  for (const key of ['task', 'source', 'license'] as const) {
    if (typeof raw[key] !== 'string' || raw[key] === '') throw invalid(expectedId, `${key} must be a non-empty string`);
  }
  if (!Array.isArray(raw.files) || raw.files.length === 0) throw invalid(expectedId, 'files must be a non-empty array');
  const seen = new Set<string>();
  const files: ManifestFile[] = raw.files.map((f: unknown, i: number) => {
    if (!isRecord(f)) throw invalid(expectedId, `files[${i}] is not an object`);
    const { path, size, sha256 } = f;
    if (typeof path !== 'string') throw invalid(expectedId, `files[${i}].path must be a string`);
    if (pointsElsewhere(path)) {
      throw new AirlockError('EGRESS_BLOCKED', `Manifest of "${expectedId}" lists a file at another location (${path}): refused`, { modelId: expectedId, url: path });
    }
    const problem = pathProblem(path);
    if (problem) throw invalid(expectedId, `path "${path}" ${problem}`);
    if (seen.has(path)) throw invalid(expectedId, `path "${path}" is listed twice`);
    seen.add(path);
    if (typeof size !== 'number' || !Number.isSafeInteger(size) || size < 0) {
      throw invalid(expectedId, `size of "${path}" must be a non-negative integer`);
    }
    if (typeof sha256 !== 'string' || !HEX64.test(sha256)) {
      throw invalid(expectedId, `sha256 of "${path}" must be 64 lowercase hex digits`);
    }
    return { path, size, sha256 };
  });
  if (typeof raw.revision !== 'string' || raw.revision !== computeRevision(files)) {
    throw invalid(expectedId, 'revision does not match the file list');
  }
  return {
    schema: MANIFEST_SCHEMA,
    id: expectedId,
    task: raw.task as string,
    revision: raw.revision,
    source: raw.source as string,
    license: raw.license as string,
    files,
  };
}
