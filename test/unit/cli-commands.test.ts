// The CLI's other commands, run for real: manifest, verify, index and serve (runtime: cli-runtime.test.ts).
import { spawn } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runtimeFilePaths, WORKER_RUNTIME_FILES } from '../../src/node/ort-files.js';
import type { Manifest } from '../../src/manifest/types.js';
import { validateManifest } from '../../src/manifest/validate.js';
import type { AccessLogLine } from '../../src/node/access-log.js';
import type { ModelsIndex } from '../../src/node/models-index.js';
import { MODELS_DIR } from '../support/paths.js';
import { CLI, runCli, sha256, snapshot } from '../support/run-cli.js';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'airlock-cli-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

/** models/<id> copied under `dir` as `as` */
function copyModel(id: string, as: string): string {
  const to = join(dir, 'models', as);
  cpSync(join(MODELS_DIR, id), to, { recursive: true });
  return to;
}

/** gives a copied model's manifest its new id (the revision covers the files only) */
function renameModel(model: string, id: string, extra: Record<string, unknown> = {}): void {
  const path = join(model, 'manifest.json');
  writeFileSync(path, JSON.stringify({ ...JSON.parse(readFileSync(path, 'utf8')), id, ...extra }));
}

/** a JSON file the CLI wrote (or a fixture), read as the type the test expects it to have */
const readJson = <T>(p: string) => JSON.parse(readFileSync(p, 'utf8')) as T;
const readManifest = (p: string) => readJson<Manifest>(p);

describe('airlock manifest', () => {
  it('writes a manifest the runtime accepts, for an org/name id', async () => {
    const model = copyModel('tiny-lm', 'acme/tiny-lm');
    rmSync(join(model, 'manifest.json'));
    const r = await runCli([
      'manifest',
      model,
      '--id',
      'acme/tiny-lm',
      '--task',
      'text-generation',
      '--license',
      'MIT',
      '--source',
      'test',
      '--json',
    ]);
    expect(r.code, r.stderr).toBe(0);
    const m = validateManifest(readJson<unknown>(join(model, 'manifest.json')), 'acme/tiny-lm');
    const original = readManifest(join(MODELS_DIR, 'tiny-lm/manifest.json'));
    expect(m.files).toEqual(original.files);
    expect(m.revision).toBe(original.revision);
    expect(r.json).toMatchObject({ ok: true, id: 'acme/tiny-lm', revision: original.revision });
  });

  it('refuses an id the runtime could never load, and a folder without task or licence', async () => {
    const model = copyModel('tiny-lm', 'tiny-lm');
    const before = snapshot(model);
    const bad = await runCli(['manifest', model, '--id', 'a/b/c', '--json']);
    expect([bad.code, bad.json?.error?.code]).toEqual([2, 'BAD_USAGE']);
    expect(bad.stderr).toContain('"a/b/c"');
    rmSync(join(model, 'manifest.json'));
    const none = await runCli(['manifest', model, '--json']);
    expect([none.code, none.json?.error?.code]).toEqual([2, 'BAD_USAGE']);
    expect(none.stderr).toMatch(/--task/);
    expect(before['manifest.json']).toBeDefined();
  });
});

describe('airlock verify', () => {
  it('passes an intact model tree, and lists every mismatched, missing and unlisted file with exit 1', async () => {
    renameModel(copyModel('tiny-lm', 'acme/tiny-lm'), 'acme/tiny-lm');
    copyModel('tiny-sentiment', 'tiny-sentiment');
    const ok = await runCli(['verify', join(dir, 'models'), '--json']);
    expect(ok.code, ok.stderr).toBe(0);
    expect((ok.json?.models as { id: string; ok: boolean }[]).map((m) => [m.id, m.ok])).toEqual([
      ['acme/tiny-lm', true],
      ['tiny-sentiment', true],
    ]);

    const lm = join(dir, 'models/acme/tiny-lm');
    writeFileSync(join(lm, 'tokenizer.json'), '{}');
    rmSync(join(lm, 'generation_config.json'));
    writeFileSync(join(lm, 'onnx/model_fp16.onnx'), 'extra');
    symlinkSync('/etc/hostname', join(lm, 'config.json.link'));
    const bad = await runCli(['verify', lm, '--json']);
    expect(bad.code).toBe(1);
    expect(bad.json?.error?.code).toBe('VERIFICATION_FAILED');
    const report = (
      bad.json?.error as unknown as {
        models: { mismatched: { path: string; actual: { sha256: string } }[]; missing: string[]; unlisted: string[] }[];
      }
    ).models[0]!;
    expect(report.mismatched.map((m) => [m.path, m.actual.sha256])).toEqual([
      ['tokenizer.json', sha256(Buffer.from('{}'))],
    ]);
    expect(report.missing).toEqual(['generation_config.json']);
    expect(report.unlisted).toEqual(['config.json.link', 'onnx/model_fp16.onnx']);
    const human = await runCli(['verify', lm]);
    expect(human.stdout).toMatch(/mismatched tokenizer\.json/);
    expect(human.stdout).toMatch(/missing +generation_config\.json/);
    expect(human.stderr.trim().split('\n')).toHaveLength(1);
  });

  it('refuses a folder without a manifest, and a manifest with .. or absolute paths', async () => {
    mkdirSync(join(dir, 'empty'));
    const none = await runCli(['verify', join(dir, 'empty'), '--json']);
    expect([none.code, none.json?.error?.code]).toEqual([1, 'NO_MANIFEST']);
    expect(none.stderr).toContain(join(dir, 'empty'));
    expect(none.stderr).toMatch(/airlock manifest/);
    const model = copyModel('tiny-lm', 'tiny-lm');
    const m = readManifest(join(model, 'manifest.json'));
    for (const path of ['../outside.onnx', '/etc/passwd']) {
      writeFileSync(
        join(model, 'manifest.json'),
        JSON.stringify({ ...m, files: [...m.files, { path, size: 1, sha256: 'a'.repeat(64) }] }),
      );
      const r = await runCli(['verify', model, '--json']);
      expect([r.code, r.json?.error?.code], path).toEqual([1, 'MANIFEST_INVALID']);
      expect(r.stderr).toContain(path);
    }
  });
});

