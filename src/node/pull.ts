// `airlock pull`: mirrors a model from a hub into <out>/<org>/<name>/. Files arrive in a hidden
// partial folder beside it, are checked, get their manifest, and only then replace the model
// folder, so <out> never holds a half-written model. Files the folder already has with the hub's
// hash are copied, not downloaded.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { modelIdProblem } from '../manifest/paths.js';
import type { WantedFile } from './download.js';
import { CliError } from './errors.js';
import { HubClient, type HubSibling, type RevisionInfo } from './hub-client.js';
import { readLocalManifest, sameAsHub } from './local-model.js';
import { fetchOne, wanted, type PullContext } from './pull-fetch.js';
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

/** What this pull takes: the files, and what the manifest says of them. */
interface Plan {
  task: string;
  license: string;
  selection: Selection;
  skipped: SkippedFile[];
  files: WantedFile[];
}

async function readConfig(
  ctx: PullContext,
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

/** Whether the model folder holds exactly this selection of this commit already (and nothing came from the hub). */
async function unchanged(ctx: PullContext, { files, task, license }: Plan): Promise<boolean> {
  if (![...ctx.done.values()].every((f) => f.from === 'local')) return false;
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
  const ctx = await startPull(options, client);
  const task = taskOf(options, ctx.info);
  const license = ctx.info.license ?? 'unknown';
  try {
    const plan = await planFiles(ctx, options, task, license);
    if (await unchanged(ctx, plan)) return await keptAsIs(ctx, options.out, plan);
    return await fetchAndSwap(ctx, options.revision, plan);
  } catch (e) {
    // a cut transfer keeps what arrived, so that the next run resumes; anything else leaves nothing
    if (!(e instanceof CliError && e.code === 'NETWORK')) await removePartial(options.out, ctx.partial);
    throw e;
  }
}

/** The revision resolved to a commit, and where that commit's files go. */
async function startPull(options: PullOptions, client: HubClient): Promise<PullContext> {
  const info = await client.revision(options.repo, options.revision);
  if (info.movedTo) options.onEvent?.({ type: 'moved', to: info.movedTo });
  return {
    repo: options.repo,
    client,
    info,
    target: join(options.out, options.repo),
    partial: join(options.out, PARTIAL_DIR, `${options.repo}@${info.commit}`),
    onEvent: planFirst(options.onEvent ?? (() => undefined)),
    done: new Map(),
    downloadedBytes: 0,
    idleMs: options.timeoutMs,
  };
}

function taskOf(options: PullOptions, info: RevisionInfo): string {
  const task = options.task ?? info.task;
  if (!task)
    throw new CliError(
      'BAD_USAGE',
      `the hub names no task (pipeline_tag) for "${options.repo}"`,
      'Pass --task, e.g. --task text-classification',
    );
  return task;
}

/** The files to take: the selection (chosen from config.json unless --all), less the names the runtime refuses. */
async function planFiles(ctx: PullContext, options: PullOptions, task: string, license: string): Promise<Plan> {
  const { siblings: listed } = ctx.info;
  const siblings = new Map(listed.map((s) => [s.rfilename, s]));
  // --all: the names are checked before anything (config.json too) is downloaded
  const early = options.all ? screenSelection(options.repo, selectAll(undefined, listed).files) : undefined;
  const config = await readConfig(ctx, siblings, !options.all);
  const selection: Selection = options.all ? selectAll(config, listed) : selectFiles(config!, listed, options.dtypes);
  const screened = early ?? screenSelection(options.repo, selection.files);
  for (const s of screened.skipped) ctx.onEvent({ type: 'skip', ...s });
  const files = screened.files.map((p) => wanted(siblings.get(p), p));
  return { task, license, selection, skipped: screened.skipped, files };
}

/** The folder holds this pull already: nothing is written, and its manifest tells the result. */
async function keptAsIs(ctx: PullContext, out: string, plan: Plan): Promise<PullResult> {
  await removePartial(out, ctx.partial);
  const m = (await readLocalManifest(ctx.target))!;
  return {
    id: ctx.repo,
    dir: ctx.target,
    commit: ctx.info.commit,
    revision: m.revision,
    task: plan.task,
    license: plan.license,
    dtypes: m.dtypes ?? plan.selection.dtypes,
    unchanged: true,
    downloadedBytes: 0,
    files: m.files.map((f) => ({ ...f, from: 'local' as const })),
    skipped: plan.skipped,
    removed: [],
  };
}

/** Fetches the plan's files, writes their manifest, and puts the partial folder in the model folder's place. */
async function fetchAndSwap(ctx: PullContext, revision: string, plan: Plan): Promise<PullResult> {
  const { files, selection, task, license } = plan;
  const { commit } = ctx.info;
  ctx.onEvent({ type: 'plan', commit, files: files.length, totalBytes: files.reduce((n, f) => n + f.size, 0) });
  for (const f of files) await fetchOne(ctx, f);
  await assemble(
    ctx.partial,
    files.map((f) => f.path),
  );
  const verified = files.map((f) => ctx.done.get(f.path)!);
  const upstream = { hub: ctx.client.origin, repo: ctx.repo, commit, revision };
  const info = { id: ctx.repo, task, license, dtypes: selection.dtypes, upstream };
  const manifest = await writePulledManifest(ctx.partial, info, verified);
  const removed = await dropped(ctx.target, files, selection.dtypes, ctx.onEvent);
  await swapIntoPlace(ctx.partial, ctx.target);
  return {
    id: ctx.repo,
    dir: ctx.target,
    commit,
    revision: manifest.revision,
    task,
    license,
    dtypes: selection.dtypes,
    unchanged: false,
    downloadedBytes: ctx.downloadedBytes,
    files: verified,
    skipped: plan.skipped,
    removed,
  };
}
