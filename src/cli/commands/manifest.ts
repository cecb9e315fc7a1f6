// airlock manifest <dir>: hash a model folder and write its manifest.json.
import { basename, resolve } from 'node:path';
import { modelIdProblem } from '../../manifest/paths.js';
import { CliError } from '../../node/errors.js';
import { readLocalManifest } from '../../node/local-model.js';
import { writeManifest } from '../../node/manifest-writer.js';
import { str, type CommandSpec, type Parsed } from '../args.js';
import type { Output } from '../output.js';

export const spec: CommandSpec = {
  name: 'manifest',
  short: 'hash a model folder and write its manifest.json',
  args: '<dir>',
  summary: [
    'Hashes every file of a model folder and writes its manifest.json (size and SHA-256 of each',
    'file, and the revision over them). Options not given are kept from the folder\'s manifest.',
  ].join('\n'),
  positionals: [1, 1],
  options: {
    id: { type: 'string', value: '<org/name>', help: 'the model id: name or org/name (default: the manifest\'s, else the folder name)' },
    task: { type: 'string', value: '<task>', help: 'the transformers.js task, or raw for models used only through session()' },
    license: { type: 'string', value: '<spdx>', help: 'SPDX licence id' },
    source: { type: 'string', value: '<text>', help: 'where the files came from' },
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
  let manifest;
  try {
    manifest = await writeManifest(dir, info);
  } catch (e) {
    if (e instanceof CliError) throw e;
    throw new CliError('MANIFEST_INVALID', `no manifest written for ${dir}: ${(e as Error).message}`, 'Rename or remove that file, then run again', { dir });
  }
  out.say(`${manifest.id}: ${manifest.files.length} files, revision ${manifest.revision}`);
  return { dir, ...manifest };
}
