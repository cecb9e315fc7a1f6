// examples/deploy/nginx.conf's /v1/logs: Debian's nginx with the conf as it is (ports, paths and
// logs moved into a temporary prefix) proxies a runtime's POST to an OTLP receiver on the
// upstream port, and refuses other methods.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { collectorHandler } from '../../src/node/serve/collector.js';
import { serve, type RunningServer } from '../../src/node/serve/server.js';
import { otlpRequest } from '../../src/worker/audit/collector-otlp.js';
import { LIBRARY } from '../../src/version.js';
import { freePort } from '../support/nginx.js';
import { MODELS_DIR, ROOT } from '../support/paths.js';

const hasNginx = spawnSync('nginx', ['-v']).status === 0;
let prefix: string;
let upstream: RunningServer;
let nginx: ChildProcess;
let origin: string;

beforeAll(async () => {
  if (!hasNginx) return;
  prefix = mkdtempSync(join(tmpdir(), 'airlock-nginx-collect-'));
  chmodSync(prefix, 0o755);
  for (const d of ['logs', 'tmp', 'www']) mkdirSync(join(prefix, d));
  upstream = await serve({ modelsDir: MODELS_DIR, collector: collectorHandler(join(prefix, 'audit.jsonl')) });
  const port = await freePort();
  const deploy = join(ROOT, 'examples/deploy');
  writeFileSync(join(prefix, 'airlock-model-headers.conf'), readFileSync(join(deploy, 'airlock-model-headers.conf')));
  const temp = ['client_body', 'proxy', 'fastcgi', 'uwsgi', 'scgi'].map((t) => `${t}_temp_path ${prefix}/tmp/${t};`);
  const conf = readFileSync(join(deploy, 'nginx.conf'), 'utf8')
    .replace('error_log /var/log/nginx/airlock-error.log', `error_log ${prefix}/logs/error.log`)
    .replace('access_log /var/log/nginx/airlock-access.log;', `access_log off;\n${temp.join('\n')}`)
    .replace('listen 8080;', `listen 127.0.0.1:${port};`)
    .replace('root /srv/airlock;', `root ${prefix}/www;`)
    .replace('proxy_pass http://127.0.0.1:4318;', `proxy_pass ${upstream.origin};`);
  expect(conf).toContain(`proxy_pass ${upstream.origin};`);
  writeFileSync(join(prefix, 'nginx.conf'), conf);
  const user = process.getuid?.() === 0 ? ' user root;' : '';
  const args = ['-p', prefix, '-c', join(prefix, 'nginx.conf'), '-g', `daemon off; pid ${prefix}/nginx.pid;${user}`];
  const check = spawnSync('nginx', [...args, '-t'], { encoding: 'utf8' });
  expect(check.status, check.stderr).toBe(0);
  nginx = spawn('nginx', args, { stdio: 'ignore' });
  origin = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 100; i++) {
    if (
      await fetch(`${origin}/v1/logs`).then(
        () => true,
        () => false,
      )
    )
      return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error('nginx did not start');
});

afterAll(async () => {
  if (!hasNginx) return;
  nginx?.kill('SIGQUIT');
  await new Promise((done) => (nginx.exitCode !== null ? done(undefined) : nginx.once('exit', done)));
  await upstream?.close();
  rmSync(prefix, { recursive: true, force: true });
});

describe.skipIf(!hasNginx)('nginx.conf: /v1/logs', () => {
  it('proxies a POST to the collector, which appends it; other methods are a plain 404', async () => {
    const body = otlpRequest(LIBRARY, [{ id: 'e1', event: { type: 'worker', at: 1000, state: 'started' } }], 2000);
    const res = await fetch(`${origin}/v1/logs`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify(body),
    });
    expect(res.status).toBe(200);
    expect(await res.text()).toBe('{"partialSuccess":{}}');
    expect(readFileSync(join(prefix, 'audit.jsonl'), 'utf8')).toBe(`${JSON.stringify(body)}\n`);
    const text = await fetch(`${origin}/v1/logs`, {
      method: 'POST',
      headers: { 'Content-Type': 'text/plain' },
      body: '{}',
    });
    expect(text.status).toBe(415);
    expect((await fetch(`${origin}/v1/logs`)).status).toBe(404);
  });
});
