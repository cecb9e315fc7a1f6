// The hidden folder in <out> where a pull gathers files before they replace the model folder. It
// is on the same file system as the model folders (so a rename moves a model at once), and its
// name starts with a dot, which neither `airlock serve` nor the nginx example serves.
import { mkdir, readdir, rename, rm, rmdir } from 'node:fs/promises';
import { dirname, join, relative, sep } from 'node:path';
import { CliError, ioError } from './errors.js';

export const PARTIAL_DIR = '.airlock-partial';

/** Gives each `.part` its real name and deletes what an earlier attempt left that is not wanted. */
export async function assemble(dir: string, paths: readonly string[]): Promise<void> {
  const keep = new Set(paths.map((p) => `${p}.part`));
  try {
    for (const e of await readdir(dir, { recursive: true, withFileTypes: true })) {
      if (!e.isFile()) continue;
      const rel = relative(dir, join(e.parentPath, e.name)).split(sep).join('/');
      if (!keep.has(rel)) await rm(join(dir, rel));
    }
    for (const p of paths) await rename(join(dir, `${p}.part`), join(dir, p));
  } catch (e) {
    throw ioError(`prepare ${dir}`, e);
  }
}

/** Removes `partial` (if given) and then every empty folder up to and including <out>/.airlock-partial. */
export async function removePartial(out: string, partial: string | undefined): Promise<void> {
  const root = join(out, PARTIAL_DIR);
  if (partial) {
    await rm(partial, { recursive: true, force: true }).catch(() => undefined);
    await rm(`${partial}.old`, { recursive: true, force: true }).catch(() => undefined);
  }
  let dir = partial ? dirname(partial) : root;
  for (;;) {
    await removeEmptyTree(dir);
    if (dir === root || !dir.startsWith(root)) break;
    dir = dirname(dir);
  }
}

async function removeEmptyTree(dir: string): Promise<void> {
  const entries = await readdir(dir, { withFileTypes: true }).catch(() => undefined);
  if (!entries) return;
  for (const e of entries) if (e.isDirectory()) await removeEmptyTree(join(dir, e.name));
  await rmdir(dir).catch(() => undefined);
}

/** Replaces `target` with `ready`: two renames on one file system, the old folder removed after. */
export async function swapIntoPlace(ready: string, target: string): Promise<void> {
  const old = `${ready}.old`;
  try {
    await mkdir(dirname(target), { recursive: true });
    await rm(old, { recursive: true, force: true }); // left by a run that stopped after the second rename
    const hadOld = await rename(target, old).then(
      () => true,
      (e: NodeJS.ErrnoException) => {
        if (e.code === 'ENOENT') return false;
        throw e;
      },
    );
    try {
      await rename(ready, target);
    } catch (e) {
      if (hadOld) await rename(old, target);
      throw e;
    }
    await rm(old, { recursive: true, force: true });
  } catch (e) {
    throw e instanceof CliError ? e : ioError(`move the model into ${target}`, e);
  }
}
