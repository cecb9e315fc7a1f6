// A hosting policy served on cue: `/hosting/<name>/policy.json` and its `.sig` from what a test
// set under `<name>`; `cut` drops the connection (the policy URL unreachable), `missing` is a 404.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Handler } from '../../src/node/serve/server.js';
import { signatureFile, type TestKey } from './policy-signing.js';

export interface ServedPolicy {
  text: string;
  /** the `.sig` file; absent: 404 */
  signature?: string;
}

export function hostingPolicies(): { handler: Handler; set(name: string, p: ServedPolicy | 'cut' | 'missing'): void } {
  const served = new Map<string, ServedPolicy | 'cut' | 'missing'>();
  const handler: Handler = (req, res, next) => {
    const m = /^\/hosting\/([^/]+)\/policy\.json(\.sig)?$/.exec((req.url ?? '').split('?')[0]!);
    if (!m) return next();
    const entry = served.get(m[1]!);
    if (entry === 'cut') return void req.socket.destroy();
    const policy = entry === 'missing' ? undefined : entry;
    const body = m[2] ? policy?.signature : policy?.text;
    if (body === undefined) return void ((res.statusCode = 404), res.end('not found\n'));
    res.setHeader('Content-Type', 'application/json');
    res.end(body);
  };
  return { handler, set: (name, p) => void served.set(name, p) };
}

/**
 * Signatures for the served models' manifests and index, made on request with `key`: a runtime
 * with a hosting policy has trusted keys, and with them it loads signed manifests only.
 */
export function signedManifests(key: TestKey, modelsDir = join(import.meta.dirname, '../../models')): Handler {
  return (req, res, next) => {
    const m = /^\/models\/((?:[^/]+\/)*(?:manifest|index)\.json)\.sig$/.exec((req.url ?? '').split('?')[0]!);
    if (!m || m[1]!.split('/').includes('..')) return next();
    readFile(join(modelsDir, m[1]!)).then(
      (bytes) => {
        res.setHeader('Content-Type', 'application/json');
        res.end(signatureFile(key, bytes));
      },
      () => void ((res.statusCode = 404), res.end('not found\n')),
    );
  };
}
