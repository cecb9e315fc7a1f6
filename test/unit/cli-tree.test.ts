// verify, manifest, index, runtime and the command itself on awkward folders and awkward input:
// refused manifests among good ones, links out through a folder, folders that are not there,
// hidden names, a manifest shared through a hard link, usage and help.
import {
  cpSync,
  linkSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Manifest } from '../../src/manifest/types.js';
import { MODELS_DIR } from '../support/paths.js';
import { runCli } from '../support/run-cli.js';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'airlock-tree-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

function copyModel(id: string, as: string): string {
  const to = join(dir, 'models', as);
  cpSync(join(MODELS_DIR, id), to, { recursive: true });
  return to;
}
const readJson = (p: string) => JSON.parse(readFileSync(p, 'utf8')) as Manifest;
const INFO = ['--task', 'text-generation', '--license', 'MIT', '--source', 'test'];
interface Report {
  id: string;
  ok: boolean;
  mismatched: { path: string; problem?: string }[];
  error?: { code: string };
}

describe('airlock verify', () => {
  it('reports a refused manifest and carries on with the other models', async () => {
    copyModel('tiny-lm', 'tiny-lm');
    copyModel('tiny-ner', 'acme/ner'); // its manifest's id is not its folder: refused
    copyModel('tiny-sentiment', 'tiny-sentiment');
    writeFileSync(join(dir, 'models/tiny-sentiment/manifest.json'), 'not json');
    const r = await runCli(['verify', join(dir, 'models'), '--json']);
    expect([r.code, r.json?.error?.code]).toEqual([1, 'VERIFICATION_FAILED']);
    const models = (r.json?.error as unknown as { models: Report[] }).models;
    expect(models.map((m) => [m.id, m.ok, m.error?.code])).toEqual([
      ['acme/ner', false, 'MANIFEST_INVALID'],
      ['tiny-lm', true, undefined],
      ['tiny-sentiment', false, 'MANIFEST_INVALID'],
    ]);
    const human = await runCli(['verify', join(dir, 'models')]);
    expect(human.stdout).toMatch(/FAILED +acme\/ner/);
    expect(human.stdout).toMatch(/ok +tiny-lm/);
    expect(human.stderr).toMatch(/2 of 3 models/);
  });

  it('flags a listed file reached through a folder link out of the model, or into a hidden name', async () => {
    const model = copyModel('tiny-lm', 'tiny-lm');
    cpSync(join(model, 'onnx'), join(dir, 'outside-onnx'), { recursive: true });
    rmSync(join(model, 'onnx'), { recursive: true });
    symlinkSync(join(dir, 'outside-onnx'), join(model, 'onnx'));
    mkdirSync(join(model, '.hidden'));
    cpSync(join(model, 'tokenizer.json'), join(model, '.hidden/tokenizer.json'));
    rmSync(join(model, 'tokenizer.json'));
    symlinkSync('.hidden/tokenizer.json', join(model, 'tokenizer.json'));
    const r = await runCli(['verify', model, '--json']);
    expect(r.code).toBe(1);
    const report = (r.json?.error as unknown as { models: Report[] }).models[0]!;
    expect(report.mismatched.map((m) => [m.path, m.problem])).toEqual([
      ['onnx/model.onnx', expect.stringMatching(/outside the folder/)],
      ['tokenizer.json', expect.stringMatching(/hidden/)],
    ]);
  });
});

