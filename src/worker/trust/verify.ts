// Checks a detached signature (src/shared/trust/format.ts) against the configured public keys.
// Ed25519 through WebCrypto where the browser has it; @noble/curves where it does not (older
// browsers, or no crypto.subtle outside a secure context). Which one is found out once.
import { ed25519 } from '@noble/curves/ed25519.js';
import { AirlockError } from '../../errors.js';
import { keyIdOf, parsePublicKey, parseSignatureFile } from '../../shared/trust/format.js';

export type SignatureProblem = 'unsigned' | 'malformed' | 'unknown-key' | 'bad-signature';
export type Ed25519Engine = 'webcrypto' | 'noble';

// RFC 8032, section 7.1, test 1: the empty message signed by this key
const PROBE_KEY = 'd75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a';
const PROBE_SIG =
  'e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b';

const hex = (text: string) => Uint8Array.from(text.match(/../g)!, (h) => parseInt(h, 16));

let engine: Promise<Ed25519Engine> | undefined;

async function webCryptoVerify(
  key: Uint8Array<ArrayBuffer>,
  sig: Uint8Array<ArrayBuffer>,
  data: Uint8Array<ArrayBuffer>,
) {
  const pub = await crypto.subtle.importKey('raw', key, { name: 'Ed25519' }, false, ['verify']);
  return crypto.subtle.verify('Ed25519', pub, sig, data);
}

async function probe(): Promise<Ed25519Engine> {
  try {
    if (typeof crypto === 'undefined' || !crypto.subtle) return 'noble';
    const ok = await webCryptoVerify(hex(PROBE_KEY), hex(PROBE_SIG), new Uint8Array(0));
    return ok ? 'webcrypto' : 'noble';
  } catch {
    return 'noble';
  }
}

/** Which implementation verifies here: found out on the first call, then cached. */
export function ed25519Engine(): Promise<Ed25519Engine> {
  engine ??= probe();
  return engine;
}

/** For tests: pins the implementation (`undefined` finds it out again). */
export function setEd25519Engine(pinned: Ed25519Engine | undefined): void {
  engine = pinned && Promise.resolve(pinned);
}

function refused(reason: SignatureProblem, message: string, keyId?: string): AirlockError {
  return new AirlockError('SIGNATURE_INVALID', message, { reason, ...(keyId !== undefined && { keyId }) });
}

async function ed25519Verify(key: Uint8Array<ArrayBuffer>, sig: Uint8Array<ArrayBuffer>, data: Uint8Array) {
  const bytes = new Uint8Array(data);
  if ((await ed25519Engine()) === 'webcrypto') return webCryptoVerify(key, sig, bytes);
  // strict RFC 8032 checks, as WebCrypto makes them
  return ed25519.verify(sig, bytes, key, { zip215: false });
}

/**
 * Checks `signatureText` (an `X.sig` file) over `bytes` (the exact bytes of `X`) against `keys`
 * (`ed25519:…` strings); the signature's key id picks the key. Throws SIGNATURE_INVALID with
 * `details.reason` when it does not hold (`unsigned`: an empty signature text).
 */
export async function verifySigned(
  bytes: Uint8Array,
  signatureText: string,
  keys: readonly string[],
): Promise<{ keyId: string }> {
  if (signatureText.trim() === '') throw refused('unsigned', 'No signature');
  const parsed = parseSignatureFile(signatureText);
  if (!parsed) throw refused('malformed', 'The signature file is not an airlock-signature/1 Ed25519 signature');
  const { keyId, signature } = parsed;
  const key = keys.map(parsePublicKey).find((raw) => raw !== null && keyIdOf(raw) === keyId);
  if (!key) throw refused('unknown-key', `Signed by key ${keyId}, which is not one of the trusted keys`, keyId);
  const ok = await ed25519Verify(key, signature, bytes).catch(() => false);
  if (!ok) throw refused('bad-signature', `The signature by key ${keyId} does not match the signed bytes`, keyId);
  return { keyId };
}
