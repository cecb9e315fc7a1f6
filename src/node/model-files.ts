// Node only: the files of a model folder that a manifest may list, by the model server's rules:
// hidden names (`.git/`, `.env`) are skipped, as the server never serves them; a link is followed
// only when its real path stays inside the folder, and any other link is refused, since a
// manifest listing it would name a file the server answers with 404.
import { readdir, readlink, realpath, stat } from 'node:fs/promises';
import { isAbsolute, join, relative, sep } from 'node:path';
import { isHidden, segmentsInside } from './serve/request-path.js';

export type LinkRefusal = 'outside' | 'hidden' | 'broken' | 'loop';

/** A link in the folder that the server would not serve; `path` is its path in the folder. */
export class ManifestWriteError extends Error {
  constructor(
    readonly path: string,
    readonly reason: LinkRefusal,
    message: string,
  ) {
    super(message);
    this.name = 'ManifestWriteError';
  }
}

export interface ModelFile {
  /** the path in the folder, with `/` */
  path: string;
  /** where its bytes are, links followed */
  real: string;
}

interface Walk {
  dir: string;
  rootReal: string;
  /** where links may lead: the folder, or the served tree it lies in */
  boundReal: string;
  files: ModelFile[];
  skipped: string[];
}

function refuse(walk: Walk, path: string, reason: LinkRefusal, what: string): never {
  throw new ManifestWriteError(path, reason, `${walk.dir}: "${path}" ${what}; replace the link by a copy of the file`);
}

async function resolved(walk: Walk, full: string, path: string): Promise<string> {
  try {
    return await realpath(full);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ELOOP') refuse(walk, path, 'loop', 'is a link that leads back to itself');
    if (code !== 'ENOENT') throw error;
    refuse(walk, path, 'broken', `is a link to ${await readlink(full).catch(() => 'nothing')}, which does not exist`);
  }
}

async function visit(walk: Walk, at: readonly string[], above: ReadonlySet<string>): Promise<void> {
  for (const entry of await readdir(join(walk.rootReal, ...at), { withFileTypes: true })) {
    const path = [...at, entry.name].join('/');
    if (isHidden(entry.name)) {
      walk.skipped.push(entry.isDirectory() ? `${path}/` : path);
      continue;
    }
    const full = join(walk.rootReal, ...at, entry.name);
    const real = await resolved(walk, full, path);
    if (!segmentsInside(walk.boundReal, real)) {
      const rel = relative(walk.boundReal, real);
      const outside = isAbsolute(rel) || rel === '..' || rel.startsWith(`..${sep}`);
      if (outside)
        refuse(
          walk,
          path,
          'outside',
          `is a link to ${real}, outside the ${walk.boundReal === walk.rootReal ? 'folder' : 'served tree'}, which the server does not serve`,
        );
      refuse(
        walk,
        path,
        'hidden',
        `is a link to ${rel}, a hidden name (starting with "."), which the server does not serve`,
      );
    }
    const found = await stat(real);
    if (found.isDirectory()) {
      if (above.has(real))
        refuse(walk, path, 'loop', `is a link to ${relative(walk.rootReal, real) || '.'}, a folder it lies in`);
      await visit(walk, [...at, entry.name], new Set([...above, real]));
    } else if (found.isFile()) {
      walk.files.push({ path, real });
    }
  }
}

/**
 * The folder's files, sorted by path, and the hidden names skipped. Throws ManifestWriteError for
 * a link it refuses. `within`: the served tree `dir` lies in, whose files links may lead to (a
 * sibling model's); default `dir` itself.
 */
export async function listModelFiles(dir: string, within?: string): Promise<{ files: ModelFile[]; skipped: string[] }> {
  const rootReal = await realpath(dir);
  const boundReal = within === undefined ? rootReal : await realpath(within);
  const walk: Walk = { dir, rootReal, boundReal, files: [], skipped: [] };
  await visit(walk, [], new Set([rootReal]));
  walk.files.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  return { files: walk.files, skipped: walk.skipped.sort() };
}
