// `airlock runtime --out <dir>` as the package ships it: dist/cli.js of a fresh build, run for real.
// It writes the runtime pair, the worker and the page entry, and says which URLs to pass.
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { withoutSourceMapComment } from '../../src/node/library-files.js';
import { runtimeFilePaths, WORKER_RUNTIME_FILES } from '../../src/node/ort-files.js';
import { buildLibrary } from '../support/library-build.js';
import { sha256, snapshot } from '../support/run-cli.js';

const exec = promisify(execFile);
let dir: string;
let dist: string;

interface Run {
  code: number;
  stdout: string;
  stderr: string;
  json?: Record<string, unknown> & { error?: { code: string; message: string } };
}

async function airlock(args: string[]): Promise<Run> {
  const r = await exec(process.execPath, [join(dist, 'cli.js'), ...args]).catch(
    (e: { code: number; stdout: string; stderr: string }) => e,
  );
  const code = 'code' in r && typeof r.code === 'number' ? r.code : 0;
  const json = args.includes('--json') ? (JSON.parse(r.stdout.trim().split('\n').at(-1)!) as Run['json']) : undefined;
  return { code, stdout: r.stdout, stderr: r.stderr, json };
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'airlock-runtime-'));
  dist = join(dir, 'dist');
  await buildLibrary(dist, { cli: true });
}, 120_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('airlock runtime', () => {
  it('writes the two runtime files the worker loads, the worker and the page entry, byte for byte', async () => {
    const out = join(dir, 'ort');
    const r = await airlock(['runtime', '--out', out, '--json']);
    expect(r.code, r.stderr).toBe(0);
    const tree = snapshot(out);
    expect(Object.keys(tree).sort()).toEqual([...WORKER_RUNTIME_FILES, 'index.js', 'worker.js'].sort());
    for (const [name, from] of runtimeFilePaths()) expect(tree[name], name).toBe(sha256(readFileSync(from)));
    for (const name of ['index.js', 'worker.js']) {
      // the built file without its source map comment: the map is not copied
      const built = readFileSync(join(dist, name), 'utf8');
      expect(built, name).toMatch(/\/\/# sourceMappingURL=/);
      expect(readFileSync(join(out, name), 'utf8'), name).toBe(withoutSourceMapComment(built));
      expect(readFileSync(join(out, name), 'utf8'), name).not.toMatch(/sourceMappingURL/);
    }
    const listed = (r.json?.files as { path: string; sha256: string }[]).map((f) => [f.path, f.sha256]);
    expect(listed).toEqual([...WORKER_RUNTIME_FILES, 'worker.js', 'index.js'].map((n) => [n, tree[n]]));
    expect([r.json?.runtimeBase, r.json?.workerUrl, r.json?.entry]).toEqual([
      '/airlock/ort/',
      '/airlock/ort/worker.js',
      '/airlock/ort/index.js',
    ]);
    const usage = await airlock(['runtime', '--json']);
    expect([usage.code, usage.json?.error?.code]).toEqual([2, 'BAD_USAGE']);
  });

  it('says which workerUrl and runtimeBase to pass for the path the folder is served at', async () => {
    const r = await airlock(['runtime', '--out', join(dir, 'vendor'), '--base', '/vendor/airlock/']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain(
      "createRuntime({ runtimeBase: '/vendor/airlock/', workerUrl: '/vendor/airlock/worker.js' })",
    );
    expect(r.stdout).toContain("import { createRuntime } from '/vendor/airlock/index.js'");
    // a base that is not a folder path is refused, naming it, and nothing is written
    for (const base of ['vendor/', '/vendor', 'http://other.example/x/']) {
      const bad = await airlock(['runtime', '--out', join(dir, 'refused'), '--base', base, '--json']);
      expect([base, bad.code, bad.json?.error?.code]).toEqual([base, 2, 'BAD_USAGE']);
      expect(bad.json?.error?.message).toContain(base);
    }
    expect(snapshot(join(dir, 'refused'))).toEqual({});
  });
});
