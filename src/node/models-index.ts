// models/index.json: every model the origin offers (id, revision, task, dtypes, size), so a
// portal can list them. Written to a temporary name and renamed, so a reader never sees half.
import { rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { CliError, ioError } from './errors.js';
import { findModels } from './model-dirs.js';
import { readManifest } from './read-manifest.js';
import { INDEX_FILE, type IndexEntry, type ModelsIndex } from '../manifest/models-index.js';

export { INDEX_FILE, type IndexEntry, type ModelsIndex };

export async function buildIndex(root: string): Promise<ModelsIndex> {
  const models: IndexEntry[] = [];
  const refused: CliError[] = [];
  for (const id of await findModels(root)) {
    const m = await readManifest(join(root, id), id).catch((e: unknown) => {
      if (e instanceof CliError && e.code === 'MANIFEST_INVALID') return e;
      throw e;
    });
    if (m instanceof CliError) refused.push(m);
    else
      models.push({
        id,
        revision: m.revision,
        task: m.task,
        dtypes: m.dtypes ?? [],
        size: m.files.reduce((n, f) => n + f.size, 0),
        files: m.files.length,
        license: m.license,
        source: m.source,
      });
  }
  // every refused model at once, so that one run of fixes clears them all
  if (refused.length === 1) throw refused[0]!;
  if (refused.length > 1)
    throw new CliError(
      'MANIFEST_INVALID',
      `${refused.length} manifests are refused: ${refused.map((e) => e.message).join('; ')}`,
      'Fix them, or write them again with airlock manifest <dir>',
      { dirs: refused.map((e) => e.details.dir) },
    );
  return { schema: 1, models };
}

export async function writeIndex(root: string): Promise<ModelsIndex> {
  const index = await buildIndex(root);
  const path = join(root, INDEX_FILE);
  try {
    await writeFile(`${path}.tmp`, `${JSON.stringify(index, null, 2)}\n`);
    await rename(`${path}.tmp`, path);
  } catch (e) {
    throw ioError(`write ${path}`, e);
  }
  return index;
}
