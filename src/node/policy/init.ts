// `airlock policy init`: a hosting policy from a models tree, every model pinned at the revision
// of its current manifest, both backends, and the largest model's size (rounded up to a MiB) as
// the size limit. What it writes passes the runtime's own parser.
import { join } from 'node:path';
import { parsePolicy, POLICY_KIND, type Policy } from '../../shared/trust/policy.js';
import { CliError } from '../errors.js';
import { findModels } from '../model-dirs.js';
import { readManifest } from '../read-manifest.js';

const MIB = 2 ** 20;
export const DEFAULT_RETENTION_DAYS = 90;

export interface ModelSummary {
  id: string;
  revision: string;
  bytes: number;
}

/** Every model of the tree with its manifest's revision and size; a refused manifest stops it. */
export async function treeModels(root: string): Promise<ModelSummary[]> {
  const models: ModelSummary[] = [];
  for (const id of await findModels(root)) {
    const m = await readManifest(join(root, id), id);
    models.push({ id, revision: m.revision, bytes: m.files.reduce((n, f) => n + f.size, 0) });
  }
  return models;
}

export async function initPolicy(root: string, origin: string, now = new Date()): Promise<Policy> {
  const models = await treeModels(root);
  if (models.length === 0)
    throw new CliError('NO_MANIFEST', `${root} holds no model (no <id>/manifest.json)`, 'Pull or write models first');
  const largest = Math.max(...models.map((m) => m.bytes));
  return parsePolicy({
    kind: POLICY_KIND,
    allowedOrigins: [origin],
    models: models.map((m) => ({ id: m.id, revisions: [m.revision] })),
    backends: ['wasm', 'webgpu'],
    maxModelBytes: Math.max(MIB, Math.ceil(largest / MIB) * MIB),
    evidenceRetentionDays: DEFAULT_RETENTION_DAYS,
    issuedAt: now.toISOString(),
  });
}
