// Where a load gets its model: the manifest from the model origin (or, when the origin cannot be
// reached, the one stored with the model), and every file through the store, which downloads
// what it lacks and hands out only verified bytes.
import type { AuditSink, LoadedFile } from '../protocol/audit-events.js';
import { AirlockError } from '../errors.js';
import { MANIFEST_FILE, type Manifest, type ManifestFile } from '../manifest/index.js';
import { modelIdProblem } from '../manifest/paths.js';
import { evicted as evictionEvent } from './audit/events.js';
import { fileProgress } from './load-progress.js';
import { verificationReporter, watched } from './verification.js';
import type { FetchLike } from './policy/guarded-fetch.js';
import type { Admission } from './policy/hosting-rules.js';
import type { EnsureRequest, ModelStore } from './store/model-store.js';
import { throwIfAborted } from './calls.js';
import { resolveManifest, type ResolvedManifest } from './manifest-fetch.js';
import { modelKey, modelUrl } from './model-urls.js';
import { repairable } from './store/errors.js';
import type { Eviction, LoadProgress } from '../protocol/types.js';

export { fetchManifest, type ManifestContext } from './manifest-fetch.js';
export { modelKey, modelUrl } from './model-urls.js';

export interface SourceContext {
  fetch: FetchLike;
  modelBase: string;
  store: ModelStore;
  signal?: AbortSignal | undefined;
  onProgress?: ((p: LoadProgress) => void) | undefined;
  /** where verification results, evictions and refused manifests are reported */
  audit?: AuditSink | undefined;
  /** the trusted public keys: with them, every manifest must be signed by one (src/worker/trust/) */
  trust?: readonly string[] | undefined;
  /** the hosting policy's checks, before any file of the model is fetched */
  admit?: Admission | undefined;
}

/** Reads one file of the manifest, verified (stored first when missing). */
export type PeekFile = (file: ManifestFile) => Promise<Uint8Array>;

/** Picks a load's files out of its manifest before they are downloaded. */
export type FileSelection = (manifest: Manifest, peek: PeekFile) => ManifestFile[] | Promise<ManifestFile[]>;

export interface OpenOptions {
  /** picks the files a load needs (all by default), reading any it must know first; may throw to refuse the manifest */
  select?: FileSelection;
  /** ask the origin for a newer manifest (default); when false, a stored model loads with no request */
  revalidate?: boolean;
  /**
   * the engine reads the files whole next (a raw session): files downloaded now are kept in memory,
   * verified, and the first `read` of each takes them instead of reading them back from the store
   */
  keep?: boolean;
  /** told once the manifest is accepted and the files are chosen, before any is fetched or read */
  onFilesChosen?: () => void;
}

export interface OpenedModel {
  key: string;
  manifest: Manifest;
  manifestUrl: string;
  /** where the manifest came from: the origin, or the store when the origin was unreachable */
  manifestFrom: 'network' | 'store';
  /** the key id of the manifest's signature, when `trust` asked for one */
  signedBy?: string | undefined;
  files: ManifestFile[];
  evicted: Eviction[];
  /** the files with their source in this load: downloaded, or already stored */
  loadedFiles(): LoadedFile[];
  /** the verified bytes of one of `files` */
  read(file: ManifestFile): Promise<Uint8Array>;
  /** one of `files` as a stream that errors rather than end on a wrong byte */
  stream(file: ManifestFile): ReadableStream<Uint8Array>;
  /**
   * After a read found a file changed in the store (and dropped it): fetches what is missing
   * again, when the origin answered this load. Says whether it did.
   */
  repair(): Promise<boolean>;
  /** unpins the files (once the writes the load left going on are done): call once the engine is built (or the load failed) */
  release(): void;
}

/**
 * Brings model `id` into the store (what it lacks) and returns a reader of verified bytes. The
 * caller holds the model's in-use lock.
 */
