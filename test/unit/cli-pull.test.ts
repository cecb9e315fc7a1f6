// `airlock pull` against a fake hub on loopback: the files a dtype needs, checked against the hub's
// hashes; re-runs and new commits; a cut transfer resumed; wrong bytes, gated repos and hub errors.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { validateManifest } from '../../src/manifest/validate.js';
import type { PulledManifestDoc } from '../../src/node/pulled-manifest.js';
import { FakeHub, TOKEN, variantOf } from '../support/fake-hub.js';
import { runCli, sha256, snapshot } from '../support/run-cli.js';

const hub = new FakeHub();
let out: string;
beforeAll(() => hub.start());
afterAll(() => hub.stop());
afterEach(() => rmSync(out, { recursive: true, force: true }));
beforeEach(() => {
  out = mkdtempSync(join(tmpdir(), 'airlock-pull-'));
  hub.requests.length = 0;
  hub.faults.cut.clear();
  hub.faults.wrong.clear();
  hub.faults.api = 'ok';
});

const pull = (repo: string, ...args: string[]) =>
  runCli(['pull', repo, '--hub', hub.origin, '--out', out, '--json', ...args]);
const resolved = () =>
  hub.requests
    .filter((r) => r.host === 'hub' && r.url.includes('/resolve/'))
    .map((r) => decodeURIComponent(r.url.split('/resolve/')[1]!.split('/').slice(1).join('/')));
const manifestOf = (id: string) =>
  JSON.parse(readFileSync(join(out, id, 'manifest.json'), 'utf8')) as PulledManifestDoc;

/** an error case: exit status, code, one line on stderr that names `mentions`, and `out` as it was */
async function expectFailure(
  run: Promise<Awaited<ReturnType<typeof pull>>>,
  exit: number,
  code: string,
  mentions: RegExp,
  before: Record<string, string> = {},
) {
  const r = await run;
  expect(r.code, r.stderr).toBe(exit);
  expect(r.json?.error?.code).toBe(code);
  expect(r.stderr.trim().split('\n')).toHaveLength(1);
  expect(r.stderr).toMatch(mentions);
  expect(snapshot(out)).toEqual(before);
  return r;
}

