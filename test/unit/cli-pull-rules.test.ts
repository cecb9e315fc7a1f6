// `airlock pull` on awkward repos and awkward trees: names the runtime refuses, the hub's own
// manifest.json, leftovers of a crash, a pull already running, a hub that never answers or has
// moved a repo, a token over plain http, and what the progress lines say.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { createServer, type AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Manifest } from '../../src/manifest/types.js';
import { FakeHub, TOKEN, type HubFile } from '../support/fake-hub.js';
import { runCli, snapshot } from '../support/run-cli.js';

const hub = new FakeHub();
let out: string;
beforeAll(async () => {
  await hub.start();
  const base = [...hub.files('airlock-test/tiny-sentiment').values()];
  const extra = (path: string, text: string): HubFile => ({ path, bytes: Buffer.from(text), lfs: false });
  hub.addRepo('airlock-test/odd-names', [...base, extra('weird?name.txt', 'odd'), extra('notes%20.txt', 'odd')], {
    task: 'text-classification',
    license: 'mit',
  });
  hub.addRepo('airlock-test/case-twins', [...base, extra('Config.JSON', '{}')], {
    task: 'text-classification',
    license: 'mit',
  });
  hub.addRepo('airlock-test/own-manifest', [...base, extra('manifest.json', '{"theirs":true}')], {
    task: 'text-classification',
    license: 'mit',
  });
  hub.renames.set('airlock-test/old-sentiment', 'airlock-test/tiny-sentiment');
});
afterAll(() => hub.stop());
afterEach(() => rmSync(out, { recursive: true, force: true }));
beforeEach(() => {
  out = mkdtempSync(join(tmpdir(), 'airlock-pull-rules-'));
  hub.requests.length = 0;
  hub.faults.api = 'ok';
});

const pull = (repo: string, ...args: string[]) => runCli(['pull', repo, '--hub', hub.origin, '--out', out, ...args]);
const resolved = () =>
  hub.requests
    .filter((r) => r.url.includes('/resolve/'))
    .map((r) => decodeURIComponent(r.url.split('/resolve/')[1]!.split('/').slice(1).join('/')));
const manifestOf = (id: string) =>
  JSON.parse(readFileSync(join(out, id, 'manifest.json'), 'utf8')) as Manifest & { theirs?: unknown };
const paths = (id: string) => manifestOf(id).files.map((f) => f.path);

describe('airlock pull --all and the manifest rules', () => {
  it('skips, with a note, names the runtime refuses, and downloads nothing of them', async () => {
    const r = await pull('airlock-test/odd-names', '--all');
    expect(r.code, r.stderr).toBe(0);
    expect(paths('airlock-test/odd-names')).not.toContain('weird?name.txt');
    expect(resolved()).not.toContain('weird?name.txt');
    expect(r.stderr).toMatch(/skipped weird\?name\.txt/);
    expect(r.stderr).toMatch(/skipped notes%20\.txt/);
    const json = await pull('airlock-test/odd-names', '--all', '--json');
    expect((json.json?.skipped as { path: string }[]).map((s) => s.path)).toEqual(['notes%20.txt', 'weird?name.txt']);
  });

  it('refuses case twins before downloading anything, naming both, with exit 1', async () => {
    const r = await pull('airlock-test/case-twins', '--all', '--json');
    expect([r.code, r.json?.error?.code], r.stderr).toEqual([1, 'MANIFEST_INVALID']);
    expect(r.stderr).toContain('Config.JSON');
    expect(r.stderr).toContain('config.json');
    expect(r.stderr).not.toMatch(/unexpected/);
    expect(resolved()).toEqual([]);
    expect(snapshot(out)).toEqual({});
  });

  it("never takes the hub's own manifest.json: a second run downloads nothing", async () => {
    const first = await pull('airlock-test/own-manifest', '--all');
    expect(first.code, first.stderr).toBe(0);
    const count = hub.files('airlock-test/own-manifest').size - 2; // no .gitattributes, no manifest.json
    expect(first.stderr.split('\n')[0]).toMatch(new RegExp(`^${count} files, `));
    expect(resolved()).not.toContain('manifest.json');
    expect(manifestOf('airlock-test/own-manifest').theirs).toBeUndefined();
    hub.requests.length = 0;
    const again = await pull('airlock-test/own-manifest', '--all', '--json');
    expect(again.json).toMatchObject({ ok: true, unchanged: true, downloadedBytes: 0 });
    expect(resolved()).toEqual([]);
  });
});

describe('airlock pull and what a crash or a second pull leaves', () => {
  it('is not blocked by a .old folder a crash left behind', async () => {
    expect((await pull('airlock-test/tiny-lm', '--dtype', 'q8')).code).toBe(0);
    const commit = hub.commitOf('airlock-test/tiny-lm');
    const old = join(out, '.airlock-partial/airlock-test', `tiny-lm@${commit}.old`);
    mkdirSync(join(old, 'onnx'), { recursive: true });
    writeFileSync(join(old, 'onnx/model_quantized.onnx'), 'left by a crash');
    const r = await pull('airlock-test/tiny-lm', '--dtype', 'fp16', '--json');
    expect(r.code, r.stderr).toBe(0);
    expect(paths('airlock-test/tiny-lm')).toContain('onnx/model_fp16.onnx');
    expect(snapshot(out)['.airlock-partial']).toBeUndefined();
  });

  it('refuses to run while another pull of the repo holds its lock, and takes over a stale lock', async () => {
    const lock = join(out, '.airlock-partial/airlock-test/tiny-lm.lock');
    mkdirSync(join(out, '.airlock-partial/airlock-test'), { recursive: true });
    writeFileSync(lock, `${process.pid}\n`); // this test's own process: alive
    const held = await pull('airlock-test/tiny-lm', '--dtype', 'q8', '--json');
    expect([held.code, held.json?.error?.code], held.stderr).toEqual([4, 'LOCKED']);
    expect(held.stderr).toContain(String(process.pid));
    expect(held.stderr).toContain(lock);
    expect(resolved()).toEqual([]);
    expect(readFileSync(lock, 'utf8')).toBe(`${process.pid}\n`);
    writeFileSync(lock, '2147483646\n'); // no such process
    const stale = await pull('airlock-test/tiny-lm', '--dtype', 'q8', '--json');
    expect(stale.code, stale.stderr).toBe(0);
    expect(snapshot(out)['.airlock-partial']).toBeUndefined();
  });
});

