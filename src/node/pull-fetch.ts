// A pull's files, one by one, into its partial folder: copied when the model folder has the hub's file, else downloaded.
import { copyFile, constants, mkdir, stat } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { downloadFile, type WantedFile } from './download.js';
import { CliError, ioError } from './errors.js';
import type { HubClient, HubSibling, RevisionInfo } from './hub-client.js';
import { sameAsHub } from './local-model.js';
import type { PulledFile, PullEvent } from './pull.js';

/** One pull in progress: the commit, where its files go, and what has arrived so far. */
export interface PullContext {
  repo: string;
  client: HubClient;
  info: RevisionInfo;
  target: string;
  partial: string;
  onEvent: (e: PullEvent) => void;
  done: Map<string, PulledFile>;
  downloadedBytes: number;
  idleMs: number | undefined;
}

/** The file as the hub lists it: its size, and the hash to check it against. */
export function wanted(sibling: HubSibling | undefined, path: string): WantedFile {
  const size = sibling?.lfs?.size ?? sibling?.size;
  if (!sibling || size === undefined)
    throw new CliError(
      'HUB_ERROR',
      `the hub lists no size for ${path}`,
      'Use a hub that answers the revision API with ?blobs=true',
    );
  return { path, size, sha256: sibling.lfs?.sha256, blobId: sibling.lfs ? undefined : sibling.blobId };
}

/** One file into the partial folder: copied when the model folder has it already, else downloaded. */
export async function fetchOne(ctx: PullContext, file: WantedFile): Promise<string> {
  const part = join(ctx.partial, `${file.path}.part`);
  const seen = ctx.done.get(file.path);
  if (seen) return part;
  await mkdir(dirname(part), { recursive: true }).catch((e: unknown) => {
    throw ioError(`create ${dirname(part)}`, e);
  });
  const local = await sameAsHub(join(ctx.target, file.path), file);
  if (local) await copyLocal(ctx, file, part, local);
  else await download(ctx, file, part);
  return part;
}

async function copyLocal(ctx: PullContext, file: WantedFile, part: string, sha256: string): Promise<void> {
  await copyFile(join(ctx.target, file.path), part, constants.COPYFILE_FICLONE).catch((e: unknown) => {
    throw ioError(`copy ${file.path}`, e);
  });
  ctx.done.set(file.path, { path: file.path, size: file.size, sha256, from: 'local' });
  ctx.onEvent({ type: 'file', path: file.path, size: file.size, from: 'local', resumed: false, reused: false });
}

async function download(ctx: PullContext, file: WantedFile, part: string): Promise<void> {
  const before = await stat(part).then(
    (s) => s.size,
    () => 0,
  );
  let now = 0;
  const got = await downloadFile(
    {
      client: ctx.client,
      repo: ctx.repo,
      commit: ctx.info.commit,
      idleMs: ctx.idleMs,
      onBytes: (n) => {
        now += n;
        ctx.downloadedBytes += n;
        ctx.onEvent({ type: 'bytes', n });
      },
    },
    file,
    part,
  );
  ctx.done.set(file.path, { path: file.path, size: file.size, sha256: got.sha256, from: 'hub' });
  const reused = now === 0 && file.size > 0;
  ctx.onEvent({
    type: 'file',
    path: file.path,
    size: file.size,
    from: 'hub',
    resumed: !reused && (got.resumed || before > 0),
    reused,
  });
}
