// Model folders in a model tree: `<root>/<name>/` or `<root>/<org>/<name>/` with a manifest.json,
// skipping hidden folders (a pull's partial folder among them). One finder for the CLI and the
// Vite plugin's start-up check (which runs synchronously), so both see the same models.
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { MANIFEST_FILE } from '../manifest/types.js';

const hasManifestSync = (dir: string) => {
  try {
    return statSync(join(dir, MANIFEST_FILE)).isFile();
  } catch {
    return false;
  }
};

const hasManifest = (dir: string): Promise<boolean> => Promise.resolve(hasManifestSync(dir));

function subfolders(dir: string): string[] {
  let entries;
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch {
    return [];
  }
  return entries
    .filter((e) => e.isDirectory() && !e.name.startsWith('.'))
    .map((e) => e.name)
    .sort();
}

/** The ids (relative folder paths) of every model under `root`. */
export function findModelsSync(root: string): string[] {
  const ids: string[] = [];
  for (const first of subfolders(root)) {
    if (hasManifestSync(join(root, first))) {
      ids.push(first);
      continue;
    }
    for (const second of subfolders(join(root, first))) {
      if (hasManifestSync(join(root, first, second))) ids.push(`${first}/${second}`);
    }
  }
  return ids;
}

export function findModels(root: string): Promise<string[]> {
  return Promise.resolve(findModelsSync(root));
}

export { hasManifest };
