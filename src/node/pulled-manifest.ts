// The manifest of a pulled model: the writer's file list and revision, plus where it came from
// (hub, repo, commit) and which dtypes it holds.
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { buildManifest } from '../cli/manifest-writer.js';
import type { Manifest } from '../manifest/types.js';
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

export async function writePulledManifest(dir: string, info: PulledInfo): Promise<PulledManifestDoc> {
  const manifest = await buildManifest(dir, { id: info.id, task: info.task, license: info.license, source: sourceOf(info.upstream) }).catch((e: unknown) => {
    if (e instanceof CliError || (e as NodeJS.ErrnoException).code) throw e instanceof CliError ? e : ioError(`hash ${dir}`, e);
    throw new CliError('MANIFEST_INVALID', `no manifest for ${info.id}: ${(e as Error).message}`, 'Pull without --all, or report the repo\'s file names', { dir });
  });
  const doc: PulledManifestDoc = { ...manifest, dtypes: info.dtypes, upstream: info.upstream };
  await writeFile(join(dir, MANIFEST_FILE), `${JSON.stringify(doc, null, 2)}\n`).catch((e: unknown) => { throw ioError(`write ${MANIFEST_FILE}`, e); });
  return doc;
}
