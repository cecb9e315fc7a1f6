// Signing formats and verifySigned in Node: both Ed25519 implementations (WebCrypto, @noble/curves),
// against signatures made by Node's crypto and the RFC 8032 test vector.
import { createHash, generateKeyPairSync, sign } from 'node:crypto';
import { ed25519 } from '@noble/curves/ed25519.js';
import { afterEach, describe, expect, it } from 'vitest';
import { AirlockError } from '../../src/errors.js';
import {
  formatPublicKey,
  fromBase64Url,
  keyIdOf,
  parsePublicKey,
  parseSignatureFile,
  serializeSignatureFile,
  toBase64Url,
} from '../../src/shared/trust/format.js';
import { ed25519Engine, setEd25519Engine, verifySigned, type Ed25519Engine } from '../../src/worker/trust/verify.js';

function keyPair() {
  const { privateKey } = generateKeyPairSync('ed25519');
  const raw = fromBase64Url(privateKey.export({ format: 'jwk' }).x!)!;
  const publicKey = formatPublicKey(raw);
  const keyId = keyIdOf(raw);
  const signed = (bytes: Uint8Array) => serializeSignatureFile(keyId, new Uint8Array(sign(null, bytes, privateKey)));
  return { publicKey, keyId, signed };
}

async function refusal(p: Promise<unknown>): Promise<{ code: string; details: Record<string, unknown> | undefined }> {
  const e = await p.then(
    () => null,
    (err: unknown) => err,
  );
  expect(e).toBeInstanceOf(AirlockError);
  const { code, details } = e as AirlockError;
  return { code, details };
}

const bytes = new TextEncoder().encode('{"id":"tiny-lm","files":[]}\n');

afterEach(() => setEd25519Engine(undefined));

describe('key strings and signature files', () => {
  it('round-trips a key, and its id is the first 16 hex of SHA-256 over the raw key (RFC 8032 test 1 key)', () => {
    const raw = Uint8Array.from(Buffer.from('d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a', 'hex'));
    const text = formatPublicKey(raw);
    expect(text).toBe('ed25519:11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo');
    expect(parsePublicKey(text)).toEqual(raw);
    expect(keyIdOf(raw)).toBe(createHash('sha256').update(raw).digest('hex').slice(0, 16));
  });

  it('refuses malformed keys: another prefix, padding, a wrong length, non-canonical base64url', () => {
    const good = formatPublicKey(new Uint8Array(32).fill(7));
    expect(parsePublicKey(good)).not.toBeNull();
    for (const bad of [
      good.replace('ed25519:', 'ed448:'),
      `${good}=`,
      formatPublicKey(new Uint8Array(31)),
      formatPublicKey(new Uint8Array(33)),
      good.slice(0, -1) + 'x', // stray low bits in the last character
      'ed25519:' + Buffer.from(new Uint8Array(32).fill(7)).toString('base64'), // '+', '/' and padding
      42,
    ])
      expect(parsePublicKey(bad), String(bad)).toBeNull();
  });

  it('writes and reads a signature file, and refuses other kinds, algs and lengths', () => {
    const sig = new Uint8Array(64).fill(9);
    const text = serializeSignatureFile('0123456789abcdef', sig);
    expect(JSON.parse(text)).toEqual({
      kind: 'airlock-signature/1',
      alg: 'Ed25519',
      keyId: '0123456789abcdef',
      signature: toBase64Url(sig),
    });
    expect(parseSignatureFile(text)).toEqual({ keyId: '0123456789abcdef', signature: sig });
    const file = JSON.parse(text) as Record<string, string>;
    for (const change of [
      { kind: 'airlock-signature/2' },
      { alg: 'Ed448' },
      { keyId: '0123456789ABCDEF' },
      { keyId: '0123' },
      { signature: toBase64Url(new Uint8Array(63)) },
    ])
      expect(parseSignatureFile(JSON.stringify({ ...file, ...change })), JSON.stringify(change)).toBeNull();
    expect(parseSignatureFile('<html>')).toBeNull();
  });
});

describe.each<Ed25519Engine>(['webcrypto', 'noble'])('verifySigned on %s', (engine) => {
  it('accepts a signature by Node crypto, with the key its id picks among several', async () => {
    setEd25519Engine(engine);
    const [a, b] = [keyPair(), keyPair()];
    await expect(verifySigned(bytes, a.signed(bytes), [b.publicKey, a.publicKey])).resolves.toEqual({ keyId: a.keyId });
    await expect(verifySigned(bytes, b.signed(bytes), [b.publicKey, a.publicKey])).resolves.toEqual({ keyId: b.keyId });
    expect(await ed25519Engine()).toBe(engine);
  });

  it('refuses one changed byte, a changed signature, an unknown key, a malformed or empty signature file', async () => {
    setEd25519Engine(engine);
    const a = keyPair();
    const other = keyPair();
    const sig = a.signed(bytes);
    const tampered = bytes.slice();
    tampered[5]! ^= 1;
    expect(await refusal(verifySigned(tampered, sig, [a.publicKey]))).toEqual({
      code: 'SIGNATURE_INVALID',
      details: { reason: 'bad-signature', keyId: a.keyId },
    });
    const file = JSON.parse(sig) as { signature: string };
    const flipped = fromBase64Url(file.signature)!;
    flipped[10]! ^= 0x40;
    const badSig = serializeSignatureFile(a.keyId, flipped);
    expect((await refusal(verifySigned(bytes, badSig, [a.publicKey]))).details).toEqual({
      reason: 'bad-signature',
      keyId: a.keyId,
    });
    expect((await refusal(verifySigned(bytes, sig, [other.publicKey]))).details).toEqual({
      reason: 'unknown-key',
      keyId: a.keyId,
    });
    expect((await refusal(verifySigned(bytes, '{"kind":"x"}', [a.publicKey]))).details).toEqual({
      reason: 'malformed',
    });
    expect((await refusal(verifySigned(bytes, '', [a.publicKey]))).details).toEqual({ reason: 'unsigned' });
  });

  it('agrees with @noble/curves on the RFC 8032 test vector 2 (one byte message)', async () => {
    setEd25519Engine(engine);
    const seed = Buffer.from('4ccd089b28ff96da9db6c346ec114e0f5b8a319f35aba624da8cf6ed4fb8a6fb', 'hex');
    const pub = ed25519.getPublicKey(seed);
    expect(Buffer.from(pub).toString('hex')).toBe('3d4017c3e843895a92b70aa74d1b7ebc9c982ccf2ec4968cc0cd55f12af4660c');
    const message = Uint8Array.of(0x72);
    const sig = serializeSignatureFile(keyIdOf(pub), ed25519.sign(message, seed));
    await expect(verifySigned(message, sig, [formatPublicKey(pub)])).resolves.toEqual({ keyId: keyIdOf(pub) });
  });
});

describe('the implementation found here', () => {
  it('is WebCrypto on Node 20 (Ed25519 in crypto.subtle), and noble without crypto.subtle', async () => {
    expect(await ed25519Engine()).toBe('webcrypto');
    setEd25519Engine(undefined);
    const subtle = Object.getOwnPropertyDescriptor(globalThis.crypto, 'subtle');
    Object.defineProperty(globalThis.crypto, 'subtle', { value: undefined, configurable: true });
    try {
      expect(await ed25519Engine()).toBe('noble');
    } finally {
      if (subtle) Object.defineProperty(globalThis.crypto, 'subtle', subtle);
      else delete (globalThis.crypto as { subtle?: unknown }).subtle;
    }
  });
});