export async function openModel(ctx: SourceContext, id: string, options: OpenOptions = {}): Promise<OpenedModel> {
  const { key, manifest, from, signed, manifestUrl } = await startLoad(ctx, id, options.revalidate ?? true);
  const verified = verificationReporter(ctx.audit, id);
  const { downloaded, noteStored } = downloadRecord(verified);
  const base = {
    key,
    id,
    modelBase: ctx.modelBase,
    manifest,
    fetch: ctx.fetch,
    urlOf: (path: string) => modelUrl(ctx.modelBase, id, path),
    signal: ctx.signal,
    signed,
  };
  const label = (file: ManifestFile) => `${file.path} of "${id}"`;
  const { evicted, recordEvictions } = evictionRecord(ctx, id);
  const files = await chosenFiles(ctx, { manifest, manifestUrl }, options.select, (file) =>
    peek(ctx, { ...base, onStored: noteStored, record: false }, file, label(file), verified, recordEvictions),
  );
  options.onFilesChosen?.();
  const progress = fileProgress(ctx.onProgress, id, files);
  const onStored = (file: ManifestFile, fetched: boolean) => {
    noteStored(file, fetched);
    progress.verified(file);
  };
  const kept = keptDownloads(recordEvictions);
  const request: EnsureRequest = {
    ...base,
    onStored,
    ...(ctx.onProgress && { onBytes: progress.onBytes }),
    ...(options.keep && kept.request),
  };
  const pinned = await ensurePinned(ctx, request, files, verified);
  recordEvictions(pinned.evicted);
  progress.verifiedRest();

  const repair = async () => {
    if (from !== 'network') return false;
    recordEvictions(
      await ctx.store
        .ensure({ ...request, onBytes: undefined, onStored: noteStored }, files)
        .catch(verified.rethrow('download', files)),
    );
    return true;
  };
  return {
    key,
    manifest,
    manifestUrl,
    manifestFrom: from,
    signedBy: signed?.keyId,
    files,
    evicted: [...evicted],
    loadedFiles: () => files.map((f) => ({ ...f, source: downloaded.has(f.path) ? 'network' : 'store' })),
    ...verifiedReads(ctx, label, verified, kept.bytes),
    repair,
    release: () => void kept.writing().finally(pinned.unpin),
  };
}

/**
 * For a load that reads its files whole: the files it downloads, verified, kept for their one
 * read, and the writes of theirs that go on while the engine is built (its files stay pinned
 * until those are done; the evictions they needed go on the record then).
 */
function keptDownloads(recordEvictions: (list: Eviction[]) => void) {
  const bytes = new Map<string, Uint8Array<ArrayBuffer>>();
  let writing: Promise<unknown> = Promise.resolve();
  const request: Pick<EnsureRequest, 'onKept' | 'onWritten'> = {
    onKept: (file, data) => void bytes.set(file.sha256, data),
    onWritten: (written) => {
      writing = Promise.all([writing, written.then(recordEvictions)]).catch(() => undefined);
    },
  };
  return { bytes, request, writing: () => writing };
}

type Verified = ReturnType<typeof verificationReporter>;

/** The models evicted to make room for this load's files (those a look at config.json needed too): on the record, and in its result. */
function evictionRecord(ctx: SourceContext, id: string) {
  const evicted: Eviction[] = [];
  const recordEvictions = (list: Eviction[]) => {
    evicted.push(...list);
    list.forEach((e) => ctx.audit?.(evictionEvent(e, id)));
  };
  return { evicted, recordEvictions };
}

/** The files a load needs (all, or those `select` picks), which the hosting policy may still refuse. */
async function chosenFiles(
  ctx: SourceContext,
  { manifest, manifestUrl }: { manifest: Manifest; manifestUrl: string },
  select: FileSelection | undefined,
  peekFile: PeekFile,
): Promise<ManifestFile[]> {
  const files = select ? await select(manifest, peekFile) : manifest.files;
  throwIfAborted(ctx.signal, `Loading "${manifest.id}"`);
  ctx.admit?.files(manifest, manifestUrl, files);
  return files;
}

