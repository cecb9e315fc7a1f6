// `createRuntime({ trust })`, checked on the page: every public key well formed, so that a typo
// fails at once (BAD_INPUT naming the key) rather than as a refused model later.
import { AirlockError } from '../errors.js';
import { parsePublicKey } from '../shared/trust/format.js';
import type { WorkerConfig } from '../protocol/config.js';
import { badOption, optionsObject, shown } from './checks.js';

export interface TrustOptions {
  /** the keys whose signatures the runtime accepts, as `airlock keygen` prints them: `ed25519:<base64url>` */
  publicKeys: string[];
}

export function trustConfig(value: TrustOptions | undefined): WorkerConfig['trust'] {
  if (value === undefined) return undefined;
  const { publicKeys } = optionsObject('trust', value);
  if (!Array.isArray(publicKeys) || publicKeys.length === 0)
    throw badOption('trust.publicKeys', publicKeys, 'a non-empty list of ed25519:<base64url> public keys');
  for (const key of publicKeys as unknown[]) {
    if (parsePublicKey(key) === null)
      throw new AirlockError(
        'BAD_INPUT',
        `trust.publicKeys entry ${shown(key)} is not an Ed25519 public key (ed25519: and the base64url of 32 bytes, as airlock keygen prints it)`,
        { option: 'trust.publicKeys', value: shown(key) },
      );
  }
  return { publicKeys: [...publicKeys] };
}
