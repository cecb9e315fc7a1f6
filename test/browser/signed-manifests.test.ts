// Signed manifests: with `trust`, the worker fetches `manifest.json.sig` beside each manifest and
// checks it (and index.json's) before any model file is fetched. Keys are made and trees signed
// here, by the CLI's own code (src/node/trust/), in a copy of models/ of the test's own.
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeIndex } from '../../src/node/models-index.js';
import { createAirlockHandler } from '../../src/node/serve/server.js';
import { signTree } from '../../src/node/trust/sign-tree.js';
import { readSigningKey, writeKeyFiles, type SigningKey } from '../../src/node/trust/signing-key.js';
import { serializeSignatureFile } from '../../src/shared/trust/format.js';
import { gpuMode } from '../support/chromium.js';
import { useBrowser, type OpenedPage } from '../support/browser.js';
import { BUILD_DIR, MODELS_DIR } from '../support/paths.js';
import { failure, success, type Outcome } from '../support/outcome.js';

const TREE = resolve(BUILD_DIR, `signed-models-${gpuMode()}`);
const BASE = '/signed/';
/** the model origin, switchable: `down` answers 503 to everything under BASE (the origin failing) */
const origin = { down: false };

function switchable(req: IncomingMessage, res: ServerResponse, next: () => void): void {
  if (!origin.down || !req.url?.startsWith(BASE)) return next();
  res.writeHead(503).end();
}

const browser = useBrowser({
  before: [switchable, ...createAirlockHandler({ modelsDir: TREE, modelsPath: BASE })],
});

let keyDir: string;
const keys: Record<'a' | 'b' | 'stranger', SigningKey> = {} as never;
const MODELS = ['by-a', 'by-b', 'unsigned', 'by-stranger', 'tampered', 'bad-signature'] as const;

async function sign(id: string, key: SigningKey): Promise<void> {
  const path = join(TREE, id, 'manifest.json');
  await writeFile(`${path}.sig`, serializeSignatureFile(key.keyId, key.sign(await readFile(path))));
}

beforeAll(async () => {
  keyDir = await mkdtemp(join(tmpdir(), 'airlock-keys-'));
  for (const name of ['a', 'b', 'stranger'] as const) {
    const { keyFile } = await writeKeyFiles(join(keyDir, name));
    keys[name] = await readSigningKey(keyFile);
  }
  await rm(TREE, { recursive: true, force: true });
  for (const id of MODELS) {
    await cp(join(MODELS_DIR, 'tiny-sentiment'), join(TREE, id), { recursive: true });
    const path = join(TREE, id, 'manifest.json');
    const manifest = JSON.parse(await readFile(path, 'utf8')) as Record<string, unknown>;
    await writeFile(path, `${JSON.stringify({ ...manifest, id }, null, 2)}\n`);
  }
  await writeIndex(TREE);
  // the admin's step: everything signed with key a (index.json too), then the cases made
  await signTree(TREE, keys.a);
  await sign('by-b', keys.b);
  await sign('by-stranger', keys.stranger);
  await rm(join(TREE, 'unsigned', 'manifest.json.sig'));
  // one byte of the manifest changed after signing: its licence
  const tampered = join(TREE, 'tampered', 'manifest.json');
  await writeFile(tampered, (await readFile(tampered, 'utf8')).replace('"MIT"', '"MIU"'));
  // one character of the signature changed, still well formed
  const badSig = join(TREE, 'bad-signature', 'manifest.json.sig');
  const sig = JSON.parse(await readFile(badSig, 'utf8')) as { signature: string };
  const flipped = (sig.signature[0] === 'A' ? 'B' : 'A') + sig.signature.slice(1);
  await writeFile(badSig, JSON.stringify({ ...sig, signature: flipped }));
});

afterAll(async () => {
  await rm(keyDir, { recursive: true, force: true });
});

interface Attempt {
  outcome: Outcome<unknown>;
  denials: { url: string; reason: string; modelId?: string; check?: string; keyId?: string }[];
  models: { modelId: string; manifest: { from: string; signedBy?: string } }[];
}

/** One runtime (with `trust` when keys are given) loads `id` as a text-classification pipeline and classifies. */
async function attempt(
  p: OpenedPage,
  id: string,
  options: { keys?: string[]; cache: string; revalidate?: boolean; worker?: string },
): Promise<Attempt> {
  return p.page.evaluate(
    async ({ id, keys, cache, revalidate, worker, base }) => {
      const ai = window.airlock.createRuntime({
        modelBase: base,
        cache: { name: cache },
        ...(keys && { trust: { publicKeys: keys } }),
        ...(worker && { workerUrl: `${window.testWorkerUrl}?${worker}` }),
      });
      const outcome = await window.settle(
        ai.pipeline('text-classification', id, { revalidate }).then((run) => run('great film', { top_k: 2 })),
      );
      const evidence = await ai.audit.export();
      await ai.dispose();
      return { outcome, denials: evidence.denials, models: evidence.models };
    },
    {
      id,
      keys: options.keys,
      cache: options.cache,
      revalidate: options.revalidate ?? true,
      worker: options.worker,
      base: BASE,
    },
  );
}

