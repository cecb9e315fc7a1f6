// airlock keygen and airlock sign, run for real: the key files' modes and contents, signatures
// that verifySigned accepts, and the refusals (a key readable by others, a key inside the tree).
import { chmodSync, cpSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { fromBase64Url, keyIdOf, parsePublicKey } from '../../src/shared/trust/format.js';
import { verifySigned } from '../../src/worker/trust/verify.js';
import { MODELS_DIR } from '../support/paths.js';
import { runCli } from '../support/run-cli.js';
import { ed25519 } from '@noble/curves/ed25519.js';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'airlock-trust-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const mode = (path: string) => statSync(path).mode & 0o777;
const read = (path: string) => readFileSync(path, 'utf8');

interface KeyFile {
  kind: string;
  alg: string;
  keyId: string;
  publicKey: string;
  privateKey: string;
}

async function keygen(out: string): Promise<KeyFile> {
  const run = await runCli(['keygen', '--out', out]);
  expect(run.code, run.stderr).toBe(0);
  return JSON.parse(read(join(out, 'airlock-signing-key.json'))) as KeyFile;
}

/** models/tiny-lm and models/tiny-sentiment copied into a tree of the test's own, with an index.json */
function tree(): string {
  const root = join(dir, 'models');
  for (const id of ['tiny-lm', 'tiny-sentiment']) cpSync(join(MODELS_DIR, id), join(root, id), { recursive: true });
  writeFileSync(join(root, 'index.json'), '{"models":[]}\n');
  return root;
}

describe('airlock keygen', () => {
  it('writes the key file 0600 and the public key 0644, consistent with each other, and prints both ids', async () => {
    const out = join(dir, 'keys');
    const run = await runCli(['keygen', '--out', out]);
    expect(run.code, run.stderr).toBe(0);
    const keyPath = join(out, 'airlock-signing-key.json');
    const pubPath = join(out, 'airlock-signing-key.pub');
    expect(mode(keyPath)).toBe(0o600);
    expect(mode(pubPath)).toBe(0o644);
    const key = JSON.parse(read(keyPath)) as KeyFile;
    expect(Object.keys(key).sort()).toEqual(['alg', 'keyId', 'kind', 'privateKey', 'publicKey']);
    expect([key.kind, key.alg]).toEqual(['airlock-signing-key/1', 'Ed25519']);
    expect(read(pubPath)).toBe(`${key.publicKey}\n`);
    const seed = fromBase64Url(key.privateKey)!;
    expect(seed).toHaveLength(32);
    // the public key is the seed's, and the id is that key's
    expect(parsePublicKey(key.publicKey)).toEqual(ed25519.getPublicKey(seed));
    expect(key.keyId).toBe(keyIdOf(parsePublicKey(key.publicKey)!));
    expect(run.stdout).toContain(key.publicKey);
    expect(run.stdout).toContain(key.keyId);
    expect(run.stdout).not.toContain(key.privateKey);
  });

  it('never replaces a key: a second keygen into the same folder fails and leaves the first key as it was', async () => {
    const out = join(dir, 'keys');
    const first = await keygen(out);
    const again = await runCli(['keygen', '--out', out, '--json']);
    expect(again.code).toBe(2);
    expect(again.json?.error?.code).toBe('BAD_USAGE');
    expect(again.stderr).toContain(join(out, 'airlock-signing-key.json'));
    expect(JSON.parse(read(join(out, 'airlock-signing-key.json')))).toEqual(first);
  });
});

describe('airlock sign', () => {
  it('signs every manifest and index.json; each .sig verifies over the file, and fails after one byte changes', async () => {
    const key = await keygen(join(dir, 'keys'));
    const root = tree();
    const run = await runCli(['sign', root, '--key', join(dir, 'keys', 'airlock-signing-key.json'), '--json']);
    expect(run.code, run.stderr).toBe(0);
    const signed = (run.json as unknown as { keyId: string; signed: { path: string }[] }).signed.map((s) => s.path);
    expect(signed.sort()).toEqual(['index.json', 'tiny-lm/manifest.json', 'tiny-sentiment/manifest.json']);
    expect((run.json as unknown as { keyId: string }).keyId).toBe(key.keyId);
    for (const path of signed) {
      const bytes = readFileSync(join(root, path));
      const sig = read(join(root, `${path}.sig`));
      expect(JSON.parse(sig)).toMatchObject({ kind: 'airlock-signature/1', alg: 'Ed25519', keyId: key.keyId });
      await expect(verifySigned(bytes, sig, [key.publicKey])).resolves.toEqual({ keyId: key.keyId });
      const changed = Buffer.from(bytes);
      changed[changed.length - 2]! ^= 1;
      await expect(verifySigned(changed, sig, [key.publicKey])).rejects.toMatchObject({
        code: 'SIGNATURE_INVALID',
        details: { reason: 'bad-signature', keyId: key.keyId },
      });
    }
    // nothing of the private key in the tree
    const everything = signed.map((p) => read(join(root, `${p}.sig`))).join('');
    expect(everything).not.toContain(key.privateKey);
  });

  it('gives a new signature when one byte of the manifest changes', async () => {
    await keygen(join(dir, 'keys'));
    const root = tree();
    const keyFile = join(dir, 'keys', 'airlock-signing-key.json');
    expect((await runCli(['sign', root, '--key', keyFile])).code).toBe(0);
    const before = read(join(root, 'tiny-lm/manifest.json.sig'));
    const untouched = read(join(root, 'tiny-sentiment/manifest.json.sig'));
    const manifest = join(root, 'tiny-lm/manifest.json');
    writeFileSync(manifest, read(manifest).replace(/}\s*$/, ' }\n'));
    expect((await runCli(['sign', root, '--key', keyFile])).code).toBe(0);
    const after = read(join(root, 'tiny-lm/manifest.json.sig'));
    const sigOf = (text: string) => (JSON.parse(text) as { signature: string }).signature;
    expect(sigOf(after)).not.toBe(sigOf(before));
    // Ed25519 is deterministic: the unchanged manifest gets the same signature
    expect(read(join(root, 'tiny-sentiment/manifest.json.sig'))).toBe(untouched);
  });

  it('refuses a key file that group or others can read, naming it and its mode, and signs nothing', async () => {
    await keygen(join(dir, 'keys'));
    const root = tree();
    const keyFile = join(dir, 'keys', 'airlock-signing-key.json');
    chmodSync(keyFile, 0o640);
    const run = await runCli(['sign', root, '--key', keyFile, '--json']);
    expect(run.code).toBe(2);
    expect(run.json?.error).toMatchObject({ code: 'BAD_USAGE', keyFile, mode: '0640' });
    expect(run.stderr).toContain(keyFile);
    expect(run.stderr).toContain('chmod 600');
    expect(() => statSync(join(root, 'tiny-lm/manifest.json.sig'))).toThrow();
  });

  it('refuses a key file inside the model tree', async () => {
    const root = tree();
    await keygen(join(root, 'keys'));
    const run = await runCli(['sign', root, '--key', join(root, 'keys', 'airlock-signing-key.json'), '--json']);
    expect(run.code).toBe(2);
    expect(run.json?.error).toMatchObject({ code: 'BAD_USAGE', dir: root });
    expect(() => statSync(join(root, 'tiny-lm/manifest.json.sig'))).toThrow();
  });

  it('refuses a key file whose public key is not its seed’s', async () => {
    await keygen(join(dir, 'keys'));
    const other = await keygen(join(dir, 'other'));
    const keyFile = join(dir, 'keys', 'airlock-signing-key.json');
    const key = JSON.parse(read(keyFile)) as KeyFile;
    writeFileSync(keyFile, JSON.stringify({ ...key, publicKey: other.publicKey, keyId: other.keyId }));
    const run = await runCli(['sign', tree(), '--key', keyFile, '--json']);
    expect(run.code).toBe(2);
    expect(run.json?.error).toMatchObject({ code: 'BAD_USAGE', keyFile });
  });
});

