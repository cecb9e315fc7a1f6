// Debian's nginx with examples/deploy/nginx.conf, in a temporary prefix on a 127.0.0.1 port: the
// conf is copied as it is, with its root, port, log paths, CORS origins and CSP model origins
// templated; `extra` adds directives to the /models/ location (a throttle, for cut downloads).
import { spawn, type ChildProcess } from 'node:child_process';
import {
  chmodSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runtimeFilePaths } from '../../src/node/ort-files.js';
import { APP_BUILD, MODELS_DIR, ROOT } from './paths.js';

export interface AccessLine {
  method: string;
  uri: string;
  status: number;
  bytes: number;
  range: string;
  origin: string;
}

export interface RunningNginx {
  origin: string;
  prefix: string;
  accessLog(): AccessLine[];
  stop(): Promise<void>;
}

export function freePort(): Promise<number> {
  return new Promise((done) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => done(port));
    });
  });
}

/** the served tree: the built app, with models/ and airlock/ort/ inside it, as symlinks */
function wwwRoot(prefix: string): string {
  const www = join(prefix, 'www');
  mkdirSync(join(www, 'airlock/ort'), { recursive: true });
  for (const name of readdirSync(APP_BUILD)) symlinkSync(join(APP_BUILD, name), join(www, name));
  symlinkSync(MODELS_DIR, join(www, 'models'));
  for (const [name, path] of runtimeFilePaths()) symlinkSync(path, join(www, 'airlock/ort', name));
  return www;
}

function template(
  conf: string,
  o: { prefix: string; www: string; port: number; corsOrigins: string[]; connectSrc: string[]; extra: string },
): string {
  const logs = join(o.prefix, 'logs');
  const temp = ['client_body', 'proxy', 'fastcgi', 'uwsgi', 'scgi']
    .map((t) => `    ${t}_temp_path ${join(o.prefix, 'tmp', t)};`)
    .join('\n');
  const out = conf
    .replace('error_log /var/log/nginx/airlock-error.log', `error_log ${join(logs, 'error.log')}`)
    .replace(
      'access_log /var/log/nginx/airlock-access.log;',
      `log_format airlock '$request_method $uri $status $body_bytes_sent "$http_range" "$http_origin"';\n    access_log ${join(logs, 'access.log')} airlock;\n${temp}`,
    )
    .replace('listen 8080;', `listen 127.0.0.1:${o.port};`)
    .replace('root /srv/airlock;', `root ${o.www};`)
    .replace(
      '"http://portal.internal.example" $http_origin;',
      o.corsOrigins.map((c) => `"${c}" $http_origin;`).join('\n        ') || '',
    )
    .replace("connect-src 'self'\"", `connect-src 'self'${o.connectSrc.map((c) => ` ${c}`).join('')}"`)
    .replace('location /models/ {\n', `location /models/ {\n            ${o.extra}\n`);
  if (out === conf) throw new Error('nginx.conf changed shape: the template no longer applies');
  return out;
}

/**
 * In the foreground, with its pid file in the prefix. Started as root, nginx's workers run as
 * nobody, who cannot read a checkout under a private folder (a CI clone in a mktemp directory):
 * the test's own nginx keeps root's reach.
 */
function nginxArgs(prefix: string): string[] {
  const user = process.getuid?.() === 0 ? ' user root;' : '';
  return ['-p', prefix, '-c', join(prefix, 'nginx.conf'), '-g', `daemon off; pid ${join(prefix, 'nginx.pid')};${user}`];
}

export async function startNginx(
  o: { port?: number; corsOrigins?: string[]; connectSrc?: string[]; extra?: string } = {},
): Promise<RunningNginx> {
  const prefix = mkdtempSync(join(tmpdir(), 'airlock-nginx-'));
  chmodSync(prefix, 0o755); // nginx's workers run as nobody when it starts as root
  for (const d of ['logs', 'tmp']) mkdirSync(join(prefix, d));
  const port = o.port ?? (await freePort());
  const deploy = join(ROOT, 'examples/deploy');
  writeFileSync(join(prefix, 'airlock-model-headers.conf'), readFileSync(join(deploy, 'airlock-model-headers.conf')));
  const conf = template(readFileSync(join(deploy, 'nginx.conf'), 'utf8'), {
    prefix,
    www: wwwRoot(prefix),
    port,
    corsOrigins: o.corsOrigins ?? [],
    connectSrc: o.connectSrc ?? [],
    extra: o.extra ?? '',
  });
  writeFileSync(join(prefix, 'nginx.conf'), conf);
  const child: ChildProcess = spawn('nginx', nginxArgs(prefix), { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr!.on('data', (b: Buffer) => (stderr += b.toString()));
  const origin = `http://127.0.0.1:${port}`;
  for (let i = 0; ; i++) {
    if (child.exitCode !== null) throw new Error(`nginx exited: ${stderr}`);
    if (
      await fetch(`${origin}/models/tiny-lm/manifest.json`).then(
        (r) => r.ok,
        () => false,
      )
    )
      break;
    if (i > 100) {
      child.kill('SIGQUIT'); // not left running after a failed start
      throw new Error(`nginx did not serve models/tiny-lm/manifest.json: ${stderr}`);
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  return {
    origin,
    prefix,
    accessLog: () =>
      readFileSync(join(prefix, 'logs/access.log'), 'utf8')
        .trim()
        .split('\n')
        .filter(Boolean)
        .map((line) => {
          const m = /^(\S+) (\S+) (\d+) (\d+) "([^"]*)" "([^"]*)"$/.exec(line)!;
          return { method: m[1]!, uri: m[2]!, status: Number(m[3]), bytes: Number(m[4]), range: m[5]!, origin: m[6]! };
        }),
    stop: async () => {
      child.kill('SIGQUIT');
      await new Promise((done) => (child.exitCode !== null ? done(undefined) : child.once('exit', done)));
      rmSync(prefix, { recursive: true, force: true });
    },
  };
}
