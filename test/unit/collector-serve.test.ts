// The OTLP logs receiver of `airlock serve --collect`: what it appends, what it refuses, and its
// headers, against the server in this process and the real command.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { collectorHandler } from '../../src/node/serve/collector.js';
import { serve, type RunningServer } from '../../src/node/serve/server.js';
import { otlpRequest } from '../../src/worker/audit/collector-otlp.js';
import { LIBRARY } from '../../src/version.js';
import { MODELS_DIR } from '../support/paths.js';
import { CLI, runCli } from '../support/run-cli.js';

let dir: string;
let file: string;
let server: RunningServer;
const PAGE = 'http://127.0.0.1:5173';

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'airlock-collect-'));
  file = join(dir, 'audit.jsonl');
  server = await serve({ modelsDir: MODELS_DIR, collector: collectorHandler(file, 10_000), corsOrigins: [PAGE] });
});
afterEach(async () => {
  await server.close();
  rmSync(dir, { recursive: true, force: true });
});

const body = (n: number) =>
  otlpRequest(LIBRARY, [{ id: `e${n}`, event: { type: 'worker', at: 1000 + n, state: 'started' } }], 2000);
const post = (payload: string, type = 'application/json', headers: Record<string, string> = {}) =>
  fetch(`${server.origin}/v1/logs`, { method: 'POST', headers: { 'Content-Type': type, ...headers }, body: payload });
const lines = () =>
  readFileSync(file, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as unknown);

describe('airlock serve --collect', () => {
  it('appends each request as one line, in order, and answers as an OTLP receiver', async () => {
    // a pretty-printed body still becomes one line
    const first = await post(JSON.stringify(body(1), null, 2));
    expect(first.status).toBe(200);
    expect(first.headers.get('content-type')).toBe('application/json');
    expect(await first.text()).toBe('{"partialSuccess":{}}');
    expect(first.headers.get('cross-origin-resource-policy')).toBe('same-origin');
    const second = await post(JSON.stringify(body(2)), 'application/json; charset=utf-8');
    expect(second.status).toBe(200);
    expect(lines()).toEqual([body(1), body(2)]);
  });

  it('refuses another content type (415), a body over the limit (413) and bad JSON (400), appending nothing', async () => {
    expect((await post(JSON.stringify(body(1)), 'text/plain')).status).toBe(415);
    expect((await post(JSON.stringify(body(1)), 'application/x-protobuf')).status).toBe(415);
    expect((await post('x'.repeat(10_001))).status).toBe(413);
    expect((await post('{"resourceLogs": [')).status).toBe(400);
    expect((await post('[1,2]')).status).toBe(400);
    const get = await fetch(`${server.origin}/v1/logs`);
    expect([get.status, get.headers.get('allow')]).toEqual([405, 'POST']);
    expect(existsSync(file)).toBe(false);
  });

  it('answers a preflight from an allowed page with POST and Content-Type, and serves the models as before', async () => {
    const pre = await fetch(`${server.origin}/v1/logs`, {
      method: 'OPTIONS',
      headers: { Origin: PAGE, 'Access-Control-Request-Method': 'POST' },
    });
    expect(pre.status).toBe(204);
    expect(pre.headers.get('access-control-allow-origin')).toBe(PAGE);
    expect(pre.headers.get('access-control-allow-methods')).toBe('POST');
    expect(pre.headers.get('access-control-allow-headers')).toBe('Content-Type');
    const posted = await post(JSON.stringify(body(3)), 'application/json', { Origin: PAGE });
    expect(posted.headers.get('access-control-allow-origin')).toBe(PAGE);
    const manifest = await fetch(`${server.origin}/models/tiny-lm/manifest.json`);
    expect(manifest.status).toBe(200);
    const elsewhere = await fetch(`${server.origin}/models/tiny-lm/manifest.json`, { method: 'POST' });
    expect(elsewhere.status).toBe(405);
  });

  it('runs from the command: --collect <file> takes the posts; an unwritable file stops it with exit 4', async () => {
    const log = join(dir, 'cli.jsonl');
    const child = spawn(process.execPath, [...CLI, 'serve', MODELS_DIR, '--collect', log, '--port', '0', '--json'], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const origin = await new Promise<string>((done, fail) => {
      child.stdout.on('data', (b: Buffer) => {
        const m = /"origin":"([^"]+)"/.exec(b.toString());
        if (m) done(m[1]!);
      });
      child.on('exit', () => fail(new Error('serve exited')));
    });
    const res = await fetch(`${origin}/v1/logs`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify(body(4)),
    });
    expect(res.status).toBe(200);
    child.kill('SIGTERM');
    await new Promise((done) => child.on('exit', done));
    expect(readFileSync(log, 'utf8')).toBe(`${JSON.stringify(body(4))}\n`);
    const bad = await runCli([
      'serve',
      MODELS_DIR,
      '--collect',
      join(dir, 'no/such/dir/x.jsonl'),
      '--port',
      '0',
      '--json',
    ]);
    expect(bad.code).toBe(4);
    expect(bad.json?.error?.code).toBe('LOCAL_IO');
  });
});
