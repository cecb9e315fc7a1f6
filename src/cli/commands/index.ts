// airlock index <models/>: write models/index.json, the list of what the origin offers.
import { join, resolve } from 'node:path';
import { INDEX_FILE, writeIndex } from '../../node/models-index.js';
import type { CommandSpec, Parsed } from '../args.js';
import { formatBytes, type Output } from '../output.js';

export const spec: CommandSpec = {
  name: 'index',
  short: 'write index.json, the list of models the origin offers',
  args: '<models/>',
  summary: [
    "Writes <models/>/index.json: every model's id, revision, task, dtypes and size, from their",
    "manifests (checked with the runtime's rules), so a portal can list what the origin offers.",
  ].join('\n'),
  positionals: [1, 1],
  options: {},
};

export async function run(p: Parsed, out: Output): Promise<unknown> {
  const root = resolve(p.positionals[0]!);
  const index = await writeIndex(root);
  for (const m of index.models)
    out.say(`${m.id.padEnd(40)} ${m.task.padEnd(24)} ${(m.dtypes.join(',') || '-').padEnd(12)} ${formatBytes(m.size)}`);
  out.say(`${index.models.length} models -> ${join(root, INDEX_FILE)}`);
  return { path: join(root, INDEX_FILE), ...index };
}
