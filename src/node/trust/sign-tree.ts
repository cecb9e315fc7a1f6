// `airlock sign <models/>`: a detached signature beside every manifest.json of the tree and its
// index.json, over the exact bytes on disk (what the origin serves).
import { readFile, writeFile } from 'node:fs/promises';
import { isAbsolute, join, relative, resolve } from 'node:path';
import { MANIFEST_FILE } from '../../manifest/types.js';
import { INDEX_FILE } from '../../manifest/models-index.js';
import { SIGNATURE_SUFFIX, serializeSignatureFile } from '../../shared/trust/format.js';
import { CliError } from '../errors.js';
import { findModels } from '../model-dirs.js';
import type { SigningKey } from './signing-key.js';

export interface SignedFile {
  /** relative to the tree, with `/` */
  path: string;
  signature: string;
  bytes: number;
}

const exists = (path: string) =>
  readFile(path).then(
    (b) => b,
    () => null,
  );

/** Whether `path` lies inside `root` (the tree the origin serves). */
export function inside(root: string, path: string): boolean {
  const rel = relative(resolve(root), resolve(path));
  return rel === '' || (rel.split(/[\\/]/)[0] !== '..' && !isAbsolute(rel));
}

/** Signs every manifest of `root` (and index.json when present) with `key`, writing `X.sig` beside each. */
export async function signTree(root: string, key: SigningKey): Promise<SignedFile[]> {
  const ids = await findModels(root);
  const targets = ids.map((id) => `${id}/${MANIFEST_FILE}`);
  if (await exists(join(root, INDEX_FILE))) targets.push(INDEX_FILE);
  if (targets.length === 0)
    throw new CliError(
      'NO_MANIFEST',
      `${root} holds no <id>/manifest.json and no index.json`,
      'Point sign at the model tree',
      {
        dir: root,
      },
    );
  const signed: SignedFile[] = [];
  for (const path of targets) {
    const bytes = await readFile(join(root, path));
    const text = serializeSignatureFile(key.keyId, key.sign(bytes));
    await writeFile(join(root, path + SIGNATURE_SUFFIX), text, { mode: 0o644 });
    signed.push({ path, signature: path + SIGNATURE_SUFFIX, bytes: bytes.length });
  }
  return signed;
}
