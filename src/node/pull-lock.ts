// One pull of a repo at a time in a model tree: two would share its partial folder, and one would
// truncate the other's `.part` files. The lock is a file created with O_EXCL that holds the pull's
// process id; a lock whose process is gone (a crash, a kill) is taken over.
import { mkdir, open, readFile, rm, stat } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { CliError, ioError } from './errors.js';
import { PARTIAL_DIR } from './partial.js';

/** a lock still empty this young may be one another pull has just created */
const FRESH_MS = 10_000;

function alive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM'; // it exists, owned by someone else
  }
}

/** The pid holding `path`, or undefined when the lock is stale (and may be taken over). */
async function holder(path: string): Promise<number | 'unknown' | undefined> {
  const text = await readFile(path, 'utf8').catch(() => undefined);
  if (text === undefined) return undefined;
  const pid = Number(text.trim());
  if (text.trim() === '') {
    const age = await stat(path).then(
      (s) => Date.now() - s.mtimeMs,
      () => Infinity,
    );
    return age < FRESH_MS ? 'unknown' : undefined;
  }
  return alive(pid) ? pid : undefined;
}

/** Takes the lock of `repo` in the tree `out`; resolves to the function that gives it back. */
export async function lockRepo(out: string, repo: string): Promise<() => Promise<void>> {
  const path = join(out, PARTIAL_DIR, `${repo}.lock`);
  await mkdir(dirname(path), { recursive: true }).catch((e: unknown) => {
    throw ioError(`create ${dirname(path)}`, e);
  });
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      const handle = await open(path, 'wx');
      await handle.writeFile(`${process.pid}\n`).finally(() => handle.close());
      return () => rm(path, { force: true });
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw ioError(`create the lock ${path}`, e);
    }
    const pid = await holder(path);
    if (pid !== undefined) {
      throw new CliError(
        'LOCKED',
        `another pull of "${repo}" is running (process ${pid} holds ${path})`,
        'Wait for it to finish; if no such pull runs, delete that file',
        { lock: path, pid },
      );
    }
    await rm(path, { force: true }); // stale: its process is gone
  }
  throw new CliError(
    'LOCKED',
    `could not take the lock ${path}: other pulls keep taking it`,
    'Run one pull of a repo at a time',
  );
}
