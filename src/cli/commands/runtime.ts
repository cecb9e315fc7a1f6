// airlock runtime --out <dir>: the onnxruntime-web files this version's worker loads.
import { copyFile, mkdir } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { CliError, ioError } from '../../node/errors.js';
import { sha256File } from '../../node/file-hash.js';
import { runtimeFilePaths } from '../../node/ort-files.js';
import { str, type CommandSpec, type Parsed } from '../args.js';
import type { Output } from '../output.js';
import { statSync } from 'node:fs';

export const spec: CommandSpec = {
  name: 'runtime',
  short: 'write the onnxruntime-web files the worker loads',
  args: '--out <dir>',
  summary: [
    'Writes the onnxruntime-web runtime files this Airlock version\'s worker loads (and nothing',
    'else) into <dir>, for any web server to serve at the runtime base (default /airlock/ort/).',
  ].join('\n'),
  positionals: [0, 0],
  options: { out: { type: 'string', value: '<dir>', help: 'where to write them' } },
};

export async function run(p: Parsed, out: Output): Promise<unknown> {
  const dir = str(p, 'out');
  if (!dir) throw new CliError('BAD_USAGE', 'airlock runtime needs --out <dir>', 'Pass the folder the web server serves at the runtime base');
  const target = resolve(dir);
  await mkdir(target, { recursive: true }).catch((e: unknown) => { throw ioError(`create ${target}`, e); });
  const files = [];
  for (const [name, from] of runtimeFilePaths()) {
    await copyFile(from, join(target, name)).catch((e: unknown) => { throw ioError(`write ${join(target, name)}`, e); });
    const entry = { path: name, size: statSync(from).size, sha256: await sha256File(join(target, name)) };
    files.push(entry);
    out.say(`${name}  ${entry.sha256}`);
  }
  return { dir: target, files };
}
