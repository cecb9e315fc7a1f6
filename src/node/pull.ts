// `airlock pull`: mirrors a model from a hub into <out>/<org>/<name>/. Files arrive in a hidden
// partial folder beside it, are checked, get their manifest, and only then replace the model
// folder, so <out> never holds a half-written model. Files the folder already has with the hub's
// hash are copied, not downloaded.
import { copyFile, constants, mkdir, readFile, rename, rm, stat } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { modelIdProblem } from '../manifest/paths.js';
import { downloadFile, type WantedFile } from './download.js';
import { CliError, ioError } from './errors.js';
import { HubClient, type HubSibling, type RevisionInfo } from './hub-client.js';
import { readLocalManifest, sameAsHub } from './local-model.js';
import { selectAll, selectFiles, type Selection } from './pull-selection.js';
import type { ModelConfig } from '../shared/hf/model-sessions.js';
import { assemble, PARTIAL_DIR, removePartial } from './partial.js';
import { writePulledManifest } from './pulled-manifest.js';

export interface PullOptions {
  repo: string;
  revision: string;
  hub: string;
  out: string;
  token?: string | undefined;
  dtypes?: string[] | undefined;
  task?: string | undefined;
  all?: boolean;
  onEvent?: (e: PullEvent) => void;
}

export type PullEvent =
  | { type: 'plan'; commit: string; files: number; totalBytes: number }
  | { type: 'bytes'; n: number }
  | { type: 'file'; path: string; size: number; from: 'hub' | 'local'; resumed: boolean };

export interface PulledFile { path: string; size: number; sha256: string; from: 'hub' | 'local' }

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
}

function wanted(sibling: HubSibling | undefined, path: string): WantedFile {
  const size = sibling?.lfs?.size ?? sibling?.size;
  if (!sibling || size === undefined) throw new CliError('HUB_ERROR', `the hub lists no size for ${path}`, 'Use a hub that answers the revision API with ?blobs=true');
  return { path, size, sha256: sibling.lfs?.sha256, blobId: sibling.lfs ? undefined : sibling.blobId };
}

async function readConfig(ctx: Ctx, siblings: Map<string, HubSibling>, required: boolean): Promise<ModelConfig | undefined> {
  if (!siblings.has('config.json')) {
    if (!required) return undefined;
    throw new CliError('BAD_USAGE', `"${ctx.repo}" has no config.json, so it is not a transformers.js model`, 'Pass --all to take every file (for raw sessions)');
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
}

/** One file into the partial folder: copied when the model folder has it already, else downloaded. */
async function fetchOne(ctx: Ctx, file: WantedFile): Promise<string> {
  const part = join(ctx.partial, `${file.path}.part`);
  const seen = ctx.done.get(file.path);
  if (seen) return part;
  await mkdir(dirname(part), { recursive: true }).catch((e: unknown) => { throw ioError(`create ${dirname(part)}`, e); });
  const local = await sameAsHub(join(ctx.target, file.path), file);
  if (local) {
    await copyFile(join(ctx.target, file.path), part, constants.COPYFILE_FICLONE).catch((e: unknown) => { throw ioError(`copy ${file.path}`, e); });
    ctx.done.set(file.path, { path: file.path, size: file.size, sha256: local, from: 'local' });
    ctx.onEvent({ type: 'file', path: file.path, size: file.size, from: 'local', resumed: false });
    return part;
  }
  const before = await stat(part).then((s) => s.size, () => 0);
  const got = await downloadFile({ client: ctx.client, repo: ctx.repo, commit: ctx.info.commit, onBytes: (n) => { ctx.downloadedBytes += n; ctx.onEvent({ type: 'bytes', n }); } }, file, part);
  ctx.done.set(file.path, { path: file.path, size: file.size, sha256: got.sha256, from: 'hub' });
  ctx.onEvent({ type: 'file', path: file.path, size: file.size, from: 'hub', resumed: got.resumed || before > 0 });
  return part;
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
  if (idProblem) throw new CliError('BAD_USAGE', `model id "${options.repo}" ${idProblem}`, 'Pass the hub id as org/name');
  const client = new HubClient({ hub: options.hub, token: options.token });
  const info = await client.revision(options.repo, options.revision);
  const target = join(options.out, options.repo);
  const partial = join(options.out, PARTIAL_DIR, `${options.repo}@${info.commit}`);
  const ctx: Ctx = { repo: options.repo, client, info, target, partial, onEvent: options.onEvent ?? (() => undefined), done: new Map(), downloadedBytes: 0 };
  const siblings = new Map(info.siblings.map((s) => [s.rfilename, s]));
  const task = options.task ?? info.task;
  if (!task) throw new CliError('BAD_USAGE', `the hub names no task (pipeline_tag) for "${options.repo}"`, 'Pass --task, e.g. --task text-classification');
  const license = info.license ?? 'unknown';
  try {
    const config = await readConfig(ctx, siblings, !options.all);
    const selection: Selection = options.all ? selectAll(config, info.siblings) : selectFiles(config!, info.siblings, options.dtypes);
    const files = selection.files.map((p) => wanted(siblings.get(p), p));
    if ([...ctx.done.values()].every((f) => f.from === 'local') && (await unchanged(ctx, files, task, license))) {
      await removePartial(options.out, partial);
      const m = (await readLocalManifest(target))!;
      return { id: options.repo, dir: target, commit: info.commit, revision: m.revision, task, license, dtypes: m.dtypes ?? selection.dtypes, unchanged: true, downloadedBytes: 0, files: m.files.map((f) => ({ ...f, from: 'local' as const })) };
    }
    ctx.onEvent({ type: 'plan', commit: info.commit, files: files.length, totalBytes: files.reduce((n, f) => n + f.size, 0) });
    for (const f of files) await fetchOne(ctx, f);
    await assemble(partial, files.map((f) => f.path));
    const manifest = await writePulledManifest(partial, { id: options.repo, task, license, dtypes: selection.dtypes, upstream: { hub: client.origin, repo: options.repo, commit: info.commit, revision: options.revision } });
    await swapIntoPlace(partial, target);
    await removePartial(options.out, undefined);
    return { id: options.repo, dir: target, commit: info.commit, revision: manifest.revision, task, license, dtypes: selection.dtypes, unchanged: false, downloadedBytes: ctx.downloadedBytes, files: files.map((f) => ctx.done.get(f.path)!) };
  } catch (e) {
    // a cut transfer keeps what arrived, so that the next run resumes; anything else leaves nothing
    if (!(e instanceof CliError && e.code === 'NETWORK')) await removePartial(options.out, partial);
    throw e;
  }
}

/** Replaces `target` with `ready`: two renames on one file system, the old folder removed after. */
async function swapIntoPlace(ready: string, target: string): Promise<void> {
  const old = `${ready}.old`;
  try {
    await mkdir(dirname(target), { recursive: true });
    const hadOld = await rename(target, old).then(() => true, (e: NodeJS.ErrnoException) => { if (e.code === 'ENOENT') return false; throw e; });
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
