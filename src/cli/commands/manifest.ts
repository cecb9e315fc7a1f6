// airlock manifest <dir>: hash a model folder and write its manifest.json.
import { basename, join, resolve } from 'node:path';
import { modelIdProblem } from '../../manifest/paths.js';
import { CliError, ioError } from '../../node/errors.js';
import { readLocalManifest } from '../../node/local-model.js';
import { buildManifest, ManifestWriteError, writeManifestFile } from '../../node/manifest-writer.js';
import { str, type CommandSpec, type Parsed } from '../args.js';
import type { Output } from '../output.js';

export const spec: CommandSpec = {
  name: 'manifest',
  short: 'hash a model folder and write its manifest.json',
  args: '<dir>',
  summary: [
    'Hashes every file of a model folder and writes its manifest.json (size and SHA-256 of each',
    "file, and the revision over them). Options not given are kept from the folder's manifest.",
  ].join('\n'),
  positionals: [1, 1],
  options: {
    id: {
      type: 'string',
      value: '<org/name>',
      help: "the model id: name or org/name (default: the manifest's, else the folder name)",
    },
    task: {
      type: 'string',
      value: '<task>',
      help: 'the transformers.js task, or raw for models used only through session()',
    },
    license: { type: 'string', value: '<spdx>', help: 'SPDX licence id' },
    source: { type: 'string', value: '<text>', help: 'where the files came from' },
    root: {
      type: 'string',
      value: '<models/>',
      help: "the served tree the folder lies in: links may lead anywhere inside it (a sibling model's file), not only inside the folder",
    },
  },
};

export async function run(p: Parsed, out: Output): Promise<unknown> {
  const dir = resolve(p.positionals[0]!);
  const before = await readLocalManifest(dir);
  const id = str(p, 'id') ?? before?.id ?? basename(dir);
  const problem = modelIdProblem(id);
  if (problem) throw new CliError('BAD_USAGE', `model id "${id}" ${problem}`, 'Pass --id org/name');
  const need = (key: 'task' | 'license' | 'source') => {
    const v = str(p, key) ?? before?.[key];
    if (!v) throw new CliError('BAD_USAGE', `${dir} has no manifest to take --${key} from`, `Pass --${key}`);
    return v;
  };
  const info = { id, task: need('task'), license: need('license'), source: need('source') };
  const root = str(p, 'root');
  const skipped: string[] = [];
  const manifest = await buildManifest(dir, info, {
    onSkip: (path) => skipped.push(path),
    ...(root && { within: resolve(root) }),
  }).catch((e: unknown) => {
    throw buildError(dir, e, Boolean(root));
  });
  for (const path of skipped) out.note(`skipped ${path} (hidden)`);
  await writeManifestFile(dir, manifest).catch((e: unknown) => {
    throw ioError(`write ${join(dir, 'manifest.json')}`, e, 'folder');
  });
  out.say(`${manifest.id}: ${manifest.files.length} files, revision ${manifest.revision}`);
  return { dir, ...manifest, skipped };
}

/** A failure to list or hash the folder: a link refused, a name the runtime refuses, or the disk. */
function buildError(dir: string, e: unknown, hasRoot: boolean): CliError {
  if (e instanceof CliError) return e;
  if (e instanceof ManifestWriteError) {
    const hint =
      e.reason === 'outside' && !hasRoot
        ? 'Replace the link by a copy of the file, or, if it stays inside the tree you serve, pass --root <that tree>'
        : e.reason === 'broken'
          ? 'Fix or remove the link, then run again'
          : 'Replace the link by a copy of the file, then run again';
    return new CliError(
      'MANIFEST_INVALID',
      `no manifest written: ${e.message.replace(/; replace the link by a copy of the file$/, '')}`,
      hint,
      { dir, path: e.path, reason: e.reason },
    );
  }
  if (typeof (e as NodeJS.ErrnoException).code === 'string' && /^E[A-Z]+$/.test((e as NodeJS.ErrnoException).code!))
    return ioError(`read ${dir}`, e, 'folder');
  return new CliError(
    'MANIFEST_INVALID',
    `no manifest written: ${(e as Error).message}`,
    'Rename or remove the file it names, then run again',
    { dir },
  );
}
