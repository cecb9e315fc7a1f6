// airlock pull <org/name>: mirror a model from a Hugging Face-compatible hub.
import { resolve } from 'node:path';
import { CliError } from '../../node/errors.js';
import { pull } from '../../node/pull.js';
import { list, str, type CommandSpec, type Parsed } from '../args.js';
import { formatBytes, type Output } from '../output.js';
import { progressBar } from '../progress.js';

export const DEFAULT_HUB = 'https://huggingface.co';

export const spec: CommandSpec = {
  name: 'pull',
  short: 'mirror a model from a Hugging Face-compatible hub',
  args: '<org/name>',
  summary: [
    'Mirrors a model from a Hugging Face-compatible hub into <out>/<org>/<name>/ with its manifest:',
    'the configs, tokenizer and preprocessor files, and the ONNX files transformers.js loads for each',
    "dtype. Each file is checked against the hub's size and SHA-256; the folder is replaced only when",
    'all are in. A re-run downloads only what changed. HF_TOKEN, if set, is sent to the hub only.',
  ].join('\n'),
  positionals: [1, 1],
  options: {
    revision: { type: 'string', value: '<rev>', help: 'branch, tag or commit', default: 'main' },
    dtype: {
      type: 'string',
      value: '<list>',
      multiple: true,
      help: "dtypes to take, e.g. q8,fp16 (default: config.json's, else q8 and fp32)",
    },
    task: { type: 'string', value: '<task>', help: "the transformers.js task (default: the hub's pipeline_tag)" },
    hub: { type: 'string', value: '<url>', help: 'the hub', default: `$HF_ENDPOINT or ${DEFAULT_HUB}` },
    out: { type: 'string', value: '<dir>', help: 'the model tree', default: 'models' },
    all: { type: 'boolean', help: 'take every file of the repo (but dotfiles and its own manifest.json)' },
    timeout: {
      type: 'string',
      value: '<s>',
      help: 'seconds the hub may leave a request unanswered, or a transfer idle',
      default: '60',
    },
    'allow-http-token': {
      type: 'boolean',
      help: 'send HF_TOKEN to an http:// hub too (refused otherwise: anyone on the path could read it)',
    },
  },
  env: {
    HF_TOKEN:
      'an access token, sent as Authorization: Bearer to the hub only (never to the storage host it redirects to)',
    HF_ENDPOINT: 'the hub, when --hub is not given',
  },
};

function timeoutMs(p: Parsed): number {
  const s = Number(str(p, 'timeout') ?? '60');
  if (!Number.isFinite(s) || s <= 0)
    throw new CliError(
      'BAD_USAGE',
      `--timeout ${str(p, 'timeout')} is not a number of seconds`,
      'Pass --timeout 60, for example',
    );
  return s * 1000;
}

export async function run(p: Parsed, out: Output): Promise<unknown> {
  const bar = progressBar(out);
  const repo = p.positionals[0]!;
  const result = await pull({
    repo,
    revision: str(p, 'revision') ?? 'main',
    hub: str(p, 'hub') ?? process.env.HF_ENDPOINT ?? DEFAULT_HUB,
    out: resolve(str(p, 'out') ?? 'models'),
    token: process.env.HF_TOKEN || undefined,
    dtypes: list(p, 'dtype').length ? list(p, 'dtype') : undefined,
    task: str(p, 'task'),
    all: p.values.all === true,
    allowHttpToken: p.values['allow-http-token'] === true,
    timeoutMs: timeoutMs(p),
    onEvent: (e) => {
      if (e.type === 'removed')
        return out.note(
          `removed ${e.paths.join(', ')}: not in this pull${e.dtypes.length ? ` (pass --dtype ${e.dtypes.join(',')} to keep them)` : ''}`,
        );
      if (e.type === 'moved')
        return out.note(
          `${repo} has moved to ${e.to} on the hub: pulling it as ${repo} (pull ${e.to} to use the new id)`,
        );
      if (e.type === 'plan') bar.start(e.totalBytes, e.files);
      else if (e.type === 'bytes') bar.bytes(e.n);
      else if (e.type === 'skip') out.note(`skipped ${e.path}: ${e.why}`);
      else bar.file(e.path, e.size, e.from, e.resumed, e.reused);
    },
  });
  bar.end();
  out.say(
    result.unchanged
      ? `${result.id} is up to date at ${result.commit.slice(0, 12)} (${result.files.length} files, nothing downloaded)`
      : `${result.id} at ${result.commit.slice(0, 12)}: ${result.files.length} files, ${formatBytes(result.downloadedBytes)} downloaded, dtypes ${result.dtypes.join(', ') || 'none'} -> ${result.dir}`,
  );
  return result;
}
