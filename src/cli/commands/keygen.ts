// airlock keygen --out <dir>: a new Ed25519 signing key for `airlock sign`.
import { resolve } from 'node:path';
import { CliError } from '../../node/errors.js';
import { writeKeyFiles } from '../../node/trust/signing-key.js';
import type { CommandSpec, Parsed } from '../args.js';
import type { Output } from '../output.js';

export const spec: CommandSpec = {
  name: 'keygen',
  short: 'make an Ed25519 key for signing manifests',
  args: '',
  summary: [
    'Writes <dir>/airlock-signing-key.json (the private key, mode 0600) and',
    '<dir>/airlock-signing-key.pub (the public key for createRuntime({ trust })), and prints the',
    'public key and its key id. Keep the directory away from the model tree: the origin must never',
    'serve the private key. Never replaces an existing key.',
  ].join('\n'),
  positionals: [0, 0],
  options: { out: { type: 'string', value: '<dir>', help: 'folder for the two key files (made if missing)' } },
};

export async function run(p: Parsed, out: Output): Promise<unknown> {
  if (typeof p.values.out !== 'string')
    throw new CliError('BAD_USAGE', 'keygen needs --out <dir>', 'See airlock keygen --help');
  const { keyFile, publicKeyFile, key } = await writeKeyFiles(resolve(p.values.out));
  out.say(`public key ${key.publicKey}`);
  out.say(`key id     ${key.keyId}`);
  out.say(`private key -> ${keyFile} (mode 0600; keep it out of the model tree)`);
  out.say(`public key  -> ${publicKeyFile}`);
  return { keyId: key.keyId, publicKey: key.publicKey, keyFile, publicKeyFile };
}