const trusted = () => [keys.a.publicKey, keys.b.publicKey];
const pathsUnder = (p: OpenedPage, id: string) => p.recorder.paths().filter((x) => x.startsWith(`${BASE}${id}/`));
const manifestOnly = (id: string) => [`${BASE}${id}/manifest.json`, `${BASE}${id}/manifest.json.sig`];

describe('signed manifests', () => {
  it('loads models signed by either trusted key (rotation), with the signer in the evidence, same output as unsigned', async () => {
    const p = await browser.open();
    const reference = await attempt(p, 'unsigned', { cache: 'sig-ref' });
    const a = await attempt(p, 'by-a', { keys: trusted(), cache: 'sig-ok' });
    const b = await attempt(p, 'by-b', { keys: trusted(), cache: 'sig-ok' });
    const labels = success(reference.outcome, 'unsigned, no trust');
    expect(success(a.outcome, 'by-a')).toEqual(labels);
    expect(success(b.outcome, 'by-b')).toEqual(labels);
    expect(a.models.map((m) => m.manifest)).toMatchObject([{ from: 'network', signedBy: keys.a.keyId }]);
    expect(b.models.map((m) => m.manifest)).toMatchObject([{ from: 'network', signedBy: keys.b.keyId }]);
    expect([a.denials, b.denials]).toEqual([[], []]);
    // without trust: no signature is asked for, and none is claimed
    expect(reference.models[0]!.manifest.signedBy).toBeUndefined();
    expect(p.recorder.paths().filter((x) => x.endsWith('.sig'))).toEqual([
      `${BASE}by-a/manifest.json.sig`,
      `${BASE}by-b/manifest.json.sig`,
    ]);
  });

  it.each([
    ['unsigned', 'unsigned', undefined],
    ['by-stranger', 'unknown-key', 'stranger'],
    ['tampered', 'bad-signature', 'a'],
    ['bad-signature', 'bad-signature', 'a'],
  ] as const)(
    'refuses %s with SIGNATURE_INVALID (%s) and a denial, before any model file is fetched',
    async (id, reason, signer) => {
      const p = await browser.open();
      const got = await attempt(p, id, { keys: trusted(), cache: `sig-${id}` });
      const keyId = signer && keys[signer].keyId;
      const e = failure(got.outcome, id);
      expect(e.code).toBe('SIGNATURE_INVALID');
      const url = `${browser.origin}${BASE}${id}/manifest.json`;
      expect(e.details).toEqual({ reason, url, modelId: id, ...(keyId && { keyId }) });
      expect(e.message).toContain(url);
      expect(got.denials.map(({ at: _at, ...d }: { at?: string } & Attempt['denials'][number]) => d)).toEqual([
        { url, reason: `signature: ${reason}`, modelId: id, check: 'signature', ...(keyId && { keyId }) },
      ]);
      expect(pathsUnder(p, id)).toEqual(manifestOnly(id));
      expect(got.models).toEqual([]);
    },
  );

  it('checks index.json for ai.models(): accepted when signed by a trusted key, refused (unknown-key) otherwise', async () => {
    const p = await browser.open();
    const got = await p.page.evaluate(
      async ({ base, good, other }) => {
        const list = async (publicKeys: string[]) => {
          const ai = window.airlock.createRuntime({ modelBase: base, trust: { publicKeys } });
          const outcome = await window.settle(ai.models());
          const { denials } = await ai.audit.export();
          await ai.dispose();
          return { outcome, denials };
        };
        return { good: await list(good), other: await list(other) };
      },
      { base: BASE, good: trusted(), other: [keys.b.publicKey] },
    );
    const listed = success(got.good.outcome, 'signed index') as { id: string }[];
    expect(listed.map((m) => m.id).sort()).toEqual([...MODELS].sort());
    const e = failure(got.other.outcome, 'index by a, trusting b');
    expect([e.code, e.details]).toEqual([
      'SIGNATURE_INVALID',
      { reason: 'unknown-key', keyId: keys.a.keyId, url: `${browser.origin}${BASE}index.json` },
    ]);
    expect(got.other.denials).toHaveLength(1);
    expect(got.other.denials[0]).toMatchObject({ check: 'signature', keyId: keys.a.keyId });
  });

  it('verifies with @noble/curves where WebCrypto has no Ed25519: the same acceptances and refusals', async () => {
    const p = await browser.open();
    const worker = 'no-webcrypto-ed25519';
    const good = await attempt(p, 'by-b', { keys: trusted(), cache: 'sig-noble', worker });
    const bad = await attempt(p, 'tampered', { keys: trusted(), cache: 'sig-noble', worker });
    const labels = success(good.outcome, 'by-b on noble');
    expect(labels).toEqual(success((await attempt(p, 'unsigned', { cache: 'sig-noble-ref' })).outcome, 'reference'));
    expect(good.models[0]!.manifest.signedBy).toBe(keys.b.keyId);
    expect(failure(bad.outcome, 'tampered on noble').details).toMatchObject({ reason: 'bad-signature' });
    // the page's own WebCrypto has Ed25519 in this Chromium: the fallback above was forced
    const native = await p.page.evaluate(async () => {
      const raw = new Uint8Array(32);
      raw[0] = 1;
      return crypto.subtle.importKey('raw', raw, { name: 'Ed25519' }, false, ['verify']).then(
        () => 'webcrypto',
        (e: Error) => e.name,
      );
    });
    expect(native).toBe('webcrypto');
  });
});

