// `airlock pull`: mirrors a model from a hub into <out>/<org>/<name>/. Files arrive in a hidden
// partial folder beside it, are checked, get their manifest, and only then replace the model
// folder, so <out> never holds a half-written model. Files the folder already has with the hub's
// hash are copied, not downloaded.
import { copyFile, constants, mkdir, readFile, stat } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { modelIdProblem } from '../manifest/paths.js';
import { downloadFile, type WantedFile } from './download.js';
import { CliError, ioError } from './errors.js';
import { HubClient, type HubSibling, type RevisionInfo } from './hub-client.js';
import { readLocalManifest, sameAsHub } from './local-model.js';
import { selectAll, selectFiles, type Selection } from './pull-selection.js';
import type { ModelConfig } from '../shared/hf/model-sessions.js';
import { assemble, PARTIAL_DIR, removePartial, swapIntoPlace } from './partial.js';
import { lockRepo } from './pull-lock.js';
import { writePulledManifest } from './pulled-manifest.js';
import { screenSelection, type SkippedFile } from './selection-rules.js';

export interface PullOptions {
  repo: string;
  revision: string;
  hub: string;
  out: string;
  token?: string | undefined;
  dtypes?: string[] | undefined;
  task?: string | undefined;
  all?: boolean;
  /** send the token to an http:// hub too */
  allowHttpToken?: boolean;
  /** how long the hub may leave a request unanswered (or a transfer idle); default 60 s */
  timeoutMs?: number | undefined;
  onEvent?: (e: PullEvent) => void;
}

export type PullEvent =
  | { type: 'plan'; commit: string; files: number; totalBytes: number }
  | { type: 'bytes'; n: number }
  | { type: 'skip'; path: string; why: string }
  | { type: 'moved'; to: string }
  /** files the model folder held that this pull's selection does not (the folder is replaced without
   * them); `dtypes`, when another dtype's files go, the --dtype list that would have kept them */
  | { type: 'removed'; paths: string[]; dtypes: string[] }
  /** `resumed`: part of it came from an earlier run; `reused`: all of it did (a complete `.part`) */
  | { type: 'file'; path: string; size: number; from: 'hub' | 'local'; resumed: boolean; reused: boolean };

export interface PulledFile {
  path: string;
  size: number;
  sha256: string;
  from: 'hub' | 'local';
}

export interface PullResult {
  id: string;
  dir: string;
  commit: string;
  revision: string;
  task: string;
  license: string;
  dtypes: string[];
  /** true when the folder already held this commit's files: nothing was downloaded or written */
  unchanged: boolean;
  downloadedBytes: number;
  files: PulledFile[];
  /** files of the repo left out because the runtime refuses their names */
  skipped: SkippedFile[];
  /** files the folder held before that this pull did not take (another dtype's, say) */
  removed: string[];
}

function wanted(sibling: HubSibling | undefined, path: string): WantedFile {
  const size = sibling?.lfs?.size ?? sibling?.size;
  if (!sibling || size === undefined)
    throw new CliError(
      'HUB_ERROR',
      `the hub lists no size for ${path}`,
      'Use a hub that answers the revision API with ?blobs=true',
    );
  return { path, size, sha256: sibling.lfs?.sha256, blobId: sibling.lfs ? undefined : sibling.blobId };
}

async function readConfig(
  ctx: Ctx,
  siblings: Map<string, HubSibling>,
  required: boolean,
): Promise<ModelConfig | undefined> {
  if (!siblings.has('config.json')) {
    if (!required) return undefined;
    throw new CliError(
      'BAD_USAGE',
      `"${ctx.repo}" has no config.json, so it is not a transformers.js model`,
      'Pass --all to take every file (for raw sessions)',
    );
  }
  const path = await fetchOne(ctx, wanted(siblings.get('config.json'), 'config.json'));
  try {
    return JSON.parse(await readFile(path, 'utf8')) as ModelConfig;
  } catch {
    throw new CliError('HUB_ERROR', `config.json of "${ctx.repo}" is not JSON`, 'Check the repo on the hub');
  }
}

