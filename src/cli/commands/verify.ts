// airlock verify <dir…>: re-hash model folders against their manifests.
import { basename, resolve } from 'node:path';
import { CliError } from '../../node/errors.js';
import { findModels, hasManifest } from '../../node/model-dirs.js';
import { verifyDir, type VerifyReport } from '../../node/verify-dir.js';
import { publicKeysOption, withSignature } from '../../node/trust/check-signature.js';
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
  options: {
    'public-key': {
      type: 'string',
      multiple: true,
      value: '<ed25519:…>',
      help: 'also check each manifest.json.sig against these keys, as createRuntime({ trust }) does',
    },
  },
};

/** A model whose manifest is missing or refused: a failed report, so that the others are still checked. */
function refusedReport(dir: string, id: string, error: CliError): VerifyReport & { cause: CliError } {
  return {
    dir,
    id,
    revision: '',
    ok: false,
    files: 0,
    mismatched: [],
    missing: [],
    unlisted: [],
    error: { code: error.code, message: error.message },
    cause: error,
  };
}

const isManifestError = (e: unknown): e is CliError =>
  e instanceof CliError && (e.code === 'NO_MANIFEST' || e.code === 'MANIFEST_INVALID');

/** The model folders `dir` stands for: itself, or the models of the tree it holds. */
async function modelDirs(dir: string): Promise<{ dir: string; id?: string }[]> {
  if (await hasManifest(dir)) return [{ dir }];
  const ids = await findModels(dir);
  if (ids.length === 0)
    throw new CliError(
      'NO_MANIFEST',
      `${dir} has no manifest.json, and no model folders with one`,
      `Write one with: airlock manifest ${dir} --id <org/name> --task <task> --license <spdx> --source <text>`,
      { dir },
    );
  return ids.map((id) => ({ dir: resolve(dir, id), id }));
}

function describe(r: VerifyReport): string[] {
  if (r.ok) return [`ok       ${r.id} (${r.files} files, revision ${r.revision.slice(0, 12)})`];
  return [
    `FAILED   ${r.id} (${r.dir})`,
    ...(r.error ? [`  refused    ${r.error.message}`] : []),
    ...r.mismatched.map(
      (m) =>
        `  mismatched ${m.path}: ${m.problem ?? `${m.actual.size} bytes, sha256 ${m.actual.sha256}; the manifest says ${m.expected.size} bytes, sha256 ${m.expected.sha256}`}`,
    ),
    ...r.missing.map((p) => `  missing    ${p}`),
    ...r.unlisted.map((p) => `  unlisted   ${p}`),
  ];
}

export async function run(p: Parsed, out: Output): Promise<unknown> {
  const reports: (VerifyReport & { cause?: CliError })[] = [];
  const add = (report: VerifyReport & { cause?: CliError }) => {
    reports.push(report);
    for (const line of describe(report)) out.say(line);
  };
  const keys = publicKeysOption(p.values['public-key']);
  for (const arg of p.positionals) {
    const dirs = await modelDirs(resolve(arg)).catch((e: unknown) => {
      if (isManifestError(e)) return e;
      throw e;
    });
    if (dirs instanceof CliError) {
      add(refusedReport(resolve(arg), arg, dirs));
      continue;
    }
    for (const m of dirs)
      add(
        await verifyDir(m.dir, m.id).then(
          (r) => withSignature(r, keys),
          (e: unknown) => {
            if (isManifestError(e)) return refusedReport(m.dir, m.id ?? basename(m.dir), e);
            throw e;
          },
        ),
      );
  }
  // one folder, and its manifest the problem: that error itself (NO_MANIFEST says how to write one)
  if (reports.length === 1 && reports[0]!.cause) throw reports[0]!.cause;
  for (const r of reports) delete r.cause;
  const failed = reports.filter((r) => !r.ok);
  if (failed.length > 0) {
    throw new CliError(
      'VERIFICATION_FAILED',
      `${failed.length} of ${reports.length} models failed verification (${failed.map((r) => r.id).join(', ')})`,
      'Pull them again, or restore their files, then run verify again',
      { models: reports },
    );
  }
  return { models: reports };
}
