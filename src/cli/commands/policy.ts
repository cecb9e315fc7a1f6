// airlock policy init <models/> | check <models/>: write a hosting policy from a models tree, or
// check a tree (and a built app) against one.
import { readFile, rename, writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { AirlockError } from '../../errors.js';
import { CliError, ioError } from '../../node/errors.js';
import { checkApp, checkTree, type Outside } from '../../node/policy/check.js';
import { initPolicy } from '../../node/policy/init.js';
import { httpOrigin } from '../../shared/origins.js';
import { parsePolicyText, type Policy } from '../../shared/trust/policy.js';
import { str, type CommandSpec, type Parsed } from '../args.js';
import { formatBytes, type Output } from '../output.js';

export const spec: CommandSpec = {
  name: 'policy',
  short: 'write a hosting policy from a models tree, or check a tree and an app against one',
  args: '<init|check> <models/>',
  summary: [
    'init: writes policy.json: every model pinned at its current revision, backends wasm and webgpu,',
    'maxModelBytes the largest model rounded up to a MiB, evidence kept 90 days. Sign it before serving it.',
    'check: lists the models, revisions and sizes of <models/> outside --policy, and with --app the',
    "origins named in the built app's scripts that the policy does not allow; exit status 1 if any.",
  ].join('\n'),
  positionals: [2, 2],
  options: {
    out: { type: 'string', value: '<file>', help: 'init: where to write the policy', default: 'policy.json' },
    origin: {
      type: 'string',
      value: '<url>',
      help: 'init: the internal origin the policy allows',
      default: 'http://127.0.0.1:8080',
    },
    policy: { type: 'string', value: '<file>', help: 'check: the policy to check against' },
    app: { type: 'string', value: '<dir>', help: "check: a built app whose scripts' origins are checked" },
  },
};

async function init(root: string, p: Parsed, out: Output): Promise<unknown> {
  const given = str(p, 'origin') ?? 'http://127.0.0.1:8080';
  const origin = httpOrigin(given);
  if (!origin || origin !== given.replace(/\/$/, ''))
    throw new CliError('BAD_USAGE', `--origin ${given} is not an http(s) origin`, 'Pass e.g. https://models.intranet');
  const policy = await initPolicy(root, origin);
  const path = resolve(str(p, 'out') ?? 'policy.json');
  try {
    await writeFile(`${path}.tmp`, `${JSON.stringify(policy, null, 2)}\n`);
    await rename(`${path}.tmp`, path);
  } catch (e) {
    throw ioError(`write ${path}`, e);
  }
  const models = policy.models === 'any-signed' ? [] : policy.models;
  for (const m of models) out.say(`${m.id.padEnd(40)} ${m.revisions?.[0]?.slice(0, 12) ?? 'any'}`);
  out.say(`${models.length} models, maxModelBytes ${formatBytes(policy.maxModelBytes)} -> ${path}`);
  return { path, policy };
}

async function readPolicy(file: string | undefined): Promise<Policy> {
  if (!file) throw new CliError('BAD_USAGE', 'policy check needs --policy <file>', 'See airlock policy --help');
  const text = await readFile(resolve(file), 'utf8').catch((e: unknown) => {
    throw ioError(`read ${file}`, e);
  });
  try {
    return parsePolicyText(text);
  } catch (e) {
    if (e instanceof AirlockError)
      throw new CliError('BAD_USAGE', `${file}: ${e.message}`, 'Fix the policy', e.details);
    throw e;
  }
}

const line = (o: Outside) =>
  o.rule === 'allowedOrigins'
    ? `origin ${o.subject} is not allowed (named in ${(o.value as string[]).join(', ')})`
    : o.rule === 'maxModelBytes'
      ? `model ${o.subject} is ${String(o.value)} bytes, over maxModelBytes`
      : o.rule === 'models'
        ? `model ${o.subject} is not in the policy`
        : `model ${o.subject} is at revision ${String(o.value)}, which the policy does not pin`;

async function check(root: string, p: Parsed, out: Output): Promise<unknown> {
  const policy = await readPolicy(str(p, 'policy'));
  const app = str(p, 'app');
  const outside = [...(await checkTree(root, policy)), ...(app ? await checkApp(resolve(app), policy) : [])];
  for (const o of outside) out.say(`outside: ${line(o)}`);
  if (outside.length > 0) {
    throw new CliError(
      'VERIFICATION_FAILED',
      `${outside.length} thing(s) lie outside the policy`,
      'Add them to the policy (and sign it again), or remove them',
      { outside },
    );
  }
  out.say('everything is inside the policy');
  return { outside };
}

export async function run(p: Parsed, out: Output): Promise<unknown> {
  const [action, dir] = p.positionals as [string, string];
  const root = resolve(dir);
  if (action === 'init') return init(root, p, out);
  if (action === 'check') return check(root, p, out);
  throw new CliError('BAD_USAGE', `policy takes init or check, got "${action}"`, 'See airlock policy --help');
}