describe('airlock pull and the hub', () => {
  it('gives up on a hub that never answers, with exit 3', async () => {
    hub.faults.api = 'hang';
    const started = Date.now();
    const r = await pull('airlock-test/tiny-lm', '--timeout', '1', '--json');
    expect([r.code, r.json?.error?.code], r.stderr).toEqual([3, 'NETWORK']);
    expect(r.stderr).toMatch(/no answer .*1 s/);
    expect(Date.now() - started).toBeLessThan(15_000);
  });

  it('shows why a connection failed', async () => {
    const closed = await new Promise<number>((done) => {
      const s = createServer().listen(0, '127.0.0.1', () => {
        const { port } = s.address() as AddressInfo;
        s.close(() => done(port));
      });
    });
    const refused = await runCli([
      'pull',
      'airlock-test/tiny-lm',
      '--hub',
      `http://127.0.0.1:${closed}`,
      '--out',
      out,
      '--json',
    ]);
    expect([refused.code, refused.json?.error?.code]).toEqual([3, 'NETWORK']);
    expect(refused.stderr).toMatch(/ECONNREFUSED/);
    const badPort = await runCli([
      'pull',
      'airlock-test/tiny-lm',
      '--hub',
      'http://127.0.0.1:9',
      '--out',
      out,
      '--json',
    ]);
    expect(badPort.stderr).toMatch(/bad port/);
  });

  it('follows the hub to a repo that moved, and says so', async () => {
    const r = await pull('airlock-test/old-sentiment', '--dtype', 'q8');
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/airlock-test\/old-sentiment has moved to airlock-test\/tiny-sentiment/);
    expect(paths('airlock-test/old-sentiment')).toContain('onnx/model_quantized.onnx');
  });

  it('refuses to send HF_TOKEN over plain http unless told to', async () => {
    const r = await runCli(
      ['pull', 'airlock-test/gated-lm', '--hub', hub.origin, '--out', out, '--dtype', 'q8', '--json'],
      { env: { HF_TOKEN: TOKEN } },
    );
    expect([r.code, r.json?.error?.code], r.stderr).toEqual([2, 'BAD_USAGE']);
    expect(r.stderr).toContain(hub.origin);
    expect(r.stderr).toMatch(/--allow-http-token/);
    expect(hub.requests).toEqual([]);
    const ok = await runCli(
      ['pull', 'airlock-test/gated-lm', '--hub', hub.origin, '--out', out, '--dtype', 'q8', '--allow-http-token'],
      { env: { HF_TOKEN: TOKEN } },
    );
    expect(ok.code, ok.stderr).toBe(0);
  });
});

describe('airlock pull progress lines', () => {
  it('prints the plan first, nothing for an up-to-date run, and "reused" for a complete .part', async () => {
    const first = await pull('airlock-test/tiny-sentiment', '--dtype', 'q8');
    expect(first.code, first.stderr).toBe(0);
    const lines = first.stderr.trim().split('\n');
    expect(lines[0]).toMatch(/^4 files, /);
    expect(
      lines
        .slice(1)
        .map((l) => l.split(/\s+/)[1])
        .sort(),
    ).toEqual(['config.json', 'onnx/model_quantized.onnx', 'tokenizer.json', 'tokenizer_config.json']);
    const again = await pull('airlock-test/tiny-sentiment', '--dtype', 'q8');
    expect(again.stderr).toBe('');
    expect(again.stdout).toMatch(/up to date/);

    rmSync(join(out, 'airlock-test'), { recursive: true });
    const part = join(
      out,
      '.airlock-partial/airlock-test',
      `tiny-sentiment@${hub.commitOf('airlock-test/tiny-sentiment')}`,
    );
    mkdirSync(part, { recursive: true });
    writeFileSync(join(part, 'config.json.part'), hub.files('airlock-test/tiny-sentiment').get('config.json')!.bytes);
    const reused = await pull('airlock-test/tiny-sentiment', '--dtype', 'q8');
    expect(reused.code, reused.stderr).toBe(0);
    expect(reused.stderr).toMatch(/^reused +config\.json/m);
    expect(reused.stderr).not.toMatch(/resumed/);
  });

  it("says which files another dtype's pull removed", async () => {
    expect((await pull('airlock-test/tiny-sentiment', '--dtype', 'q8')).code).toBe(0);
    const r = await pull('airlock-test/tiny-sentiment', '--dtype', 'fp16');
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/removed onnx\/model_quantized\.onnx/);
    expect(r.stderr).toMatch(/--dtype fp16,q8/);
    const json = await pull('airlock-test/tiny-sentiment', '--dtype', 'q8', '--json');
    expect(json.json?.removed).toEqual(['onnx/model_fp16.onnx']);
  });
});
