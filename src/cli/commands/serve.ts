// airlock serve <dir>: the model origin for small setups, with an optional access log.
import { resolve } from 'node:path';
import { openAccessLog } from '../../node/access-log.js';
import { CliError, ioError } from '../../node/errors.js';
import { WORKER_RUNTIME_FILES } from '../ort-files.js';
import { serve } from '../serve/server.js';
import { list, str, type CommandSpec, type Parsed } from '../args.js';
import type { Output } from '../output.js';

export const spec: CommandSpec = {
  name: 'serve',
  short: 'serve a model tree (and the runtime files) on this machine',
  args: '<dir>',
  summary: [
    'Serves a model tree at /models/ and the worker\'s runtime files at /airlock/ort/: content types,',
    'Range, ETag, CORS for the allowed origins, CORP, no listings, a plain 404. Runs until stopped.',
  ].join('\n'),
  positionals: [1, 1],
  options: {
    port: { type: 'string', value: '<n>', help: 'port', default: '8080' },
    host: { type: 'string', value: '<addr>', help: 'address to listen on', default: '127.0.0.1' },
    'allow-origin': { type: 'string', value: '<origin>', multiple: true, help: 'a page origin that may load models from here (CORS); repeat or comma-separate' },
    app: { type: 'string', value: '<dir>', help: 'a built app to serve at /' },
    'access-log': { type: 'string', value: '<file>', help: 'append one JSON line per request to <file>' },
  },
};

export async function run(p: Parsed, out: Output): Promise<unknown> {
  const port = Number(str(p, 'port') ?? '8080');
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new CliError('BAD_USAGE', `--port ${str(p, 'port')} is not a port number`, 'Pass --port 0-65535');
  const origins = list(p, 'allow-origin');
  for (const o of origins) if (!/^https?:\/\/[^/]+$/.test(o)) throw new CliError('BAD_USAGE', `--allow-origin ${o} is not an origin`, 'Pass scheme://host[:port], with no path');
  const app = str(p, 'app');
  const logFile = str(p, 'access-log');
  const log = logFile ? await openAccessLog(resolve(logFile), (e) => process.stderr.write(`airlock: ${ioError(`write the access log ${resolve(logFile)}`, e, '--access-log').line()}; serving goes on without it\n`)) : undefined;
  const running = await serve({ modelsDir: resolve(p.positionals[0]!), runtimeFiles: WORKER_RUNTIME_FILES, host: str(p, 'host') ?? '127.0.0.1', port, corsOrigins: origins, ...(app && { appDir: resolve(app) }) }).catch((e: NodeJS.ErrnoException) => {
    throw new CliError('LOCAL_IO', `could not listen on port ${port}: ${e.code ?? e.message}`, 'Pick another --port');
  });
  log?.attach(running.server);
  const closeLog = async () => log?.close();
  out.say(`serving ${resolve(p.positionals[0]!)} at ${running.origin}/models/ (runtime at ${running.origin}/airlock/ort/)`);
  if (out.json) process.stdout.write(`${JSON.stringify({ ok: true, origin: running.origin })}\n`);
  await new Promise<void>((done) => {
    const stop = () => void running.close().then(closeLog).then(done);
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
  return undefined;
}
