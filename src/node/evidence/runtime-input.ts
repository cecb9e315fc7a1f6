// The runtime inventory: the versions of Airlock, transformers.js and onnxruntime-web in the built
// app (its node_modules) and in the audit inputs, their release dates from the admin's releases
// file, and the advisories file's entries that name them; and the runtime files, hashed.
import { readdir, readFile, stat } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { sha256File } from '../file-hash.js';
import { invalidInput, isObject, readJson } from './read-input.js';
import type { AuditSource, RuntimeComponent, RuntimeFile } from './types.js';
import { inRange } from './version-range.js';

export const RUNTIME_PACKAGES = ['airlock', '@huggingface/transformers', 'onnxruntime-web'] as const;
type Package = (typeof RUNTIME_PACKAGES)[number];

const RUNTIME_FILE = /^ort-wasm.*\.(wasm|mjs)$/;
const DAY_MS = 86_400_000;

export interface Advisory {
  package: string;
  versions: string | string[];
  id: string;
  summary: string;
}

async function appVersion(app: string, pkg: Package): Promise<string | null> {
  for (const dir of [
    join(app, 'node_modules', pkg),
    join(app, 'node_modules/@huggingface/transformers/node_modules', pkg),
  ]) {
    const text = await readFile(join(dir, 'package.json'), 'utf8').catch(() => null);
    if (text === null) continue;
    const version = (JSON.parse(text) as { version?: unknown }).version;
    if (typeof version === 'string') return version;
  }
  return null;
}

function auditVersion(source: AuditSource, pkg: Package): string | null {
  if (pkg === 'airlock') return source.software.airlock;
  return pkg === 'onnxruntime-web' ? source.software.onnxruntimeWeb : source.software.transformersJs;
}

/** Every (package, version) seen, and where. */
export async function versionsSeen(app: string | null, sources: readonly AuditSource[]) {
  const seen = new Map<string, { name: Package; version: string; foundIn: Set<'app' | 'audit'> }>();
  const add = (name: Package, version: string | null, where: 'app' | 'audit') => {
    if (!version) return;
    const key = `${name}@${version}`;
    const entry = seen.get(key) ?? { name, version, foundIn: new Set() };
    entry.foundIn.add(where);
    seen.set(key, entry);
  };
  for (const pkg of RUNTIME_PACKAGES) {
    if (app) add(pkg, await appVersion(app, pkg), 'app');
    for (const s of sources) add(pkg, auditVersion(s, pkg), 'audit');
  }
  return [...seen.values()];
}

export async function readReleases(file: string): Promise<Record<string, string>> {
  const doc = await readJson(file, '--releases');
  if (!isObject(doc) || !Object.values(doc).every((d) => typeof d === 'string' && !Number.isNaN(Date.parse(d))))
    throw invalidInput(file, 1, 'expected an object of "name@version": "release date"', '--releases');
  return doc as Record<string, string>;
}

export async function readAdvisories(file: string): Promise<Advisory[]> {
  const doc = await readJson(file, '--advisories');
  const valid = (a: unknown) =>
    isObject(a) &&
    typeof a.package === 'string' &&
    typeof a.id === 'string' &&
    typeof a.summary === 'string' &&
    (typeof a.versions === 'string' || (Array.isArray(a.versions) && a.versions.every((v) => typeof v === 'string')));
  if (!Array.isArray(doc)) throw invalidInput(file, 1, 'expected a list of advisories', '--advisories');
  const bad = doc.findIndex((a) => !valid(a));
  if (bad >= 0)
    throw invalidInput(
      file,
      1,
      `advisory ${bad} needs package, versions (a range or a list), id and summary`,
      '--advisories',
    );
  return doc as Advisory[];
}

export function runtimeComponents(
  seen: Awaited<ReturnType<typeof versionsSeen>>,
  releases: Record<string, string>,
  advisories: readonly Advisory[],
  opts: { now: number; maxAgeDays: number },
): RuntimeComponent[] {
  return seen.map(({ name, version, foundIn }) => {
    const released = releases[`${name}@${version}`] ?? null;
    const ageDays = released ? Math.floor((opts.now - Date.parse(released)) / DAY_MS) : null;
    return {
      name,
      version,
      foundIn: [...foundIn].sort(),
      released: released ? new Date(released).toISOString() : null,
      releasedFrom: released ? 'releases-file' : null,
      ageDays,
      tooOld: ageDays !== null && ageDays > opts.maxAgeDays,
      advisories: advisories
        .filter((a) => a.package === name && inRange(version, a.versions))
        .map((a) => ({ id: a.id, summary: a.summary })),
    };
  });
}

/** onnxruntime-web's runtime files (`ort-wasm*.wasm|mjs`) under `dir` (not in node_modules), hashed. */
export async function runtimeFiles(dir: string): Promise<RuntimeFile[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  const files: RuntimeFile[] = [];
  for (const e of entries.filter((x) => x.isFile() && RUNTIME_FILE.test(x.name))) {
    const full = join(e.parentPath, e.name);
    const path = relative(dir, full);
    // the app's own copies, not every build its dependencies ship
    if (path.split('/').includes('node_modules')) continue;
    files.push({ path, size: (await stat(full)).size, sha256: await sha256File(full) });
  }
  return files.sort((a, b) => a.path.localeCompare(b.path));
}