interface Ctx {
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

/** One file into the partial folder: copied when the model folder has it already, else downloaded. */
async function fetchOne(ctx: Ctx, file: WantedFile): Promise<string> {
  const part = join(ctx.partial, `${file.path}.part`);
  const seen = ctx.done.get(file.path);
  if (seen) return part;
  await mkdir(dirname(part), { recursive: true }).catch((e: unknown) => {
    throw ioError(`create ${dirname(part)}`, e);
  });
  const local = await sameAsHub(join(ctx.target, file.path), file);
  if (local) {
    await copyFile(join(ctx.target, file.path), part, constants.COPYFILE_FICLONE).catch((e: unknown) => {
      throw ioError(`copy ${file.path}`, e);
    });
    ctx.done.set(file.path, { path: file.path, size: file.size, sha256: local, from: 'local' });
    ctx.onEvent({ type: 'file', path: file.path, size: file.size, from: 'local', resumed: false, reused: false });
    return part;
  }
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
  return part;
}

/**
 * Holds back the progress of files fetched before the plan (config.json, read to choose the
 * others) until the plan is told, and drops it when there is no plan (nothing to do).
 */
function planFirst(onEvent: (e: PullEvent) => void): (e: PullEvent) => void {
  let held: PullEvent[] | undefined = [];
  return (e) => {
    if (held && e.type === 'plan') {
      onEvent(e);
      for (const h of held) onEvent(h);
      held = undefined;
    } else if (held && (e.type === 'file' || e.type === 'bytes')) held.push(e);
    else onEvent(e);
  };
}

/** What the folder's manifest lists that `files` lacks; told as an event, with the dtypes that would keep all. */
async function dropped(
  target: string,
  files: readonly WantedFile[],
  dtypes: readonly string[],
  onEvent: (e: PullEvent) => void,
): Promise<string[]> {
  const before = await readLocalManifest(target);
  const taken = new Set(files.map((f) => f.path));
  const removed = (before?.files ?? []).map((f) => f.path).filter((p) => !taken.has(p));
  const others = (before?.dtypes ?? []).filter((d) => !dtypes.includes(d));
  if (removed.length > 0)
    onEvent({ type: 'removed', paths: removed, dtypes: others.length ? [...dtypes, ...others] : [] });
  return removed;
}

/** Whether the model folder holds exactly this selection of this commit already. */
async function unchanged(ctx: Ctx, files: WantedFile[], task: string, license: string): Promise<boolean> {
  const m = await readLocalManifest(ctx.target);
  if (!m || m.upstream?.commit !== ctx.info.commit || m.task !== task || m.license !== license) return false;
  const listed = new Map(m.files.map((f) => [f.path, f.sha256]));
  if (listed.size !== files.length) return false;
  for (const f of files) {
    const sha256 = listed.get(f.path);
    if (!sha256 || (await sameAsHub(join(ctx.target, f.path), f)) !== sha256) return false;
  }
  return true;
}

export async function pull(options: PullOptions): Promise<PullResult> {
  const idProblem = modelIdProblem(options.repo);
  if (idProblem)
    throw new CliError('BAD_USAGE', `model id "${options.repo}" ${idProblem}`, 'Pass the hub id as org/name');
  const client = new HubClient({
    hub: options.hub,
    token: options.token,
    allowHttpToken: options.allowHttpToken ?? false,
    ...(options.timeoutMs && { timeoutMs: options.timeoutMs }),
  });
  const unlock = await lockRepo(options.out, options.repo);
  try {
    return await pullLocked(options, client);
  } finally {
    await unlock();
    await removePartial(options.out, undefined);
  }
}

async function pullLocked(options: PullOptions, client: HubClient): Promise<PullResult> {
  const info = await client.revision(options.repo, options.revision);
  if (info.movedTo) options.onEvent?.({ type: 'moved', to: info.movedTo });
  const target = join(options.out, options.repo);
  const partial = join(options.out, PARTIAL_DIR, `${options.repo}@${info.commit}`);
  const events = planFirst(options.onEvent ?? (() => undefined));
  const ctx: Ctx = {
    repo: options.repo,
    client,
    info,
    target,
    partial,
    onEvent: events,
    done: new Map(),
    downloadedBytes: 0,
    idleMs: options.timeoutMs,
  };
  const siblings = new Map(info.siblings.map((s) => [s.rfilename, s]));
  const task = options.task ?? info.task;
  if (!task)
    throw new CliError(
      'BAD_USAGE',
      `the hub names no task (pipeline_tag) for "${options.repo}"`,
      'Pass --task, e.g. --task text-classification',
    );
  const license = info.license ?? 'unknown';
  try {
    // --all: the names are checked before anything (config.json too) is downloaded
    const early = options.all ? screenSelection(options.repo, selectAll(undefined, info.siblings).files) : undefined;
    const config = await readConfig(ctx, siblings, !options.all);
    const selection: Selection = options.all
      ? selectAll(config, info.siblings)
      : selectFiles(config!, info.siblings, options.dtypes);
    const screened = early ?? screenSelection(options.repo, selection.files);
    for (const s of screened.skipped) ctx.onEvent({ type: 'skip', ...s });
    const files = screened.files.map((p) => wanted(siblings.get(p), p));
    if ([...ctx.done.values()].every((f) => f.from === 'local') && (await unchanged(ctx, files, task, license))) {
      await removePartial(options.out, partial);
      const m = (await readLocalManifest(target))!;
      return {
        id: options.repo,
        dir: target,
        commit: info.commit,
        revision: m.revision,
        task,
        license,
        dtypes: m.dtypes ?? selection.dtypes,
        unchanged: true,
        downloadedBytes: 0,
        files: m.files.map((f) => ({ ...f, from: 'local' as const })),
        skipped: screened.skipped,
        removed: [],
      };
    }
    ctx.onEvent({
      type: 'plan',
      commit: info.commit,
      files: files.length,
      totalBytes: files.reduce((n, f) => n + f.size, 0),
    });
    for (const f of files) await fetchOne(ctx, f);
    await assemble(
      partial,
      files.map((f) => f.path),
    );
    const verified = files.map((f) => ctx.done.get(f.path)!);
    const manifest = await writePulledManifest(
      partial,
      {
        id: options.repo,
        task,
        license,
        dtypes: selection.dtypes,
        upstream: { hub: client.origin, repo: options.repo, commit: info.commit, revision: options.revision },
      },
      verified,
    );
    const removed = await dropped(target, files, selection.dtypes, ctx.onEvent);
    await swapIntoPlace(partial, target);
    return {
      id: options.repo,
      dir: target,
      commit: info.commit,
      revision: manifest.revision,
      task,
      license,
      dtypes: selection.dtypes,
      unchanged: false,
      downloadedBytes: ctx.downloadedBytes,
      files: verified,
      skipped: screened.skipped,
      removed,
    };
  } catch (e) {
    // a cut transfer keeps what arrived, so that the next run resumes; anything else leaves nothing
    if (!(e instanceof CliError && e.code === 'NETWORK')) await removePartial(options.out, partial);
    throw e;
  }
}
