// `airlock verify --public-key`: the runtime's signature check (src/worker/trust/verify.ts), made
// with Node's crypto on the files as they lie on disk.
import { createPublicKey, verify } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { MANIFEST_FILE } from '../../manifest/types.js';
import { CliError } from '../errors.js';
import type { VerifyReport } from '../verify-dir.js';
import {
  keyIdOf,
  parsePublicKey,
  parseSignatureFile,
  SIGNATURE_SUFFIX,
  toBase64Url,
} from '../../shared/trust/format.js';

export type SignatureCheck =
  | { ok: true; keyId: string }
  | { ok: false; reason: 'unsigned' | 'malformed' | 'unknown-key' | 'bad-signature'; keyId?: string };

/** Checks `X.sig` over the bytes of `path` (X) against `keys` (`ed25519:…`). */
export async function checkSignature(path: string, keys: readonly string[]): Promise<SignatureCheck> {
  const text = await readFile(path + SIGNATURE_SUFFIX, 'utf8').catch(() => null);
  if (text === null) return { ok: false, reason: 'unsigned' };
  const parsed = parseSignatureFile(text);
  if (!parsed) return { ok: false, reason: 'malformed' };
  const { keyId, signature } = parsed;
  const raw = keys.map(parsePublicKey).find((k) => k !== null && keyIdOf(k) === keyId);
  if (!raw) return { ok: false, reason: 'unknown-key', keyId };
  const key = createPublicKey({ key: { kty: 'OKP', crv: 'Ed25519', x: toBase64Url(raw) }, format: 'jwk' });
  const ok = verify(null, await readFile(path), key, signature);
  return ok ? { ok: true, keyId } : { ok: false, reason: 'bad-signature', keyId };
}

/** A model's verify report with its manifest's signature checked too (when keys are given). */
export async function withSignature<R extends VerifyReport>(
  report: R,
  keys: readonly string[],
): Promise<R & { signedBy?: string }> {
  if (keys.length === 0 || report.error) return report;
  const check = await checkSignature(join(report.dir, MANIFEST_FILE), keys);
  if (check.ok) return { ...report, signedBy: check.keyId };
  const by = check.keyId ? ` (key ${check.keyId})` : '';
  const message = `${MANIFEST_FILE}${SIGNATURE_SUFFIX}: ${check.reason}${by}`;
  return { ...report, ok: false, error: { code: 'SIGNATURE_INVALID', message, reason: check.reason } };
}

/** The `--public-key` values, each checked. */
export function publicKeysOption(value: unknown): string[] {
  const keys = Array.isArray(value) ? (value as string[]) : [];
  for (const key of keys)
    if (parsePublicKey(key) === null)
      throw new CliError(
        'BAD_USAGE',
        `--public-key ${key} is not an ed25519:<base64url> public key`,
        'Pass the key airlock keygen printed (airlock-signing-key.pub)',
        { value: key },
      );
  return keys;
}
