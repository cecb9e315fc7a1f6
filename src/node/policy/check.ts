// `airlock policy check`: what in a models tree, and in a built app's JavaScript, lies outside a
// hosting policy: models it does not list, revisions it does not pin, models over its size limit,
// and origins named in the app's code that it does not allow.
import { readdir, readFile } from 'node:fs/promises';
import { extname, join, relative } from 'node:path';
import type { Policy } from '../../shared/trust/policy.js';
import { ioError } from '../errors.js';
import { treeModels } from './init.js';

export interface Outside {
  rule: 'models' | 'revisions' | 'maxModelBytes' | 'allowedOrigins';
  /** the model id, or the origin */
  subject: string;
  /** the revision, the size, or the files that name the origin */
  value: string | number | string[];
}

export async function checkTree(root: string, policy: Policy): Promise<Outside[]> {
  const found: Outside[] = [];
  for (const m of await treeModels(root)) {
    if (m.bytes > policy.maxModelBytes) found.push({ rule: 'maxModelBytes', subject: m.id, value: m.bytes });
    if (policy.models === 'any-signed') continue;
    const entry = policy.models.find((e) => e.id === m.id);
    if (!entry) found.push({ rule: 'models', subject: m.id, value: m.revision });
    else if (entry.revisions && !entry.revisions.includes(m.revision))
      found.push({ rule: 'revisions', subject: m.id, value: m.revision });
  }
  return found;
}

const SCRIPT = new Set(['.js', '.mjs', '.cjs']);
// an absolute http(s) URL's origin, as it appears in code: scheme, host, optional port
const ORIGIN = /\bhttps?:\/\/[a-z0-9.-]+(?::\d{1,5})?(?=[/"'`\s?#)]|$)/gi;
// XML namespace names are identifiers, never fetched
const NAMESPACES = new Set(['http://www.w3.org']);

async function scripts(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true, recursive: true }).catch((e: unknown) => {
    throw ioError(`read ${dir}`, e);
  });
  return entries
    .filter((e) => e.isFile() && SCRIPT.has(extname(e.name)))
    .map((e) => join(e.parentPath, e.name))
    .sort();
}

/** Every http(s) origin the app's scripts name, with the files that name it. */
export async function appOrigins(appDir: string): Promise<Map<string, string[]>> {
  const origins = new Map<string, string[]>();
  for (const file of await scripts(appDir)) {
    const code = await readFile(file, 'utf8');
    for (const match of code.matchAll(ORIGIN)) {
      const origin = new URL(match[0]).origin;
      if (NAMESPACES.has(origin)) continue;
      const files = origins.get(origin) ?? [];
      const name = relative(appDir, file);
      if (!files.includes(name)) files.push(name);
      origins.set(origin, files);
    }
  }
  return origins;
}

export async function checkApp(appDir: string, policy: Policy): Promise<Outside[]> {
  const found: Outside[] = [];
  for (const [origin, files] of await appOrigins(appDir)) {
    if (!policy.allowedOrigins.includes(origin)) found.push({ rule: 'allowedOrigins', subject: origin, value: files });
  }
  return found.sort((a, b) => (a.subject < b.subject ? -1 : 1));
}