describe('airlock pull', () => {
  it('takes the files of one dtype, checked against the hub, with a manifest that says where they came from', async () => {
    const r = await pull('airlock-test/tiny-sentiment', '--dtype', 'q8');
    expect(r.code, r.stderr).toBe(0);
    const files = hub.files('airlock-test/tiny-sentiment');
    const want = ['config.json', 'onnx/model_quantized.onnx', 'tokenizer.json', 'tokenizer_config.json'];
    const tree = snapshot(join(out, 'airlock-test/tiny-sentiment'));
    expect(
      Object.keys(tree)
        .filter((p) => tree[p] !== 'dir')
        .sort(),
    ).toEqual([...want, 'manifest.json'].sort());
    for (const p of want) expect(tree[p], p).toBe(sha256(files.get(p)!.bytes));
    const m = manifestOf('airlock-test/tiny-sentiment');
    const commit = hub.commitOf('airlock-test/tiny-sentiment');
    expect(validateManifest(m, 'airlock-test/tiny-sentiment').files.map((f) => [f.path, f.size, f.sha256])).toEqual(
      want.map((p) => [p, files.get(p)!.bytes.length, sha256(files.get(p)!.bytes)]),
    );
    expect(m).toMatchObject({
      id: 'airlock-test/tiny-sentiment',
      task: 'text-classification',
      license: 'mit',
      dtypes: ['q8'],
      source: `${hub.origin}/airlock-test/tiny-sentiment/tree/${commit}`,
      upstream: { hub: hub.origin, repo: 'airlock-test/tiny-sentiment', commit, revision: 'main' },
    });
    // the LFS file came from the storage host, after the hub's redirect; nothing else went there
    expect(hub.storageRequests().map((q) => q.status)).toEqual([200]);
    expect(r.json).toMatchObject({ ok: true, commit, unchanged: false, dtypes: ['q8'] });
    expect(snapshot(out)['.airlock-partial']).toBeUndefined();
  });

  it('downloads nothing when run again on the same commit, and only the changed files for a new commit', async () => {
    expect((await pull('airlock-test/tiny-lm', '--dtype', 'q8')).code).toBe(0);
    hub.requests.length = 0;
    const again = await pull('airlock-test/tiny-lm', '--dtype', 'q8');
    expect(again.json).toMatchObject({ ok: true, unchanged: true, downloadedBytes: 0 });
    expect(hub.requests.map((q) => q.url)).toEqual([`/api/models/airlock-test/tiny-lm/revision/main?blobs=true`]);

    const old = manifestOf('airlock-test/tiny-lm');
    const q8 = hub.files('airlock-test/tiny-lm').get('onnx/model_quantized.onnx')!;
    const commit = hub.commit('airlock-test/tiny-lm', [
      { ...q8, bytes: variantOf(q8.bytes, 'v2') },
      { path: 'onnx/model_q4.onnx', bytes: Buffer.from('unrelated'), lfs: true },
    ]);
    hub.requests.length = 0;
    const update = await pull('airlock-test/tiny-lm', '--dtype', 'q8');
    expect(update.json).toMatchObject({ ok: true, unchanged: false, commit });
    expect(resolved()).toEqual(['onnx/model_quantized.onnx']);
    const m = manifestOf('airlock-test/tiny-lm');
    expect(m.upstream.commit).toBe(commit);
    expect(m.revision).not.toBe(old.revision);
    expect(m.files.find((f: { path: string }) => f.path === 'onnx/model_quantized.onnx')!.sha256).toBe(
      sha256(variantOf(q8.bytes, 'v2')),
    );
  });

  it('picks up a cut transfer with Range', async () => {
    hub.faults.cut.add('onnx/model_fp16.onnx_data');
    const r = await pull('airlock-test/tiny-lm', '--dtype', 'fp16');
    expect(r.code, r.stderr).toBe(0);
    const data = hub.files('airlock-test/tiny-lm').get('onnx/model_fp16.onnx_data')!.bytes;
    const tries = hub.storageRequests().filter((q) => q.url.includes(sha256(data)));
    expect(tries.map((q) => [q.headers.range, q.status])).toEqual([
      [undefined, 200],
      [`bytes=${data.length >> 1}-`, 206],
    ]);
    expect(snapshot(join(out, 'airlock-test/tiny-lm'))['onnx/model_fp16.onnx_data']).toBe(sha256(data));
    expect(manifestOf('airlock-test/tiny-lm').files.map((f: { path: string }) => f.path)).toEqual([
      'config.json',
      'generation_config.json',
      'onnx/model_fp16.onnx',
      'onnx/model_fp16.onnx_data',
      'tokenizer.json',
      'tokenizer_config.json',
    ]);
  });

  it('refuses wrong bytes from the storage host and leaves the model tree as it was', async () => {
    expect((await pull('airlock-test/tiny-lm', '--dtype', 'q8')).code).toBe(0);
    const before = snapshot(out);
    const q8 = hub.files('airlock-test/tiny-lm').get('onnx/model_quantized.onnx')!;
    hub.commit('airlock-test/tiny-lm', [{ ...q8, bytes: variantOf(q8.bytes, 'v3') }]);
    hub.faults.wrong.add('onnx/model_quantized.onnx');
    await expectFailure(
      pull('airlock-test/tiny-lm', '--dtype', 'q8'),
      1,
      'VERIFICATION_FAILED',
      /onnx\/model_quantized\.onnx .*SHA-256/,
      before,
    );
  });

  it('needs HF_TOKEN for a gated repo, and sends it to the hub only', async () => {
    await expectFailure(
      pull('airlock-test/gated-lm', '--dtype', 'q8'),
      3,
      'GATED_REPO',
      /"airlock-test\/gated-lm" needs an access token.*HF_TOKEN/,
    );
    hub.requests.length = 0;
    const r = await runCli(
      ['pull', 'airlock-test/gated-lm', '--hub', hub.origin, '--out', out, '--dtype', 'q8', '--allow-http-token'],
      { env: { HF_TOKEN: TOKEN } },
    );
    expect(r.code, r.stderr).toBe(0);
    expect(
      hub.requests.filter((q) => q.host === 'hub').every((q) => q.headers.authorization === `Bearer ${TOKEN}`),
    ).toBe(true);
    expect(hub.storageRequests()).toHaveLength(1);
    expect(hub.storageRequests().map((q) => q.headers.authorization)).toEqual([undefined]);
  });

  it('says so when the repo, the revision or the dtype does not exist', async () => {
    await expectFailure(pull('airlock-test/missing'), 3, 'REPO_NOT_FOUND', /no model "airlock-test\/missing"/);
    await expectFailure(pull('airlock-test/tiny-lm', '--revision', 'v9'), 3, 'REVISION_NOT_FOUND', /no revision "v9"/);
    await expectFailure(
      pull('airlock-test/tiny-lm', '--dtype', 'q4f16'),
      2,
      'BAD_USAGE',
      /onnx\/model_q4f16\.onnx.*--dtype fp32,fp16,q8,int8,q4/,
    );
    await expectFailure(pull('airlock-test/tiny-lm', '--dtype', 'q7'), 2, 'BAD_USAGE', /--dtype q7/);
    await expectFailure(pull('not/a/valid/id'), 2, 'BAD_USAGE', /"not\/a\/valid\/id"/);
  });

  it('says so when the hub answers HTML or 500', async () => {
    hub.faults.api = 'html';
    await expectFailure(pull('airlock-test/tiny-lm'), 3, 'HUB_ERROR', /text\/html.*--hub/);
    hub.faults.api = '500';
    await expectFailure(pull('airlock-test/tiny-lm'), 3, 'HUB_ERROR', /500/);
    await expectFailure(
      runCli(['pull', 'airlock-test/tiny-lm', '--hub', 'http://127.0.0.1:9', '--out', out, '--json']),
      3,
      'NETWORK',
      /could not reach http:\/\/127\.0\.0\.1:9/,
    );
  });

  it('takes every file but dotfiles with --all, and q8 and fp32 by default', async () => {
    const all = await pull('airlock-test/tiny-sentiment', '--all');
    expect(all.code, all.stderr).toBe(0);
    const names = [...hub.files('airlock-test/tiny-sentiment').keys()].filter((p) => p !== '.gitattributes').sort();
    expect(manifestOf('airlock-test/tiny-sentiment').files.map((f: { path: string }) => f.path)).toEqual(names);
    expect(manifestOf('airlock-test/tiny-sentiment').dtypes).toEqual(['fp32', 'fp16', 'q8', 'int8', 'q4']);
    const byDefault = await pull('airlock-test/plain-sentiment');
    expect(byDefault.code, byDefault.stderr).toBe(0);
    const onnx = (id: string) =>
      manifestOf(id)
        .files.map((f: { path: string }) => f.path)
        .filter((p: string) => p.startsWith('onnx/'));
    expect(manifestOf('airlock-test/plain-sentiment').dtypes).toEqual(['q8', 'fp32']);
    expect(onnx('airlock-test/plain-sentiment')).toEqual(['onnx/model.onnx', 'onnx/model_quantized.onnx']);
    // tiny-lm's config.json names its dtype (transformers.js_config.dtype: fp32): that one alone
    expect((await pull('airlock-test/tiny-lm')).code).toBe(0);
    expect(manifestOf('airlock-test/tiny-lm').dtypes).toEqual(['fp32']);
    expect(onnx('airlock-test/tiny-lm')).toEqual(['onnx/model.onnx']);
  });

  // a 12 KiB file system of its own needs a user and mount namespace (no root, nothing mounted
  // outside that process): where there is none, the case shows as skipped
  const namespaces =
    spawnSync('unshare', ['-rm', 'sh', '-c', 'mount -t tmpfs -o size=12k tmpfs /mnt'], { stdio: 'ignore' }).status ===
    0;

  it.skipIf(!namespaces)('stops on a full disk with exit 4, and leaves nothing', async () => {
    // the CLI runs in that file system, then `ls -A` shows what is left
    const r = await runCli(
      ['pull', 'airlock-test/tiny-lm', '--hub', hub.origin, '--out', out, '--json', '--dtype', 'q8'],
      {
        shell: `exec unshare -rm sh -c 'mount -t tmpfs -o size=12k tmpfs "$0" || exit 99; "$@"; rc=$?; ls -A "$0" >&2; exit $rc' "${out}" "$@"`,
      },
    );
    expect(r.code, r.stderr).toBe(4);
    expect(r.json?.error?.code).toBe('LOCAL_IO');
    expect(r.stderr).toMatch(/the disk is full/);
    expect(r.stderr.trim().split('\n')).toHaveLength(1); // and `ls -A` printed nothing: the folder is empty
  });

  it('stops on an unwritable --out with exit 4, and leaves nothing', async () => {
    const file = join(out, 'not-a-folder');
    writeFileSync(file, 'x');
    const before = snapshot(out);
    const bad = await runCli([
      'pull',
      'airlock-test/tiny-lm',
      '--hub',
      hub.origin,
      '--out',
      file,
      '--json',
      '--dtype',
      'q8',
    ]);
    expect(bad.code, bad.stderr).toBe(4);
    expect(bad.json?.error?.code).toBe('LOCAL_IO');
    expect(bad.stderr).toContain(file);
    expect(snapshot(out)).toEqual(before);
    rmSync(file);
  });
});
