// The manifest of a pulled model: the writer's file list and revision, plus where it came from
// (hub, repo, commit) and which dtypes it holds.
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { buildManifest } from './manifest-writer.js';
import type { Manifest, ManifestFile } from '../manifest/types.js';
import { MANIFEST_FILE } from '../manifest/types.js';
import { CliError, ioError } from './errors.js';

export interface Upstream {
  hub: string;
  repo: string;
  commit: string;
  /** the revision asked for (a branch, tag or commit) */
  revision: string;
}

export interface PulledInfo {
  id: string;
  task: string;
  license: string;
  dtypes: string[];
  upstream: Upstream;
}

export type PulledManifestDoc = Manifest & { dtypes: string[]; upstream: Upstream };

/** `source` in words a person can follow: the hub's page of that commit. */
export function sourceOf(u: Upstream): string {
  return `${u.hub}/${u.repo}/tree/${u.commit}`;
}

/** The files as listed must be the files as verified: anything else changed on disk since. */
function checkAgainst(dir: string, listed: readonly ManifestFile[], verified: readonly ManifestFile[]): void {
  const want = new Map(verified.map((f) => [f.path, f]));
  const changed = listed
    .filter((f) => want.get(f.path)?.sha256 !== f.sha256 || want.get(f.path)?.size !== f.size)
    .map((f) => f.path);
  const gone = verified.filter((f) => !listed.some((l) => l.path === f.path)).map((f) => f.path);
  if (changed.length + gone.length === 0) return;
  throw new CliError(
    'VERIFICATION_FAILED',
    `${[...changed, ...gone].join(', ')} changed in ${dir} after it was checked`,
    'Make sure no other program writes there, then run again',
    { paths: [...changed, ...gone] },
  );
}

/** Writes the manifest of `dir`, whose files must be exactly `verified` (path, size, SHA-256 as checked on arrival). */
export async function writePulledManifest(
  dir: string,
  info: PulledInfo,
  verified: readonly ManifestFile[],
): Promise<PulledManifestDoc> {
  const manifest = await buildManifest(dir, {
    id: info.id,
    task: info.task,
    license: info.license,
    source: sourceOf(info.upstream),
  }).catch((e: unknown) => {
    if (e instanceof CliError || (e as NodeJS.ErrnoException).code)
      throw e instanceof CliError ? e : ioError(`hash ${dir}`, e);
    throw new CliError(
      'MANIFEST_INVALID',
      `no manifest for ${info.id}: ${(e as Error).message}`,
      "Pull without --all, or report the repo's file names",
      { dir },
    );
  });
  checkAgainst(dir, manifest.files, verified);
  const doc: PulledManifestDoc = { ...manifest, dtypes: info.dtypes, upstream: info.upstream };
  await writeFile(join(dir, MANIFEST_FILE), `${JSON.stringify(doc, null, 2)}\n`).catch((e: unknown) => {
    throw ioError(`write ${MANIFEST_FILE}`, e);
  });
  return doc;
}