describe('airlock manifest', () => {
  it('reports a folder that is not there as an I/O error naming it', async () => {
    const missing = join(dir, 'nonexistent');
    const r = await runCli(['manifest', missing, '--id', 'x', ...INFO, '--json']);
    expect([r.code, r.json?.error?.code], r.stderr).toEqual([4, 'LOCAL_IO']);
    expect(r.stderr).toContain(missing);
    expect(r.stderr).toMatch(/does not exist/);
    expect(r.stderr).not.toMatch(/Rename or remove/);
  });

  it('gives a link out of the folder its own hint', async () => {
    const model = copyModel('tiny-lm', 'tiny-lm');
    writeFileSync(join(dir, 'elsewhere.txt'), 'x');
    symlinkSync(join(dir, 'elsewhere.txt'), join(model, 'notes.txt'));
    const r = await runCli(['manifest', model, '--json']);
    expect([r.code, r.json?.error?.code], r.stderr).toEqual([1, 'MANIFEST_INVALID']);
    expect(r.stderr).toContain('notes.txt');
    expect(r.json?.error).toMatchObject({ path: 'notes.txt', reason: 'outside' });
    expect(r.stderr).toMatch(/copy of the file/);
    expect(r.stderr).not.toMatch(/Rename or remove/);
  });

  it('accepts a link to a sibling model when given the served tree as --root', async () => {
    copyModel('tiny-lm', 'acme/tiny-lm');
    const model = copyModel('tiny-lm', 'acme/tiny-lm-2');
    rmSync(join(model, 'onnx/model.onnx'));
    symlinkSync('../../tiny-lm/onnx/model.onnx', join(model, 'onnx/model.onnx'));
    const refused = await runCli(['manifest', model, '--id', 'acme/tiny-lm-2', '--json']);
    expect([refused.code, refused.json?.error?.code]).toEqual([1, 'MANIFEST_INVALID']);
    expect(refused.stderr).toMatch(/--root/);
    const r = await runCli(['manifest', model, '--id', 'acme/tiny-lm-2', '--root', join(dir, 'models'), '--json']);
    expect(r.code, r.stderr).toBe(0);
    expect(readJson(join(model, 'manifest.json')).revision).toBe(
      readJson(join(MODELS_DIR, 'tiny-lm/manifest.json')).revision,
    );
  });

  it('says which hidden names it skipped', async () => {
    const model = copyModel('tiny-lm', 'tiny-lm');
    writeFileSync(join(model, '.env'), 'SECRET=1');
    mkdirSync(join(model, '.git'));
    const r = await runCli(['manifest', model]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/skipped \.env \(hidden\)/);
    expect(r.stderr).toMatch(/skipped \.git\/ \(hidden\)/);
    const json = await runCli(['manifest', model, '--json']);
    expect(json.json?.skipped).toEqual(['.env', '.git/']);
  });

  it('replaces manifest.json by a rename, never rewriting the file a reader may hold', async () => {
    const model = copyModel('tiny-lm', 'tiny-lm');
    const before = readFileSync(join(model, 'manifest.json'));
    linkSync(join(model, 'manifest.json'), join(dir, 'held.json'));
    const r = await runCli(['manifest', model, '--license', 'Apache-2.0']);
    expect(r.code, r.stderr).toBe(0);
    expect(readFileSync(join(dir, 'held.json')).equals(before)).toBe(true);
    expect(readJson(join(model, 'manifest.json')).license).toBe('Apache-2.0');
    expect(statSync(join(model, 'manifest.json')).ino).not.toBe(statSync(join(dir, 'held.json')).ino);
  });
});

describe('airlock index', () => {
  it('names every refused model, not just the first', async () => {
    copyModel('tiny-ner', 'acme/ner');
    copyModel('tiny-lm', 'tiny-lm');
    copyModel('tiny-sentiment', 'zeta/sentiment');
    const r = await runCli(['index', join(dir, 'models'), '--json']);
    expect([r.code, r.json?.error?.code]).toEqual([1, 'MANIFEST_INVALID']);
    expect(r.stderr).toContain('acme/ner');
    expect(r.stderr).toContain('zeta/sentiment');
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
  });
});

describe('I/O errors in words', () => {
  it('says a file is in the way, without a raw errno or a hint about free space', async () => {
    const file = join(dir, 'afile');
    writeFileSync(file, 'x');
    const r = await runCli(['runtime', '--out', file, '--json']);
    expect([r.code, r.json?.error?.code]).toEqual([4, 'LOCAL_IO']);
    expect(r.stderr).toContain(file);
    expect(r.stderr).toMatch(/is a file, not a folder/);
    expect(r.stderr).not.toMatch(/EEXIST|Free space/);
  });
});

describe('the airlock command', () => {
  it('prints usage to stderr with exit 2 when given nothing, and to stdout for --help', async () => {
    const bare = await runCli([]);
    expect(bare.code).toBe(2);
    expect(bare.stdout).toBe('');
    expect(bare.stderr).toMatch(/^usage: airlock <command>/);
    const help = await runCli(['--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/^usage: airlock <command>/);
  });

  it("lists the exit codes in each command's help, and the environment pull reads", async () => {
    const pull = await runCli(['pull', '--help']);
    expect(pull.code).toBe(0);
    expect(pull.stdout).toMatch(
      /exit status: 0 done, 1 verification failed, 2 bad usage, 3 network or hub error, 4 local I\/O error/,
    );
    expect(pull.stdout).toMatch(/HF_TOKEN/);
    expect(pull.stdout).toMatch(/HF_ENDPOINT/);
    const verify = await runCli(['verify', '--help']);
    expect(verify.stdout).toMatch(/exit status: 0 done/);
  });
});