/** Pins `files` (until the engine is built: no eviction, delete or new revision removes them) and brings them into the store. */
async function ensurePinned(
  ctx: SourceContext,
  request: EnsureRequest,
  files: ManifestFile[],
  verified: Verified,
): Promise<{ evicted: Eviction[]; unpin: () => void }> {
  const unpin = await ctx.store.pin(files, ctx.signal);
  try {
    return { evicted: await ctx.store.ensure(request, files).catch(verified.rethrow('download', files)), unpin };
  } catch (e) {
    unpin();
    throw e;
  }
}

/** Reads of verified bytes: a file downloaded just now is handed over once, the others read back and re-hashed. */
function verifiedReads(
  ctx: SourceContext,
  label: (file: ManifestFile) => string,
  verified: Verified,
  kept: Map<string, Uint8Array<ArrayBuffer>>,
): Pick<OpenedModel, 'read' | 'stream'> {
  return {
    read: async (file) => {
      // the download's verification covers these bytes: they never left this worker's memory
      const fresh = kept.get(file.sha256);
      if (fresh) {
        kept.delete(file.sha256);
        return fresh;
      }
      const bytes = await ctx.store.read(file, label(file)).catch(verified.rethrow('read', [file]));
      verified.passed(file, 'read');
      return bytes;
    },
    stream: (file) =>
      watched(
        ctx.store.stream(file, label(file)),
        () => verified.passed(file, 'read'),
        (e) => verified.failed('read', [file], e),
      ),
  };
}

/** The id checked, the load's first progress event, and the manifest (from the origin, or the stored one). */
async function startLoad(
  ctx: SourceContext,
  id: string,
  revalidate: boolean,
): Promise<{ key: string; from: 'network' | 'store'; manifestUrl: string } & ResolvedManifest> {
  const problem = modelIdProblem(id);
  if (problem) throw new AirlockError('BAD_INPUT', `Model id "${id}" ${problem}`, { modelId: id });
  ctx.onProgress?.({ modelId: id, phase: 'manifest', loaded: 0, total: 0 });
  const key = modelKey(ctx.modelBase, id);
  const resolved = await resolveManifest(ctx, id, key, revalidate);
  const manifestUrl = modelUrl(ctx.modelBase, id, MANIFEST_FILE);
  // the hosting policy's model and backend rules, before any file of the model is fetched
  ctx.admit?.manifest(resolved.manifest, manifestUrl);
  return { key, ...resolved, manifestUrl };
}

/** Which files this load downloaded (rather than found stored); each is reported verified as it is stored. */
function downloadRecord(verified: ReturnType<typeof verificationReporter>) {
  const downloaded = new Set<string>();
  const noteStored = (file: ManifestFile, fetched: boolean) => {
    if (!fetched) return;
    downloaded.add(file.path);
    verified.passed(file, 'download');
  };
  return { downloaded, noteStored };
}

/**
 * One file stored (when missing) and read, verified, before the load's files are chosen: what a
 * selection needs to know first (a pipeline's config.json). It stays stored for the load.
 */
async function peek(
  ctx: SourceContext,
  request: EnsureRequest,
  file: ManifestFile,
  label: string,
  verified: ReturnType<typeof verificationReporter>,
  onEvicted: (list: Eviction[]) => void,
): Promise<Uint8Array> {
  const unpin = await ctx.store.pin([file], ctx.signal);
  try {
    onEvicted(await ctx.store.ensure(request, [file]).catch(verified.rethrow('download', [file])));
    const bytes = await ctx.store.read(file, label).catch(verified.rethrow('read', [file]));
    verified.passed(file, 'read');
    return bytes;
  } finally {
    unpin();
  }
}

/**
 * Runs `build`; when it found a stored file changed behind the store's back (the store dropped
 * it), fetches what is missing again and runs it once more.
 */
export async function repairing<T>(model: OpenedModel, build: () => Promise<T>): Promise<T> {
  try {
    return await build();
  } catch (e) {
    if (!repairable(e) || !(await model.repair())) throw e;
    return build();
  }
}
