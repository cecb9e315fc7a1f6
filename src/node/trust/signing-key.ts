// The admin's signing key: made by `airlock keygen`, read by `airlock sign`. The private key file
// is written 0600 and refused when group or others may read it; Node's crypto signs (Ed25519).
import { createPrivateKey, createPublicKey, generateKeyPairSync, sign, type KeyObject } from 'node:crypto';
import { mkdir, readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import {
  ALG,
  formatPublicKey,
  fromBase64Url,
  keyIdOf,
  parsePublicKey,
  SIGNING_KEY_KIND,
  toBase64Url,
  type SigningKeyFile,
} from '../../shared/trust/format.js';
import { CliError } from '../errors.js';

export const KEY_FILE = 'airlock-signing-key.json';
export const PUBLIC_KEY_FILE = 'airlock-signing-key.pub';

export interface SigningKey {
  keyId: string;
  publicKey: string;
  /** signs the exact bytes given */
  sign(bytes: Uint8Array): Uint8Array;
}

function privateKeyObject(seed: Uint8Array, publicRaw: Uint8Array): KeyObject {
  const jwk = { kty: 'OKP', crv: 'Ed25519', d: toBase64Url(seed), x: toBase64Url(publicRaw) };
  return createPrivateKey({ key: jwk, format: 'jwk' });
}

/** A new key pair as the key file holds it. */
export function generateKeyFile(): SigningKeyFile {
  const { privateKey } = generateKeyPairSync('ed25519');
  const jwk = privateKey.export({ format: 'jwk' });
  const publicRaw = fromBase64Url(jwk.x!)!;
  return {
    kind: SIGNING_KEY_KIND,
    alg: ALG,
    keyId: keyIdOf(publicRaw),
    publicKey: formatPublicKey(publicRaw),
    privateKey: jwk.d!,
  };
}

const exists = (path: string) =>
  stat(path).then(
    () => true,
    () => false,
  );

/** Writes a new key pair into `dir`: the key file (0600) and the public key (0644). Refuses to replace either. */
export async function writeKeyFiles(
  dir: string,
): Promise<{ keyFile: string; publicKeyFile: string; key: SigningKeyFile }> {
  const keyFile = join(dir, KEY_FILE);
  const publicKeyFile = join(dir, PUBLIC_KEY_FILE);
  for (const path of [keyFile, publicKeyFile])
    if (await exists(path))
      throw new CliError(
        'BAD_USAGE',
        `${path} exists: keygen never replaces a key`,
        'Pick another --out, or move the old key away first',
        {
          path,
        },
      );
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const key = generateKeyFile();
  // 'wx': fails rather than replace a file made in the meantime; the mode applies at creation
  await writeFile(keyFile, `${JSON.stringify(key, null, 2)}\n`, { mode: 0o600, flag: 'wx' });
  await writeFile(publicKeyFile, `${key.publicKey}\n`, { mode: 0o644, flag: 'wx' });
  return { keyFile, publicKeyFile, key };
}

function badKeyFile(path: string, why: string): CliError {
  return new CliError(
    'BAD_USAGE',
    `${path} is not an airlock signing key: ${why}`,
    'Pass the airlock-signing-key.json that airlock keygen wrote',
    {
      keyFile: path,
    },
  );
}

/** Reads a key file, refusing one that group or others can read, and checks that its parts belong together. */
export async function readSigningKey(path: string): Promise<SigningKey> {
  const info = await stat(path).catch(() => {
    throw new CliError(
      'BAD_USAGE',
      `No key file at ${path}`,
      'Make one with: airlock keygen --out <dir outside models/>',
      {
        keyFile: path,
      },
    );
  });
  const mode = info.mode & 0o777;
  if ((mode & 0o077) !== 0)
    throw new CliError(
      'BAD_USAGE',
      `${path} is readable by others (mode ${mode.toString(8).padStart(4, '0')}): a private key must be readable by its owner only`,
      `Run: chmod 600 ${path}`,
      { keyFile: path, mode: mode.toString(8).padStart(4, '0') },
    );
  let file: Partial<SigningKeyFile>;
  try {
    file = JSON.parse(await readFile(path, 'utf8')) as Partial<SigningKeyFile>;
  } catch {
    throw badKeyFile(path, 'not JSON');
  }
  if (file.kind !== SIGNING_KEY_KIND || file.alg !== ALG)
    throw badKeyFile(path, `kind must be ${SIGNING_KEY_KIND}, alg ${ALG}`);
  const seed = typeof file.privateKey === 'string' ? fromBase64Url(file.privateKey) : null;
  const publicRaw = parsePublicKey(file.publicKey);
  if (seed?.length !== 32 || !publicRaw) throw badKeyFile(path, 'its privateKey or publicKey is malformed');
  const keyObject = privateKeyObject(seed, publicRaw);
  // Node takes the JWK's x as given: derive the public key from the seed and compare
  if (createPublicKey(keyObject).export({ format: 'jwk' }).x !== toBase64Url(publicRaw))
    throw badKeyFile(path, 'its privateKey and publicKey do not belong together');
  const keyId = keyIdOf(publicRaw);
  if (file.keyId !== keyId) throw badKeyFile(path, `its keyId is not ${keyId}, the id of its public key`);
  return {
    keyId,
    publicKey: formatPublicKey(publicRaw),
    sign: (bytes) => new Uint8Array(sign(null, bytes, keyObject)),
  };
}
