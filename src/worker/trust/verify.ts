// Detached Ed25519 signatures (`X.sig` beside `X`, kind `airlock-signature/1`), checked in the
// worker with WebCrypto where it has Ed25519 (a secure context), `@noble/curves` otherwise (a
// plain-http intranet page has no crypto.subtle). Minimal: the key and signature formats are read here too.
import { ed25519 } from '@noble/curves/ed25519.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex } from '@noble/hashes/utils.js';
import { AirlockError } from '../../errors.js';

type Reason = 'unsigned' | 'malformed' | 'unknown-key' | 'bad-signature';

function refused(reason: Reason, message: string, keyId?: string): AirlockError {
  return new AirlockError('SIGNATURE_INVALID', message, { reason, ...(keyId !== undefined && { keyId }) });
}

function fromBase64Url(text: string): Uint8Array<ArrayBuffer> | undefined {
  if (!/^[A-Za-z0-9_-]*$/.test(text)) return undefined;
  const binary = atob(text.replace(/-/g, '+').replace(/_/g, '/'));
  return Uint8Array.from(binary, (c) => c.charCodeAt(0));
}

/** The raw 32 bytes of an `ed25519:<base64url>` key string, or undefined when it is not one. */
export function publicKeyBytes(key: string): Uint8Array<ArrayBuffer> | undefined {
  if (!key.startsWith('ed25519:')) return undefined;
  const raw = fromBase64Url(key.slice('ed25519:'.length));
  return raw?.length === 32 ? raw : undefined;
}

/** The first 16 hex characters of SHA-256 over the raw public key. */
export function keyIdOf(raw: Uint8Array): string {
  return bytesToHex(sha256(raw)).slice(0, 16);
}

function parseSignature(text: string): { keyId: string; signature: Uint8Array<ArrayBuffer> } {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw refused('malformed', 'The signature file is not JSON');
  }
  const sig = json as Record<string, unknown> | null;
  const bytes = typeof sig?.signature === 'string' ? fromBase64Url(sig.signature) : undefined;
  if (
    sig?.kind !== 'airlock-signature/1' ||
    sig.alg !== 'Ed25519' ||
    typeof sig.keyId !== 'string' ||
    !/^[0-9a-f]{16}$/.test(sig.keyId) ||
    bytes?.length !== 64
  )
    throw refused('malformed', 'The signature file is not an airlock-signature/1 Ed25519 signature');
  return { keyId: sig.keyId, signature: bytes };
}

/** Checks `signatureText` (a `.sig` file) over `bytes` against the trusted `keys`; SIGNATURE_INVALID when not. */
export async function verifySigned(
  bytes: Uint8Array,
  signatureText: string,
  keys: readonly string[],
): Promise<{ keyId: string }> {
  const { keyId, signature } = parseSignature(signatureText);
  const raw = keys.map(publicKeyBytes).find((k) => k !== undefined && keyIdOf(k) === keyId);
  if (!raw) throw refused('unknown-key', `Signed by key ${keyId}, which is not a trusted key`, keyId);
  const ok = await ed25519Verify(raw, signature, new Uint8Array(bytes));
  if (!ok) throw refused('bad-signature', `The signature by key ${keyId} does not match the signed bytes`, keyId);
  return { keyId };
}

/** WebCrypto's Ed25519 (RFC 8032) where the browser has it; the same check in JavaScript where not. */
async function ed25519Verify(
  raw: Uint8Array<ArrayBuffer>,
  signature: Uint8Array<ArrayBuffer>,
  bytes: Uint8Array<ArrayBuffer>,
): Promise<boolean> {
  const subtle = globalThis.crypto?.subtle as SubtleCrypto | undefined;
  let key: CryptoKey | undefined;
  try {
    key = subtle && (await subtle.importKey('raw', raw, { name: 'Ed25519' }, false, ['verify']));
  } catch {
    key = undefined; // no Ed25519 in this browser's WebCrypto
  }
  if (subtle && key) return subtle.verify({ name: 'Ed25519' }, key, signature, bytes);
  try {
    return ed25519.verify(signature, bytes, raw, { zip215: false });
  } catch {
    return false; // a key that is not a curve point verifies nothing
  }
}