describe('airlock index', () => {
  it("writes index.json with every model's id, revision, task, dtypes and size", async () => {
    renameModel(copyModel('tiny-lm', 'acme/tiny-lm'), 'acme/tiny-lm', { dtypes: ['fp32'] });
    copyModel('tiny-sentiment', 'tiny-sentiment');
    const lmManifest = join(dir, 'models/acme/tiny-lm/manifest.json');
    mkdirSync(join(dir, 'models/.airlock-partial/x'), { recursive: true });
    const r = await runCli(['index', join(dir, 'models'), '--json']);
    expect(r.code, r.stderr).toBe(0);
    const index = readJson<ModelsIndex>(join(dir, 'models/index.json'));
    const size = (id: string) =>
      readManifest(join(MODELS_DIR, id, 'manifest.json')).files.reduce((n, f) => n + f.size, 0);
    expect(index.models.map((m) => [m.id, m.revision, m.task, m.dtypes, m.size])).toEqual([
      ['acme/tiny-lm', readManifest(lmManifest).revision, 'text-generation', ['fp32'], size('tiny-lm')],
      [
        'tiny-sentiment',
        readManifest(join(MODELS_DIR, 'tiny-sentiment/manifest.json')).revision,
        'text-classification',
        [],
        size('tiny-sentiment'),
      ],
    ]);
    // a manifest whose id is not its folder is refused: the runtime would refuse it too
    copyModel('tiny-ner', 'acme/ner');
    const bad = await runCli(['index', join(dir, 'models'), '--json']);
    expect([bad.code, bad.json?.error?.code]).toEqual([1, 'MANIFEST_INVALID']);
    expect(bad.stderr).toContain('acme/ner');
  });
});

describe('airlock serve', () => {
  it('serves models and the runtime, and writes one JSON line per request to the access log', async () => {
    const log = join(dir, 'access.log');
    const child = spawn(
      process.execPath,
      [
        ...CLI,
        'serve',
        MODELS_DIR,
        '--port',
        '0',
        '--allow-origin',
        'http://portal.test',
        '--access-log',
        log,
        '--json',
      ],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    const origin = await new Promise<string>((done, fail) => {
      child.stdout.on('data', (b: Buffer) => {
        const m = /"origin":"([^"]+)"/.exec(b.toString());
        if (m) done(m[1]!);
      });
      child.on('exit', () => fail(new Error('serve exited')));
    });
    const onnx = readFileSync(join(MODELS_DIR, 'tiny-lm/onnx/model.onnx'));
    const ranged = await fetch(`${origin}/models/tiny-lm/onnx/model.onnx`, {
      headers: { Range: 'bytes=0-99', Origin: 'http://portal.test', 'User-Agent': 'airlock-test' },
    });
    expect([ranged.status, ranged.headers.get('access-control-allow-origin')]).toEqual([206, 'http://portal.test']);
    expect(Buffer.from(await ranged.arrayBuffer()).equals(onnx.subarray(0, 100))).toBe(true);
    expect((await fetch(`${origin}/models/missing.json`)).status).toBe(404);
    const wasm = await fetch(`${origin}/airlock/ort/${WORKER_RUNTIME_FILES[1]}`);
    expect([wasm.status, wasm.headers.get('content-type')]).toEqual([200, 'application/wasm']);
    await wasm.arrayBuffer();
    child.kill('SIGTERM');
    await new Promise((done) => child.on('exit', done));
    const lines = readFileSync(log, 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as AccessLogLine);
    expect(lines.map((l) => [l.method, l.path, l.status, l.range, l.origin, l.client])).toEqual([
      ['GET', '/models/tiny-lm/onnx/model.onnx', 206, 'bytes=0-99', 'http://portal.test', '127.0.0.1'],
      ['GET', '/models/missing.json', 404, null, null, '127.0.0.1'],
      ['GET', `/airlock/ort/${WORKER_RUNTIME_FILES[1]}`, 200, null, null, '127.0.0.1'],
    ]);
    expect(lines.map((l) => l.bytes)).toEqual([
      100,
      'not found\n'.length,
      readFileSync(runtimeFilePaths().get(WORKER_RUNTIME_FILES[1])!).length,
    ]);
    expect(lines[0]!.userAgent).toBe('airlock-test');
    for (const l of lines) expect(Date.parse(l.time)).toBeGreaterThan(Date.now() - 60_000);
  });
});
