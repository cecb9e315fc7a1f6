// airlock evidence: the evidence report for an audit (report.html, report.json, bom.cdx.json).
import { stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import { CliError } from '../../node/errors.js';
import { buildReport, DEFAULT_MAX_AGE_DAYS } from '../../node/evidence/build-report.js';
import { writeReport } from '../../node/evidence/write-report.js';
import { LIBRARY } from '../../version.js';
import { list, str, type CommandSpec, type Parsed } from '../args.js';
import type { Output } from '../output.js';

export const spec: CommandSpec = {
  name: 'evidence',
  short: 'write the evidence report and CycloneDX BOM for an audit',
  args: '--models <dir> --out <dir>',
  summary: [
    "Reads the models tree, runtimes' audit exports or collector logs, the origin's access logs",
    'and the hosting policy, and writes into --out: report.html (for a person), report.json (the',
    'same data) and bom.cdx.json (a CycloneDX 1.6 BOM). Exit status 1 when a check fails.',
  ].join('\n'),
  positionals: [0, 0],
  options: {
    models: { type: 'string', value: '<dir>', help: 'the models tree (required)' },
    audit: { type: 'string', value: '<file>', multiple: true, help: 'an audit export or a collector log (repeatable)' },
    'access-log': {
      type: 'string',
      value: '<file>',
      multiple: true,
      help: "an access log: airlock serve's or nginx's combined (repeatable)",
    },
    policy: { type: 'string', value: '<file>', help: 'the hosting policy (policy.json)' },
    app: { type: 'string', value: '<dir>', help: 'the built app: its node_modules versions and runtime files' },
    runtime: { type: 'string', value: '<dir>', help: "a folder with onnxruntime-web's runtime files, to hash" },
    releases: { type: 'string', value: '<file>', help: 'release dates: { "name@version": "date" }' },
    advisories: { type: 'string', value: '<file>', help: 'advisories: [{ package, versions, id, summary }]' },
    'max-age-days': {
      type: 'string',
      value: '<n>',
      help: 'flag runtime versions older than this',
      default: String(DEFAULT_MAX_AGE_DAYS),
    },
    out: { type: 'string', value: '<dir>', help: 'where the report goes (required)' },
  },
};

function required(p: Parsed, key: string): string {
  const v = str(p, key);
  if (!v)
    throw new CliError('BAD_USAGE', `evidence needs --${key}`, 'See airlock evidence --help', { option: `--${key}` });
  return v;
}

function maxAge(p: Parsed): number {
  const v = str(p, 'max-age-days') ?? String(DEFAULT_MAX_AGE_DAYS);
  const n = Number(v);
  if (!/^\d+$/.test(v) || !Number.isSafeInteger(n))
    throw new CliError(
      'BAD_USAGE',
      `--max-age-days must be a whole number of days, got "${v}"`,
      'See airlock evidence --help',
      {
        option: '--max-age-days',
      },
    );
  return n;
}

async function modelsDir(p: Parsed): Promise<string> {
  const dir = required(p, 'models');
  const isDir = await stat(dir)
    .then((s) => s.isDirectory())
    .catch(() => false);
  if (!isDir)
    throw new CliError('BAD_USAGE', `--models ${dir} is not a folder`, 'Name the models tree', { option: '--models' });
  return dir;
}

const optional = (p: Parsed, key: string) => {
  const v = str(p, key);
  return v === undefined ? {} : { [key]: v };
};

export async function run(p: Parsed, out: Output): Promise<unknown> {
  const dest = resolve(required(p, 'out'));
  const report = await buildReport({
    tool: LIBRARY,
    models: await modelsDir(p),
    audit: list(p, 'audit'),
    accessLogs: list(p, 'access-log'),
    maxAgeDays: maxAge(p),
    ...optional(p, 'policy'),
    ...optional(p, 'app'),
    ...optional(p, 'runtime'),
    ...optional(p, 'releases'),
    ...optional(p, 'advisories'),
  });
  const files = await writeReport(dest, report);
  for (const line of report.summary) out.say(`${line.status.toUpperCase().padEnd(5)} ${line.text}`);
  for (const f of files) out.say(`-> ${f}`);
  const failed = report.summary.filter((l) => l.status === 'fail');
  if (failed.length > 0)
    throw new CliError(
      'VERIFICATION_FAILED',
      `${failed.length} check(s) failed (${failed.map((l) => l.id).join(', ')})`,
      `Read ${files[0]}`,
      {
        files,
        summary: report.summary,
      },
    );
  return { files, summary: report.summary };
}
