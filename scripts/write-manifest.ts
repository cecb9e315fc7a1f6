// Writes models/<id>/manifest.json for a model folder: every file's size and SHA-256.
// Usage: npm run manifest -- <folder> --task <task|raw> --source <where it came from> --license <SPDX>
import { basename, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { ManifestWriteError, writeManifest } from '../src/node/manifest-writer.js';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    task: { type: 'string' },
    source: { type: 'string' },
    license: { type: 'string' },
    id: { type: 'string' },
  },
});
const dir = positionals[0];
if (!dir || !values.task || !values.source || !values.license) {
  console.error(
    'usage: npm run manifest -- <folder> --task <task|raw> --source <text> --license <SPDX id> [--id <id>]',
  );
  process.exit(2);
}
const info = {
  id: values.id ?? basename(resolve(dir)),
  task: values.task,
  source: values.source,
  license: values.license,
};
const manifest = await writeManifest(resolve(dir), info, {
  onSkip: (path) => console.log(`skipped ${path}: hidden names are never served`),
}).catch((error: unknown) => {
  if (!(error instanceof ManifestWriteError)) throw error;
  console.error(error.message); // a link the server would not follow
  process.exit(1);
});
console.log(`${manifest.id}: ${manifest.files.length} files, revision ${manifest.revision}`);
