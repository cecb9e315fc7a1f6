// airlock verify <dir…>: re-hash model folders against their manifests.
import { resolve } from 'node:path';
import { CliError } from '../../node/errors.js';
import { findModels, hasManifest } from '../../node/model-dirs.js';
import { verifyDir, type VerifyReport } from '../../node/verify-dir.js';
import type { CommandSpec, Parsed } from '../args.js';
import type { Output } from '../output.js';

export const spec: CommandSpec = {
  name: 'verify',
  short: 're-hash model folders against their manifests',
  args: '<dir…>',
  summary: [
    'Re-hashes model folders against their manifests and lists every mismatched, missing and',
    'unlisted file. A folder without a manifest.json is taken as a model tree: every model in it.',
    'Exit status 1 on any problem.',
  ].join('\n'),
  positionals: [1, Infinity],
  options: {},
};

/** The model folders `dir` stands for: itself, or the models of the tree it holds. */
async function modelDirs(dir: string): Promise<{ dir: string; id?: string }[]> {
  if (await hasManifest(dir)) return [{ dir }];
  const ids = await findModels(dir);
  if (ids.length === 0) throw new CliError('NO_MANIFEST', `${dir} has no manifest.json, and no model folders with one`, `Write one with: airlock manifest ${dir} --id <org/name> --task <task> --license <spdx> --source <text>`, { dir });
  return ids.map((id) => ({ dir: resolve(dir, id), id }));
}

function describe(r: VerifyReport): string[] {
  if (r.ok) return [`ok       ${r.id} (${r.files} files, revision ${r.revision.slice(0, 12)})`];
  return [
    `FAILED   ${r.id} (${r.dir})`,
    ...r.mismatched.map((m) => `  mismatched ${m.path}: ${m.problem ?? `${m.actual.size} bytes, sha256 ${m.actual.sha256}; the manifest says ${m.expected.size} bytes, sha256 ${m.expected.sha256}`}`),
    ...r.missing.map((p) => `  missing    ${p}`),
    ...r.unlisted.map((p) => `  unlisted   ${p}`),
  ];
}

export async function run(p: Parsed, out: Output): Promise<unknown> {
  const reports: VerifyReport[] = [];
  for (const arg of p.positionals) {
    for (const m of await modelDirs(resolve(arg))) {
      const report = await verifyDir(m.dir, m.id);
      reports.push(report);
      for (const line of describe(report)) out.say(line);
    }
  }
  const failed = reports.filter((r) => !r.ok);
  if (failed.length > 0) {
    throw new CliError('VERIFICATION_FAILED', `${failed.length} of ${reports.length} models failed verification (${failed.map((r) => r.id).join(', ')})`, 'Pull them again, or restore their files, then run verify again', { models: reports });
  }
  return { models: reports };
}
