// Model folders in a model tree: `<root>/<name>/` or `<root>/<org>/<name>/` with a manifest.json,
// skipping hidden folders (a pull's partial folder among them).
import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { MANIFEST_FILE } from '../manifest/types.js';

const hasManifest = (dir: string) => stat(join(dir, MANIFEST_FILE)).then((s) => s.isFile(), () => false);

async function subfolders(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true }).catch(() => []);
  return entries.filter((e) => e.isDirectory() && !e.name.startsWith('.')).map((e) => e.name).sort();
}

/** The ids (relative folder paths) of every model under `root`. */
export async function findModels(root: string): Promise<string[]> {
  const ids: string[] = [];
  for (const first of await subfolders(root)) {
    if (await hasManifest(join(root, first))) {
      ids.push(first);
      continue;
    }
    for (const second of await subfolders(join(root, first))) {
      if (await hasManifest(join(root, first, second))) ids.push(`${first}/${second}`);
    }
  }
  return ids;
}

export { hasManifest };
