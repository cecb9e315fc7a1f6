// airlock runtime --out <dir>: the onnxruntime-web files this version's worker loads, the worker
// itself and the page entry, for pages that do not bundle them (esbuild, no build at all).
import { mkdir, readFile, writeFile, copyFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { DEFAULT_RUNTIME_BASE } from '../../shared/defaults.js';
import { CliError, ioError } from '../../node/errors.js';
import { sha256File } from '../../node/file-hash.js';
import { LIBRARY_FILES, libraryDistDir, withoutSourceMapComment } from '../../node/library-files.js';
import { runtimeFilePaths } from '../../node/ort-files.js';
import { str, type CommandSpec, type Parsed } from '../args.js';
import type { Output } from '../output.js';
import { statSync } from 'node:fs';

export const spec: CommandSpec = {
  name: 'runtime',
  short: 'write the onnxruntime-web files, the worker and the page entry',
  args: '--out <dir>',
  summary: [
    "Writes the onnxruntime-web runtime files this Airlock version's worker loads, the worker",
    '(worker.js) and the page entry (index.js) into <dir>, for any web server to serve at --base.',
    'Pages that bundle Airlock need only the runtime files; an esbuild app passes the workerUrl it',
    'prints, and a page with no build imports createRuntime from index.js.',
  ].join('\n'),
  positionals: [0, 0],
  options: {
    out: { type: 'string', value: '<dir>', help: 'where to write them' },
    base: {
      type: 'string',
      value: '<path>',
      help: `the URL path <dir> is served at (default ${DEFAULT_RUNTIME_BASE})`,
    },
  },
};

/** A folder path on the page's origin: a worker may only start from there. */
function servedBase(p: Parsed): string {
  const base = str(p, 'base') ?? DEFAULT_RUNTIME_BASE;
  if (!base.startsWith('/') || base.startsWith('//') || !base.endsWith('/')) {
    throw new CliError(
      'BAD_USAGE',
      `--base ${base} is not a folder path on the page's origin`,
      'Pass a path that starts and ends with /, e.g. /airlock/ort/',
    );
  }
  return base;
}

async function written(
  out: Output,
  target: string,
  name: string,
  write: () => Promise<void>,
): Promise<{ path: string; size: number; sha256: string }> {
  const to = join(target, name);
  await write().catch((e: unknown) => {
    throw ioError(`write ${to}`, e);
  });
  const entry = { path: name, size: statSync(to).size, sha256: await sha256File(to) };
  out.say(`${name}  ${entry.sha256}`);
  return entry;
}

export async function run(p: Parsed, out: Output): Promise<unknown> {
  const dir = str(p, 'out');
  if (!dir)
    throw new CliError(
      'BAD_USAGE',
      'airlock runtime needs --out <dir>',
      'Pass the folder the web server serves at the runtime base',
    );
  const base = servedBase(p);
  const target = resolve(dir);
  // the destination first: a folder that cannot be made is the admin's to fix, whatever is built
  await mkdir(target, { recursive: true }).catch((e: unknown) => {
    throw ioError(`create ${target}`, e);
  });
  const library = libraryDistDir();
  const files = [];
  for (const [name, from] of runtimeFilePaths())
    files.push(await written(out, target, name, () => copyFile(from, join(target, name))));
  for (const name of LIBRARY_FILES) {
    const code = withoutSourceMapComment(await readFile(join(library, name), 'utf8'));
    files.push(await written(out, target, name, () => writeFile(join(target, name), code)));
  }
  const workerUrl = `${base}worker.js`;
  const entry = `${base}index.js`;
  out.say(`Serve ${target} at ${base}, then: createRuntime({ runtimeBase: '${base}', workerUrl: '${workerUrl}' })`);
  out.say(
    `A page with no build: import { createRuntime } from '${entry}' (it finds worker.js beside it; pass runtimeBase: '${base}')`,
  );
  return { dir: target, runtimeBase: base, workerUrl, entry, files };
}