describe('the stored manifest, offline', () => {
  it('is verified again: accepted as stored, refused when its stored text is changed or the keys no longer include its signer', async () => {
    const p = await browser.open();
    const cache = 'sig-offline';
    const first = await attempt(p, 'by-a', { keys: trusted(), cache });
    success(first.outcome, 'online');
    origin.down = true;
    try {
      const before = p.recorder.paths().length;
      const stored = await attempt(p, 'by-a', { keys: trusted(), cache });
      expect(success(stored.outcome, 'offline')).toEqual(success(first.outcome, 'online'));
      expect(stored.models[0]!.manifest).toMatchObject({ from: 'store', signedBy: keys.a.keyId });
      // a key set without a: refused, though the origin cannot be asked
      const rotated = await attempt(p, 'by-a', { keys: [keys.b.publicKey], cache, revalidate: false });
      expect(failure(rotated.outcome, 'signer no longer trusted').details).toMatchObject({
        reason: 'unknown-key',
        keyId: keys.a.keyId,
      });
      expect(rotated.denials).toHaveLength(1);
      // one byte of the stored manifest text changed in IndexedDB
      await p.page.evaluate(async (name) => {
        const db = await new Promise<IDBDatabase>((ok, fail) => {
          const req = indexedDB.open(name);
          req.onsuccess = () => ok(req.result);
          req.onerror = () => fail(req.error ?? new Error('indexedDB.open failed'));
        });
        const tx = db.transaction('models', 'readwrite');
        const models = tx.objectStore('models');
        const all = await new Promise<{ signed: { text: string } }[]>((ok) => {
          const req = models.getAll();
          req.onsuccess = () => ok(req.result as { signed: { text: string } }[]);
        });
        for (const m of all) {
          m.signed.text = m.signed.text.replace('"MIT"', '"MIU"');
          models.put(m);
        }
        await new Promise((ok) => (tx.oncomplete = ok));
        db.close();
      }, cache);
      const changed = await attempt(p, 'by-a', { keys: trusted(), cache });
      const e = failure(changed.outcome, 'stored text changed');
      expect([e.code, e.details]).toEqual([
        'SIGNATURE_INVALID',
        {
          reason: 'bad-signature',
          keyId: keys.a.keyId,
          url: `${browser.origin}${BASE}by-a/manifest.json`,
          modelId: 'by-a',
        },
      ]);
      expect(changed.denials.map((d) => d.reason)).toEqual(['signature: bad-signature']);
      // offline: the two revalidating loads asked for the manifest (answered 503), nothing else of the model
      const after = p.recorder.paths().slice(before);
      expect(after.filter((x) => x.startsWith(BASE))).toEqual([
        `${BASE}by-a/manifest.json`,
        `${BASE}by-a/manifest.json`,
      ]);
    } finally {
      origin.down = false;
    }
  });

  it('refuses a model stored by a runtime without trust: it has no signature to check', async () => {
    const p = await browser.open();
    const cache = 'sig-untrusted-store';
    success((await attempt(p, 'by-a', { cache })).outcome, 'stored without trust');
    const got = await attempt(p, 'by-a', { keys: trusted(), cache, revalidate: false });
    expect(failure(got.outcome, 'no stored signature').details).toMatchObject({ reason: 'unsigned' });
  });
});

describe('the trust option', () => {
  it('refuses a malformed key at once with BAD_INPUT naming it', async () => {
    const p = await browser.open();
    const got = await p.page.evaluate(
      ({ good }) =>
        [['ed25519:short'], [good, 'rsa:xyz'], [], 'ed25519:x'].map((publicKeys) => {
          try {
            window.airlock.createRuntime({ trust: { publicKeys: publicKeys as string[] } });
            return null;
          } catch (e) {
            const { code, details } = e as { code: string; details: unknown };
            return { code, details };
          }
        }),
      { good: keys.a.publicKey },
    );
    expect(got).toEqual([
      { code: 'BAD_INPUT', details: { option: 'trust.publicKeys', value: '"ed25519:short"' } },
      { code: 'BAD_INPUT', details: { option: 'trust.publicKeys', value: '"rsa:xyz"' } },
      { code: 'BAD_INPUT', details: expect.objectContaining({ option: 'trust.publicKeys' }) as unknown },
      { code: 'BAD_INPUT', details: expect.objectContaining({ option: 'trust.publicKeys' }) as unknown },
    ]);
  });
});
