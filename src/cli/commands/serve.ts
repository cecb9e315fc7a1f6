// airlock serve <dir>: the model origin for small setups, with an optional access log.
import { appendFile, stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import { findModels } from '../../node/model-dirs.js';
import { openAccessLog } from '../../node/access-log.js';
import { CliError, ioError } from '../../node/errors.js';
import { WORKER_RUNTIME_FILES } from '../../node/ort-files.js';
import { serve } from '../../node/serve/server.js';
import { collectorHandler } from '../../node/serve/collector.js';
import { list, str, type CommandSpec, type Parsed } from '../args.js';
import type { Output } from '../output.js';

export const spec: CommandSpec = {
  name: 'serve',
  short: 'serve a model tree (and the runtime files) on this machine',
  args: '<dir>',
  summary: [
    "Serves a model tree at /models/ and the worker's runtime files at /airlock/ort/: content types,",
    'Range, ETag, CORS for the allowed origins, CORP, no listings, a plain 404. Runs until stopped.',
  ].join('\n'),
  positionals: [1, 1],
  options: {
    port: { type: 'string', value: '<n>', help: 'port', default: '8080' },
    host: { type: 'string', value: '<addr>', help: 'address to listen on', default: '127.0.0.1' },
    'allow-origin': {
      type: 'string',
      value: '<origin>',
      multiple: true,
      help: 'a page origin that may load models from here (CORS); repeat or comma-separate',
    },
    app: { type: 'string', value: '<dir>', help: 'a built app to serve at /' },
    'access-log': { type: 'string', value: '<file>', help: 'append one JSON line per request to <file>' },
    collect: {
      type: 'string',
      value: '<file>',
      help: 'take audit events at POST /v1/logs (OTLP JSON), one line each in <file>',
    },
  },
};

/** Why the server could not listen, blaming the option that can fix it. */
function listenError(e: NodeJS.ErrnoException, host: string, port: number): CliError {
  const code = e.code ?? e.message;
  if (code === 'EADDRINUSE')
    return new CliError(
      'LOCAL_IO',
      `could not listen on ${host}:${port}: port ${port} is in use`,
      'Pick another --port, or stop what uses it',
    );
  if (code === 'EACCES')
    return new CliError(
      'LOCAL_IO',
      `could not listen on ${host}:${port}: port ${port} needs privileges`,
      'Pick a --port above 1023',
    );
  if (['ENOTFOUND', 'EADDRNOTAVAIL', 'EAI_AGAIN', 'EINVAL'].includes(code)) {
    return new CliError(
      'BAD_USAGE',
      `could not listen on --host ${host}: it is not an address of this machine (${code})`,
      "Pass --host 127.0.0.1, 0.0.0.0 (every address) or one of this machine's addresses",
    );
  }
  return new CliError(
    'LOCAL_IO',
    `could not listen on ${host}:${port}: ${code}`,
    'Check --host and --port, then run again',
  );
}

/** The tree must be a folder; one with no model in it is served, with a warning (models may come later). */
async function checkTree(dir: string): Promise<void> {
  const found = await stat(dir).catch(() => undefined);
  if (!found)
    throw new CliError(
      'BAD_USAGE',
      `serve: ${dir} does not exist`,
      'Pass the model tree (the folder airlock pull --out writes)',
    );
  if (!found.isDirectory())
    throw new CliError(
      'BAD_USAGE',
      `serve: ${dir} is not a folder`,
      'Pass the model tree (the folder airlock pull --out writes)',
    );
  if ((await findModels(dir)).length === 0)
    process.stderr.write(
      `airlock: warning: ${dir} holds no model (no <id>/manifest.json or <org>/<name>/manifest.json): every model answers 404 until one is added\n`,
    );
}

export async function run(p: Parsed, out: Output): Promise<unknown> {
  const port = Number(str(p, 'port') ?? '8080');
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw new CliError('BAD_USAGE', `--port ${str(p, 'port')} is not a port number`, 'Pass --port 0-65535');
  const origins = list(p, 'allow-origin');
  for (const o of origins)
    if (!/^https?:\/\/[^/]+$/.test(o))
      throw new CliError(
        'BAD_USAGE',
        `--allow-origin ${o} is not an origin`,
        'Pass scheme://host[:port], with no path',
      );
  const app = str(p, 'app');
  const tree = resolve(p.positionals[0]!);
  await checkTree(tree);
  const host = str(p, 'host') ?? '127.0.0.1';
  const logFile = str(p, 'access-log');
  const log = logFile
    ? await openAccessLog(resolve(logFile), (e) =>
        process.stderr.write(
          `airlock: ${ioError(`write the access log ${resolve(logFile)}`, e, '--access-log').line()}; serving goes on without it\n`,
        ),
      )
    : undefined;
  const collect = str(p, 'collect') && resolve(str(p, 'collect')!);
  if (collect) await appendFile(collect, '').catch((e) => Promise.reject(ioError(`open ${collect}`, e, '--collect')));
  const running = await serve({
    modelsDir: tree,
    runtimeFiles: WORKER_RUNTIME_FILES,
    host,
    port,
    corsOrigins: origins,
    ...(app && { appDir: resolve(app) }),
    ...(collect && { collector: collectorHandler(collect) }),
  }).catch((e: NodeJS.ErrnoException) => {
    throw listenError(e, host, port);
  });
  log?.attach(running.server);
  const closeLog = () => log?.close() ?? Promise.resolve();
  out.say(`serving ${tree} at ${running.origin}/models/ (runtime at ${running.origin}/airlock/ort/)`);
  if (collect) out.say(`collecting audit events at ${running.origin}/v1/logs into ${collect}`);
  if (out.json) process.stdout.write(`${JSON.stringify({ ok: true, origin: running.origin })}\n`);
  await new Promise<void>((done) => {
    const stop = () => void running.close().then(closeLog).then(done);
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
  return undefined;
}