describe('airlock verify --public-key', () => {
  it('checks each manifest.json.sig too: ok when signed by a given key, exit 1 naming the reason otherwise', async () => {
    const a = await keygen(join(dir, 'a'));
    const b = await keygen(join(dir, 'b'));
    const root = tree();
    expect((await runCli(['sign', root, '--key', join(dir, 'a', 'airlock-signing-key.json')])).code).toBe(0);
    type Report = { id: string; ok: boolean; signedBy?: string; error?: { code: string; reason?: string } };
    const models = (run: { json?: unknown }) =>
      (
        (run.json as { models?: Report[]; error?: { models: Report[] } }).models ??
        (run.json as { error: { models: Report[] } }).error.models
      ).map((m) => ({
        id: m.id,
        ok: m.ok,
        signedBy: m.signedBy,
        reason: m.error?.reason,
      }));
    const good = await runCli(['verify', root, '--public-key', b.publicKey, '--public-key', a.publicKey, '--json']);
    expect(good.code, good.stderr).toBe(0);
    expect(models(good)).toEqual([
      { id: 'tiny-lm', ok: true, signedBy: a.keyId, reason: undefined },
      { id: 'tiny-sentiment', ok: true, signedBy: a.keyId, reason: undefined },
    ]);
    const manifest = join(root, 'tiny-lm/manifest.json');
    writeFileSync(manifest, read(manifest).replace('"MIT"', '"MIU"'));
    const bad = await runCli(['verify', root, '--public-key', a.publicKey, '--json']);
    expect(bad.code).toBe(1);
    expect(models(bad)).toEqual([
      { id: 'tiny-lm', ok: false, signedBy: undefined, reason: 'bad-signature' },
      { id: 'tiny-sentiment', ok: true, signedBy: a.keyId, reason: undefined },
    ]);
    const unknown = await runCli(['verify', join(root, 'tiny-sentiment'), '--public-key', b.publicKey, '--json']);
    expect(unknown.code).toBe(1);
    expect(models(unknown)).toMatchObject([{ ok: false, reason: 'unknown-key' }]);
    const plain = await runCli(['verify', root, '--json']);
    expect(plain.code, 'without keys, signatures are not looked at').toBe(0);
  });
});

describe('a signed model folder and the other commands', () => {
  it('manifest.json.sig is not a model file: airlock manifest does not list it, airlock verify does not call it unlisted', async () => {
    await keygen(join(dir, 'keys'));
    const root = tree();
    expect((await runCli(['sign', root, '--key', join(dir, 'keys', 'airlock-signing-key.json')])).code).toBe(0);
    const verified = await runCli(['verify', root, '--json']);
    expect(verified.code, verified.stdout).toBe(0);
    const written = await runCli(['manifest', join(root, 'tiny-lm'), '--json']);
    expect(written.code, written.stderr).toBe(0);
    const listed = (JSON.parse(read(join(root, 'tiny-lm/manifest.json'))) as { files: { path: string }[] }).files;
    expect(listed.map((f) => f.path)).toEqual(
      (JSON.parse(read(join(MODELS_DIR, 'tiny-lm/manifest.json'))) as { files: { path: string }[] }).files.map(
        (f) => f.path,
      ),
    );
  });
});
