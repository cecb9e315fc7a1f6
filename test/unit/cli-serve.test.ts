// `airlock serve` when things go wrong: a log it cannot write, a folder that is not there, an
// address it cannot listen on, and a client that leaves in the middle of a file.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { get as httpGet } from 'node:http';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { AccessLogLine } from '../../src/node/access-log.js';
import { runtimeFilePaths, WORKER_RUNTIME_FILES } from '../../src/node/ort-files.js';
import { MODELS_DIR } from '../support/paths.js';
import { CLI, runCli } from '../support/run-cli.js';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'airlock-serve-cli-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

/** `airlock serve … --json` in the background; resolves once it listens */
function startServe(args: string[]) {
  const child = spawn(process.execPath, [...CLI, 'serve', ...args, '--port', '0', '--json'], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (b: Buffer) => (stderr += b.toString()));
  const origin = new Promise<string>((done, fail) => {
    child.stdout.on('data', (b: Buffer) => {
      const m = /"origin":"([^"]+)"/.exec(b.toString());
      if (m) done(m[1]!);
    });
    child.on('exit', () => fail(new Error(`serve exited: ${stderr}`)));
  });
  const stop = async () => {
    child.kill('SIGTERM');
    await new Promise((done) => child.on('exit', done));
  };
  return { origin, stop, stderr: () => stderr };
}

/** reads the first chunk of `url`, then leaves */
function readSomeAndLeave(url: string): Promise<number> {
  return new Promise((done, fail) => {
    const req = httpGet(url, (res) => {
      res.once('data', (chunk: Buffer) => {
        res.pause();
        setTimeout(() => {
          req.destroy();
          done(chunk.length);
        }, 300);
      });
    });
    req.on('error', (e) => (req.destroyed ? undefined : fail(e)));
  });
}

describe('airlock serve', () => {
  it('stops with exit 4 before listening when the access log cannot be opened', async () => {
    const log = join(dir, 'nodir/log.txt');
    const r = await runCli(['serve', MODELS_DIR, '--port', '0', '--access-log', log, '--json']);
    expect([r.code, r.json?.error?.code], r.stderr).toEqual([4, 'LOCAL_IO']);
    expect(r.stderr).toContain(log);
    expect(r.stderr).toMatch(/--access-log/);
    expect(r.stdout).not.toMatch(/serving|"origin"/);
  });

  it('logs a transfer the client left as incomplete, with its address and the bytes sent so far', async () => {
    const log = join(dir, 'access.log');
    const serve = startServe([MODELS_DIR, '--access-log', log]);
    const origin = await serve.origin;
    const name = WORKER_RUNTIME_FILES[1];
    const size = statSync(runtimeFilePaths().get(name)!).size;
    const got = await readSomeAndLeave(`${origin}/airlock/ort/${name}`);
    await fetch(`${origin}/models/tiny-lm/config.json`).then((r) => r.arrayBuffer());
    await serve.stop();
    const lines = readFileSync(log, 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as AccessLogLine);
    expect(lines.map((l) => [l.path, l.status, l.complete, l.client])).toEqual([
      [`/airlock/ort/${name}`, 200, false, '127.0.0.1'],
      ['/models/tiny-lm/config.json', 200, true, '127.0.0.1'],
    ]);
    expect(lines[0]!.bytes).toBeGreaterThanOrEqual(got);
    expect(lines[0]!.bytes).toBeLessThan(size);
    expect(lines[1]!.bytes).toBe(statSync(join(MODELS_DIR, 'tiny-lm/config.json')).size);
  });

  it('refuses a folder that does not exist, and warns about one that holds no model', async () => {
    const missing = join(dir, 'nonexistent');
    const r = await runCli(['serve', missing, '--port', '0', '--json']);
    expect([r.code, r.json?.error?.code], r.stderr).toEqual([2, 'BAD_USAGE']);
    expect(r.stderr).toContain(missing);
    const empty = startServe([dir]);
    await empty.origin;
    await empty.stop();
    expect(empty.stderr()).toMatch(new RegExp(`${dir}.*holds no model`));
  });

  it('blames --host for an address it cannot listen on, and --port for a port in use', async () => {
    const host = await runCli(['serve', MODELS_DIR, '--host', '999.1.1.1', '--port', '0', '--json']);
    expect([host.code, host.json?.error?.code], host.stderr).toEqual([2, 'BAD_USAGE']);
    expect(host.stderr).toContain('999.1.1.1');
    expect(host.stderr).toMatch(/--host/);
    expect(host.stderr).not.toMatch(/--port/);
    const busy = createServer();
    await new Promise<void>((done) => busy.listen(0, '127.0.0.1', done));
    const port = (busy.address() as AddressInfo).port;
    const inUse = await runCli(['serve', MODELS_DIR, '--port', String(port), '--json']);
    busy.close();
    expect([inUse.code, inUse.json?.error?.code], inUse.stderr).toEqual([4, 'LOCAL_IO']);
    expect(inUse.stderr).toMatch(new RegExp(`port ${port} is in use.*--port`));
  });
});
