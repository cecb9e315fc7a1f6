// The signing formats (pure, usable by the worker, the page and the CLI): a public key string
// `ed25519:<base64url of the raw 32 bytes>`, its key id (the first 16 hex characters of SHA-256
// over the raw key), and a detached signature file `X.sig` over the exact bytes of `X`.
import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex } from '@noble/hashes/utils.js';

export const KEY_PREFIX = 'ed25519:';
export const SIGNATURE_KIND = 'airlock-signature/1';
export const SIGNING_KEY_KIND = 'airlock-signing-key/1';
export const SIGNATURE_SUFFIX = '.sig';
export const ALG = 'Ed25519';

export interface SignatureFile {
  kind: typeof SIGNATURE_KIND;
  alg: typeof ALG;
  /** 16 lowercase hex characters: which key signed */
  keyId: string;
  /** base64url (no padding) of the 64-byte Ed25519 signature */
  signature: string;
}

export interface SigningKeyFile {
  kind: typeof SIGNING_KEY_KIND;
  alg: typeof ALG;
  keyId: string;
  publicKey: string;
  /** base64url of the raw 32-byte seed */
  privateKey: string;
}

const B64URL = /^[A-Za-z0-9_-]*$/;
const KEY_ID = /^[0-9a-f]{16}$/;

export function toBase64Url(bytes: Uint8Array): string {
  let binary = '';
  for (const b of bytes) binary += String.fromCharCode(b);
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

/** The bytes of unpadded base64url text; null when it is not that (padding, other characters, a bad length). */
export function fromBase64Url(text: string): Uint8Array<ArrayBuffer> | null {
  if (!B64URL.test(text) || text.length % 4 === 1) return null;
  const binary = atob(text.replace(/-/g, '+').replace(/_/g, '/'));
  const bytes = Uint8Array.from(binary, (c) => c.charCodeAt(0));
  // a non-canonical encoding (stray low bits in the last character) names the same bytes twice
  return toBase64Url(bytes) === text ? bytes : null;
}

/** The raw 32-byte key of `ed25519:<base64url>`; null when malformed. */
export function parsePublicKey(text: unknown): Uint8Array<ArrayBuffer> | null {
  if (typeof text !== 'string' || !text.startsWith(KEY_PREFIX)) return null;
  const raw = fromBase64Url(text.slice(KEY_PREFIX.length));
  return raw?.length === 32 ? raw : null;
}

export function formatPublicKey(raw: Uint8Array): string {
  return KEY_PREFIX + toBase64Url(raw);
}

/** The first 16 lowercase hex characters of SHA-256 over the raw public key. */
export function keyIdOf(raw: Uint8Array): string {
  return bytesToHex(sha256(raw)).slice(0, 16);
}

/** A signature file's fields, checked; null when it is not one (not JSON, another kind or alg, bad fields). */
export function parseSignatureFile(text: string): { keyId: string; signature: Uint8Array<ArrayBuffer> } | null {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return null;
  }
  if (typeof value !== 'object' || value === null) return null;
  const { kind, alg, keyId, signature } = value as Partial<Record<keyof SignatureFile, unknown>>;
  if (kind !== SIGNATURE_KIND || alg !== ALG) return null;
  if (typeof keyId !== 'string' || !KEY_ID.test(keyId) || typeof signature !== 'string') return null;
  const bytes = fromBase64Url(signature);
  return bytes?.length === 64 ? { keyId, signature: bytes } : null;
}

/** A signature file's text (with a final newline): what `airlock sign` writes beside `X` as `X.sig`. */
export function serializeSignatureFile(keyId: string, signature: Uint8Array): string {
  const file: SignatureFile = { kind: SIGNATURE_KIND, alg: ALG, keyId, signature: toBase64Url(signature) };
  return `${JSON.stringify(file)}\n`;
}
