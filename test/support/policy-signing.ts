// Ed25519 keys and detached signatures for tests, with Node's crypto: the airlock-signature/1
// format (the key string, the key id, the `.sig` file) written independently of the library.
import { createHash, generateKeyPairSync, sign, type KeyObject } from 'node:crypto';

export interface TestKey {
  publicKey: string;
  keyId: string;
  privateKey: KeyObject;
}

const b64url = (bytes: Uint8Array) => Buffer.from(bytes).toString('base64url');

export function testKey(): TestKey {
  const { publicKey, privateKey } = generateKeyPairSync('ed25519');
  // the raw 32 bytes are the last 32 of the SPKI DER encoding
  const raw = publicKey.export({ format: 'der', type: 'spki' }).subarray(-32);
  return {
    publicKey: `ed25519:${b64url(raw)}`,
    keyId: createHash('sha256').update(raw).digest('hex').slice(0, 16),
    privateKey,
  };
}

/** The `.sig` file for `bytes`, signed by `key`. */
export function signatureFile(key: TestKey, bytes: Uint8Array | string): string {
  const data = typeof bytes === 'string' ? Buffer.from(bytes) : bytes;
  const signature = b64url(sign(null, data, key.privateKey));
  return JSON.stringify({ kind: 'airlock-signature/1', alg: 'Ed25519', keyId: key.keyId, signature });
}
